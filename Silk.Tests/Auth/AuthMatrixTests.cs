using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Silk.Tests.Api;

namespace Silk.Tests.Auth;

/// <summary>
/// Every operation of the served OpenAPI document × {no key, read, write, peer, admin} against the real app with keys
/// configured: no key is 401 (problem+json, <c>WWW-Authenticate: Bearer</c>), a role that lacks the right is 403
/// (problem+json), a role that has it is neither. The expected role of each operation is this test's own table, not
/// read from the server, and an operation without a row fails the test.
/// </summary>
public sealed class AuthMatrixTests : IAsyncLifetime
{
    private const string Anonymous = "anonymous";

    /// <summary>Which keys reach a route that needs each role (admin ⊇ write ⊇ read; peer and admin reach sync).</summary>
    private static readonly Dictionary<string, string[]> Reaches = new()
    {
        ["read"] = ["read", "write", "admin"],
        ["write"] = ["write", "admin"],
        ["peer"] = ["peer", "admin"],
        ["admin"] = ["admin"],
    };

    private static readonly (string Role, string Key)[] Keys =
    [
        ("read", AuthTestKit.ReadKey), ("write", AuthTestKit.WriteKey), ("peer", AuthTestKit.PeerKey), ("admin", AuthTestKit.AdminKey),
    ];

    private readonly SilkApiFactory _factory = AuthTestKit.Factory();
    private string _entryHash = "";

    public async Task InitializeAsync()
    {
        using var admin = _factory.ClientWith(AuthTestKit.AdminKey);
        _entryHash = await admin.CreateNode("m-node");
        await admin.CreateNode("m-other");
        await admin.CreateEdge("m-edge", "m-node", "m-other");
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    /// <summary>Operation ("METHOD /path" as in the document) → the role it needs and a harmless request.</summary>
    private Dictionary<string, (string Role, Func<HttpRequestMessage> Request)> Samples() => new()
    {
        ["GET /healthz"] = (Anonymous, Get("/healthz")),
        ["GET /readyz"] = (Anonymous, Get("/readyz")),
        ["GET /info"] = ("read", Get("/info")),
        ["POST /query"] = ("read", Json(HttpMethod.Post, "/query", """{"nodes":"entity","limit":1}""")),
        ["POST /query/explain"] = ("read", Json(HttpMethod.Post, "/query/explain", """{"nodes":"entity","where":{"name":"x"}}""")),
        ["GET /indexes"] = ("read", Get("/indexes")),
        ["POST /indexes"] = ("admin", Json(HttpMethod.Post, "/indexes", """{"name":"m-index","node_type":"entity","property":"name"}""")),
        ["DELETE /indexes/{name}"] = ("admin", Get("/indexes/m-unknown", HttpMethod.Delete)),
        ["GET /tail"] = ("read", Get("/tail?timeout_ms=0")),
        ["GET /ontology"] = ("read", Get("/ontology")),
        ["POST /ontology/compatibility"] = ("read", Json(HttpMethod.Post, "/ontology/compatibility", $$"""{"hash":"{{new string('0', 64)}}","fingerprint":[]}""")),
        ["POST /ontology/extensions"] = ("write", Json(HttpMethod.Post, "/ontology/extensions", """{"node_types":{"m_t":{"description":"d","properties":{}}}}""")),
        ["POST /nodes"] = ("write", Json(HttpMethod.Post, "/nodes", """{"node_id":"m-new","node_type":"entity","label":"x","properties":{"name":"x"}}""")),
        ["GET /nodes"] = ("read", Get("/nodes?limit=1")),
        ["GET /nodes/{id}"] = ("read", Get("/nodes/m-node")),
        ["PATCH /nodes/{id}"] = ("write", Json(HttpMethod.Patch, "/nodes/m-other", """{"properties":{"name":"y"}}""")),
        ["DELETE /nodes/{id}"] = ("write", Get("/nodes/m-gone", HttpMethod.Delete)),
        ["GET /nodes/{id}/edges"] = ("read", Get("/nodes/m-node/edges")),
        ["GET /nodes/{id}/neighbors"] = ("read", Get("/nodes/m-node/neighbors")),
        ["GET /nodes/{id}/history"] = ("read", Get("/nodes/m-node/history")),
        ["POST /edges"] = ("write", Json(HttpMethod.Post, "/edges", """{"edge_id":"m-e2","edge_type":"RELATES_TO","source_id":"m-node","target_id":"m-other"}""")),
        ["GET /edges"] = ("read", Get("/edges?limit=1")),
        ["GET /edges/{id}"] = ("read", Get("/edges/m-edge")),
        ["PATCH /edges/{id}"] = ("write", Json(HttpMethod.Patch, "/edges/m-edge", """{"properties":{"w":1}}""")),
        ["DELETE /edges/{id}"] = ("write", Get("/edges/m-gone", HttpMethod.Delete)),
        ["GET /edges/{id}/history"] = ("read", Get("/edges/m-edge/history")),
        ["GET /graph/bfs"] = ("read", Get("/graph/bfs?start=m-node")),
        ["GET /graph/dfs"] = ("read", Get("/graph/dfs?start=m-node")),
        ["GET /graph/shortest-path"] = ("read", Get("/graph/shortest-path?from=m-node&to=m-other")),
        ["GET /graph/impact"] = ("read", Get("/graph/impact?start=m-node")),
        ["GET /graph/subgraph"] = ("read", Get("/graph/subgraph?start=m-node")),
        ["GET /graph/topological-sort"] = ("read", Get("/graph/topological-sort")),
        ["GET /graph/has-cycle"] = ("read", Get("/graph/has-cycle")),
        ["POST /graph/pattern-match"] = ("read", Json(HttpMethod.Post, "/graph/pattern-match", """{"type_sequence":["entity","entity"],"max_results":1}""")),
        ["POST /batch"] = ("write", Json(HttpMethod.Post, "/batch", """[{"op":"add_node","node_id":"m-b","node_type":"entity","label":"b","properties":{"name":"b"}}]""")),
        ["POST /import"] = ("write", Json(HttpMethod.Post, "/import", """{"op":"add_node","node_id":"m-i","node_type":"entity","label":"i","properties":{"name":"i"}}""", "application/x-ndjson")),
        ["GET /entries/{hash}"] = ("read", Get($"/entries/{_entryHash}")),
        ["GET /heads"] = ("read", Get("/heads")),
        ["GET /integrity"] = ("read", Get("/integrity")),
        ["GET /quarantine"] = ("read", Get("/quarantine")),
        ["POST /quarantine/revalidate"] = ("write", Get("/quarantine/revalidate", HttpMethod.Post)),
        ["POST /compact"] = ("admin", Get("/compact?safe=true", HttpMethod.Post)),
        ["GET /compact/safety"] = ("admin", Get("/compact/safety")),
        ["POST /observations"] = ("write", Json(HttpMethod.Post, "/observations", """{"source":"m","value":1.5}""")),
        ["GET /observations"] = ("read", Get("/observations?source=m")),
        ["GET /observations/latest"] = ("read", Get("/observations/latest?source=m")),
        ["GET /observations/sources"] = ("read", Get("/observations/sources")),
        ["GET /sync/offer"] = ("peer", Get("/sync/offer")),
        ["POST /sync/offer"] = ("peer", MsgPack("/sync/offer")),
        ["POST /sync/payload"] = ("peer", MsgPack("/sync/payload")),
        ["POST /sync/entries"] = ("peer", MsgPack("/sync/entries")),
        ["GET /sync/snapshot"] = ("peer", Get("/sync/snapshot")),
        ["GET /sync/ontology"] = ("peer", Get("/sync/ontology")),
        ["POST /sync/run"] = ("admin", Get("/sync/run", HttpMethod.Post)),
        ["GET /peers"] = ("admin", Get("/peers")),
        ["PUT /peers/{peer_id}"] = ("admin", Json(HttpMethod.Put, "/peers/m-peer", """{"address":"http://127.0.0.1:9"}""")),
        ["DELETE /peers/{peer_id}"] = ("admin", Get("/peers/m-peer", HttpMethod.Delete)),
        ["POST /peers/{peer_id}/sync"] = ("admin", Get("/peers/m-unknown/sync", HttpMethod.Post)),
        ["POST /auth/tail-token"] = ("read", Get("/auth/tail-token", HttpMethod.Post)),
        ["GET /signing"] = ("admin", Get("/signing")),
        ["GET /signing/key"] = ("admin", Get("/signing/key")),
        ["POST /signing/key"] = ("admin", Get("/signing/key", HttpMethod.Post)),
        ["PUT /signing/key"] = ("admin", Json(HttpMethod.Put, "/signing/key", $$"""{"private_key":"{{new string('7', 64)}}"}""")),
        ["GET /signing/authors"] = ("admin", Get("/signing/authors")),
        ["PUT /signing/authors/{author_id}"] = ("admin", Json(HttpMethod.Put, "/signing/authors/m-author", $$"""{"public_key":"{{new string('a', 64)}}"}""")),
        ["DELETE /signing/authors/{author_id}"] = ("admin", Get("/signing/authors/m-author", HttpMethod.Delete)),
        ["PUT /signing/strict"] = ("admin", Json(HttpMethod.Put, "/signing/strict", """{"require_signatures":false}""")),
    };

    [Fact]
    public async Task Every_operation_answers_each_role_as_its_role_requires()
    {
        using var anonymous = _factory.CreateClient();
        using var documentResponse = await anonymous.Get("/openapi/v1.json");
        var document = await documentResponse.Json(HttpStatusCode.OK);
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => $"{method.Name.ToUpperInvariant()} {path.Name}"))
            .ToList();
        Assert.True(operations.Count >= 50, $"only {operations.Count} operations in the document");

        var samples = Samples();
        var missing = operations.Where(o => !samples.ContainsKey(o)).ToList();
        Assert.True(missing.Count == 0, "operations without a sample request in this test (add a row with the role they need): " + string.Join(", ", missing));
        Assert.Empty(samples.Keys.Except(operations));

        var failures = new List<string>();
        var client = _factory.CreateClient();
        foreach (var operation in operations)
        {
            var (role, request) = samples[operation];
            await Check(client, operation, request, key: null, role == Anonymous ? null : HttpStatusCode.Unauthorized, failures);
            foreach (var (keyRole, key) in Keys)
            {
                var allowed = role == Anonymous || Reaches[role].Contains(keyRole);
                await Check(client, $"{operation} as {keyRole}", request, key, allowed ? null : HttpStatusCode.Forbidden, failures);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Sends the request; expects the refusal given, or (null) anything but 401 and 403, and never a 5xx.</summary>
    private static async Task Check(HttpClient client, string what, Func<HttpRequestMessage> make, string? key, HttpStatusCode? refusal, List<string> failures)
    {
        using var request = make();
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        if (refusal is { } expected)
        {
            if (response.StatusCode != expected)
            {
                failures.Add($"{what}: expected {(int)expected}, got {status}");
                return;
            }

            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !body.Contains($"\"status\":{status}", StringComparison.Ordinal))
            {
                failures.Add($"{what}: {status} is not a problem+json body: {body}");
            }

            if (expected == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.All(h => h.Scheme != "Bearer"))
            {
                failures.Add($"{what}: 401 without WWW-Authenticate: Bearer");
            }
        }
        else if (status is 401 or 403 or >= 500)
        {
            failures.Add($"{what}: {status} {(body.Length > 300 ? body[..300] : body)}");
        }
    }

    private static Func<HttpRequestMessage> Get(string path, HttpMethod? method = null) =>
        () => new HttpRequestMessage(method ?? HttpMethod.Get, ApiTestClient.U(path));

    private static Func<HttpRequestMessage> Json(HttpMethod method, string path, string json, string mediaType = "application/json") =>
        () => new HttpRequestMessage(method, ApiTestClient.U(path)) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    /// <summary>An empty MessagePack list: a harmless sync body (refused as 400 or answered, nothing merged).</summary>
    private static Func<HttpRequestMessage> MsgPack(string path) => () =>
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ApiTestClient.U(path)) { Content = new ByteArrayContent([0x90]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/msgpack");
        return request;
    };
}
