using System.Net;
using System.Text.Json;
using Silk.Tests.Storage;

namespace Silk.Tests.Api;

/// <summary>
/// Issue 17: compaction restates every edge as an add_edge without properties followed by its updates, so a
/// replay that held those adds to their type's required properties lost every edge that had one.
/// </summary>
public sealed class CompactionRequiredPropertiesTests : IDisposable
{
    private const string Extension = """
        {"node_types": {"team": {"properties": {"name": {"value_type": "string", "required": true}, "size": {"value_type": "int", "required": true}}}},
         "edge_types": {"MEMBER_OF": {"source_types": ["person"], "target_types": ["team"],
                        "properties": {"since": {"value_type": "int", "required": true}, "role": {"value_type": "string"}}}}}
        """;

    private readonly SilkApiFactory _first = new();

    [Fact]
    public async Task Nodes_and_edges_with_required_properties_survive_compaction_restart_and_bootstrap()
    {
        string liveBefore;
        byte[] snapshot;
        using (var client = _first.CreateClient())
        {
            using (var extend = await client.PostJson("/ontology/extensions", Extension)) await extend.Json(HttpStatusCode.Created);
            await client.CreateNode("p1", "person", """{"name":"ann"}""");
            await client.CreateNode("t1", "team", """{"name":"core","size":3}""");
            using (var edge = await client.PostJson("/edges", """{"edge_id":"m1","edge_type":"MEMBER_OF","source_id":"p1","target_id":"t1","properties":{"since":2024,"role":"lead"}}"""))
            {
                await edge.Json(HttpStatusCode.Created);
            }

            using (var patch = await client.PatchJson("/edges/m1", """{"properties":{"since":2025}}""")) await patch.Json(HttpStatusCode.OK);
            liveBefore = await LiveGraph(client);
            Assert.Contains("\"m1\"", liveBefore, StringComparison.Ordinal);

            using (var compact = await client.PostAsync(ApiTestClient.U("/compact?safe=true"), null)) await compact.Json(HttpStatusCode.OK);
            Assert.Equal(liveBefore, await LiveGraph(client));
            await AssertQuarantineEmpty(client);
            using var edgeAfter = await client.Get("/edges/m1");
            var properties = (await edgeAfter.Json(HttpStatusCode.OK)).GetProperty("properties");
            Assert.Equal(2025, properties.GetProperty("since").GetInt64());

            using var exported = await client.Get("/sync/snapshot");
            Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
            snapshot = await exported.Content.ReadAsByteArrayAsync();
        }

        await _first.DisposeAsyncKeepingFolder();
        await using (var reopened = _first.OnSameFolder())
        {
            using var client = reopened.CreateClient();
            Assert.Equal(liveBefore, await LiveGraph(client));
            await AssertQuarantineEmpty(client);
        }

        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "compacted.snapshot");
        await File.WriteAllBytesAsync(file, snapshot);
        await using var bootstrapped = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:BootstrapFrom"] = file });
        using var peer = bootstrapped.CreateClient();
        Assert.Equal(liveBefore, await LiveGraph(peer));
        await AssertQuarantineEmpty(peer);
    }

    private static async Task<string> LiveGraph(HttpClient client)
    {
        using var nodes = await client.Get("/nodes?limit=1000");
        using var edges = await client.Get("/edges?limit=1000");
        var nodeItems = (await nodes.Json(HttpStatusCode.OK)).GetProperty("items").GetRawText();
        var edgeItems = (await edges.Json(HttpStatusCode.OK)).GetProperty("items").GetRawText();
        return nodeItems + "\n" + edgeItems;
    }

    private static async Task AssertQuarantineEmpty(HttpClient client)
    {
        using var quarantine = await client.Get("/quarantine");
        var body = await quarantine.Json(HttpStatusCode.OK);
        var items = body.ValueKind == JsonValueKind.Array ? body : body.GetProperty("items");
        Assert.Equal(0, items.GetArrayLength());
    }

    public void Dispose()
    {
        _first.Dispose();
        SilkApiFactory.DeleteFolder(_first.DataPath);
    }
}
