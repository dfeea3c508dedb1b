using System.Net;
using System.Text;
using System.Text.Json;
using Silk.Api.Peers;
using Silk.Core.Schema;
using Silk.Core.Store;
using Silk.Tests.Api;
using Xunit.Abstractions;

namespace Silk.Tests.Peers;

/// <summary>
/// Two real server processes (issue 17): a full server and a partial replica of its <c>server</c> nodes
/// (<c>Silk:Peers:0:NodeTypes</c>). The replica ends with exactly the servers and the edges between them, pulls far
/// fewer bytes than a full pull of the same graph, and refuses to be taken for a whole history.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PartialReplicaTests(ITestOutputHelper output) : IDisposable
{
    private const string Ontology = """
        {
          "node_types": {
            "server": {"properties": {"name": {"value_type": "string", "required": true}, "region": {"value_type": "string"}}},
            "service": {"properties": {"name": {"value_type": "string", "required": true}}},
            "alert": {"properties": {"name": {"value_type": "string", "required": true}, "text": {"value_type": "string"}}}
          },
          "edge_types": {
            "LINKS": {"source_types": ["server"], "target_types": ["server"], "properties": {}},
            "ALERTS": {"source_types": ["alert"], "target_types": ["service"], "properties": {}}
          }
        }
        """;

    private readonly SilkProcessGroup _group = new("silk-partial-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_partial_replica_holds_exactly_the_wanted_nodes_and_edges_and_pulls_fewer_bytes_than_a_full_pull()
    {
        var ports = SilkProcess.FreePorts(2);
        Directory.CreateDirectory(_group.Root);
        var ontologyPath = Path.Combine(_group.Root, "ontology.json");
        File.WriteAllText(ontologyPath, Ontology);
        var full = Server("full", ports[0], ontologyPath, []);
        // No Silk:BootstrapFrom: a snapshot is the whole history. The replica starts from its own genesis and pulls.
        var replica = Server("replica", ports[1], ontologyPath, [
            "--Silk:Peers:0:Id=full",
            $"--Silk:Peers:0:Address={full.Url}",
            "--Silk:Peers:0:NodeTypes:0=server",
        ]);
        full.Start();
        replica.Start();
        await Task.WhenAll(full.WaitReadyAsync(_http, TimeSpan.FromSeconds(60)), replica.WaitReadyAsync(_http, TimeSpan.FromSeconds(60)));

        // The wanted minority first: three servers and the links between them.
        foreach (var s in new[] { "s1", "s2", "s3" }) await Post(full, "/nodes", $$$"""{"node_id":"{{{s}}}","node_type":"server","label":"{{{s}}}","properties":{"name":"{{{s}}}"}}""");
        await Post(full, "/edges", """{"edge_id":"l1","edge_type":"LINKS","source_id":"s1","target_id":"s2"}""");
        await Post(full, "/edges", """{"edge_id":"l2","edge_type":"LINKS","source_id":"s2","target_id":"s3"}""");
        var first = await Sync(replica);
        Assert.Equal(["server"], first.GetProperty("node_types").EnumerateArray().Select(t => t.GetString()));

        // A later update of a server the replica already holds, then the majority: services, alerts and their edges.
        using (var patch = await _http.PatchAsync(new Uri($"{full.Url}/nodes/s1"), Json("""{"properties":{"region":"eu"}}""")))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        for (var i = 0; i < 40; i++)
        {
            await Post(full, "/nodes", $$$"""{"node_id":"svc{{{i}}}","node_type":"service","label":"svc{{{i}}}","properties":{"name":"service number {{{i}}}"}}""");
            await Post(full, "/nodes", $$$"""{"node_id":"al{{{i}}}","node_type":"alert","label":"al{{{i}}}","properties":{"name":"al{{{i}}}","text":"{{{new string('x', 200)}}}"}}""");
            await Post(full, "/edges", $$"""{"edge_id":"a{{i}}","edge_type":"ALERTS","source_id":"al{{i}}","target_id":"svc{{i}}"}""");
        }

        var second = await Sync(replica);
        Assert.Equal(1, second.GetProperty("pulled").GetInt32()); // s1's update; none of the 120 others

        Assert.Equal(["s1", "s2", "s3"], await Ids(replica, "nodes"));
        Assert.Equal(["l1", "l2"], await Ids(replica, "edges"));
        using (var s1 = await _http.GetAsync(new Uri($"{replica.Url}/nodes/s1")))
        {
            Assert.Equal("eu", (await s1.Json(HttpStatusCode.OK)).GetProperty("properties").Str("region"));
        }

        // The bytes it pulled, reported per exchange and in /peers, against a full pull of the same graph.
        var pulled = first.GetProperty("bytes_received").GetInt64() + second.GetProperty("bytes_received").GetInt64();
        var peer = await PeerState(replica, "full");
        Assert.Equal(pulled, peer.GetProperty("bytes_received").GetInt64());
        Assert.Equal(["server"], peer.Strings("node_types"));
        var fullPull = await FullPullBytes(full);
        output.WriteLine($"partial replica pulled {pulled} bytes in two exchanges; a full pull of the same graph is {fullPull} bytes");
        Assert.True(pulled * 5 < fullPull, $"partial pull {pulled} bytes, full pull {fullPull} bytes");

        // It refuses to be taken for a whole history: no snapshot, no answers to offers...
        using (var snapshot = await _http.GetAsync(new Uri($"{replica.Url}/sync/snapshot")))
        {
            Assert.Equal("partial_replica", (await snapshot.Problem(HttpStatusCode.Conflict)).Str("rule"));
        }

        // ...so a full server cannot bootstrap from it (startup stops, naming the setting and the reason)...
        await using (var bootstrapped = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:BootstrapFrom"] = replica.Url, ["Silk:Gossip:IntervalSeconds"] = "0" }))
        {
            var error = Assert.ThrowsAny<Exception>(() => bootstrapped.CreateClient()).ToString();
            Assert.Contains("Silk:BootstrapFrom", error, StringComparison.Ordinal);
            Assert.Contains("partial replica", error, StringComparison.Ordinal);
        }

        // ...and a full peer's pull from it fails with that reason instead of taking a part for the whole.
        using (var put = await _http.PutAsync(new Uri($"{full.Url}/peers/replica"), Json($$"""{"address":"{{replica.Url}}"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var pull = await _http.PostAsync(new Uri($"{full.Url}/peers/replica/sync"), null))
        {
            Assert.Contains("partial replica", (await pull.Problem(HttpStatusCode.BadGateway)).Str("detail"), StringComparison.Ordinal);
        }

        // What is written on the replica still reaches the full server: its own exchanges push.
        await Post(replica, "/nodes", """{"node_id":"s4","node_type":"server","label":"s4","properties":{"name":"s4"}}""");
        Assert.True((await Sync(replica)).GetProperty("pushed").GetInt32() >= 1);
        using (var s4 = await _http.GetAsync(new Uri($"{full.Url}/nodes/s4")))
        {
            Assert.Equal(HttpStatusCode.OK, s4.StatusCode);
        }
    }

    private SilkProcess Server(string name, int port, string ontologyPath, IEnumerable<string> more)
    {
        var settings = new List<string>
        {
            $"--Silk:DataPath={Path.Combine(_group.Root, name, "data")}",
            $"--Silk:OntologyPath={ontologyPath}",
            "--Silk:Durability=process",
            "--Silk:Gossip:IntervalSeconds=0",
        };
        settings.AddRange(more);
        var server = new SilkProcess(name, port, Path.Combine(_group.Root, name), settings);
        _group.Servers.Add(server);
        return server;
    }

    /// <summary>One exchange of the replica with its peer, now; the outcome.</summary>
    private async Task<JsonElement> Sync(SilkProcess replica)
    {
        using var response = await _http.PostAsync(new Uri($"{replica.Url}/peers/full/sync"), null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}\n{_group.Logs()}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// The bytes a full replica receives for the same graph: a fresh store (its own genesis, as the replica's) asks
    /// for everything in the same delta mode, once for the payload and once for the offer a push would read.
    /// </summary>
    private async Task<long> FullPullBytes(SilkProcess full)
    {
        var ontology = OntologyJson.Parse(Ontology);
        using var fresh = GraphStore.Create("fresh", ontology);
        var peer = new HttpSyncPeer(_http, new Uri(full.Url));
        await peer.RequestPayloadAsync(fresh.GenerateOffer(), PayloadMode.Delta, CancellationToken.None);
        await peer.GetOfferAsync(CancellationToken.None);
        return peer.BytesReceived;
    }

    private async Task<JsonElement> PeerState(SilkProcess server, string peerId)
    {
        using var response = await _http.GetAsync(new Uri($"{server.Url}/peers"));
        var peers = (await response.Json(HttpStatusCode.OK)).GetProperty("peers");
        return peers.EnumerateArray().Single(p => p.Str("peer_id") == peerId).Clone();
    }

    private async Task<IReadOnlyList<string>> Ids(SilkProcess server, string what)
    {
        using var response = await _http.GetAsync(new Uri($"{server.Url}/{what}?limit=1000"));
        var id = what == "nodes" ? "node_id" : "edge_id";
        return (await response.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(i => i.Str(id)).ToList();
    }

    private async Task Post(SilkProcess server, string path, string json)
    {
        using var response = await _http.PostAsync(new Uri($"{server.Url}{path}"), Json(json));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{server.Name} POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public void Dispose()
    {
        _group.Dispose();
        _http.Dispose();
    }
}
