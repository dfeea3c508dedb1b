using System.Net;
using System.Text.Json;

namespace Silk.Tests.Api;

/// <summary><c>as_of=&lt;physical_ms&gt;[.&lt;logical&gt;]</c> on the read routes sees the graph as it was.</summary>
public sealed class TimeTravelApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Reads_as_of_an_entry_clock_see_the_state_then()
    {
        var created = await _client.CreateNode("tt-a", properties: """{"name":"v1"}""");
        var at = await ClockOf(created);
        await _client.CreateNode("tt-b");
        await _client.CreateEdge("tt-ab", "tt-a", "tt-b");
        using (var patch = await _client.PatchJson("/nodes/tt-a", """{"properties":{"name":"v2"}}""")) await patch.Json(HttpStatusCode.OK);
        var afterEdge = await ClockOf((await HistoryHashes("tt-ab"))[0]);
        using (var delete = await _client.Delete("/nodes/tt-b")) await delete.Json(HttpStatusCode.OK);

        using var then = await _client.Get($"/nodes/tt-a?as_of={at}");
        Assert.Equal("v1", (await then.Json(HttpStatusCode.OK)).GetProperty("properties").Str("name"));
        using var now = await _client.Get("/nodes/tt-a");
        Assert.Equal("v2", (await now.Json(HttpStatusCode.OK)).GetProperty("properties").Str("name"));

        using var bThen = await _client.Get($"/nodes/tt-b?as_of={at}");
        Assert.Contains("did not exist", (await bThen.Problem(HttpStatusCode.NotFound)).Str("detail"), StringComparison.Ordinal);
        using var bLater = await _client.Get($"/nodes/tt-b?as_of={afterEdge}");
        await bLater.Json(HttpStatusCode.OK);
        using var bNow = await _client.Get("/nodes/tt-b");
        await bNow.Problem(HttpStatusCode.NotFound);

        using var edgesThen = await _client.Get($"/edges/tt-ab?as_of={afterEdge}");
        await edgesThen.Json(HttpStatusCode.OK);
        using var listThen = await _client.Get($"/nodes?as_of={at}&limit=1000");
        Assert.DoesNotContain((await listThen.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray(), n => n.Str("node_id") == "tt-b");
        using var bfsThen = await _client.Get($"/graph/bfs?start=tt-a&as_of={afterEdge}");
        Assert.Equal(["tt-a", "tt-b"], (await bfsThen.Json(HttpStatusCode.OK)).Strings("node_ids"));
        using var bfsNow = await _client.Get("/graph/bfs?start=tt-a");
        Assert.Equal(["tt-a"], (await bfsNow.Json(HttpStatusCode.OK)).Strings("node_ids"));
        using var queryThen = await _client.PostJson($"/query?as_of={afterEdge}", """{"nodes":"entity","steps":[{"where":{"name":"v1"}},{"follow":"RELATES_TO"}],"select":"ids"}""");
        Assert.Equal(["tt-b"], (await queryThen.Json(HttpStatusCode.OK)).Strings("ids"));
        using var historyThen = await _client.Get($"/nodes/tt-a/history?as_of={at}");
        Assert.Equal([created], (await historyThen.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(e => e.Str("hash")));
        using var adjacencyThen = await _client.Get($"/nodes/tt-a/edges?as_of={afterEdge}");
        Assert.Equal(1, (await adjacencyThen.Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Before_genesis_the_graph_is_empty_and_the_ontology_is_the_genesis_one()
    {
        await _client.CreateNode("tt-early");

        using var nodes = await _client.Get("/nodes?as_of=1");
        Assert.Equal(0, (await nodes.Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        using var ontology = await _client.Get("/ontology?as_of=1.0");
        Assert.True((await ontology.Json(HttpStatusCode.OK)).GetProperty("node_types").TryGetProperty("entity", out _));
    }

    [Fact]
    public async Task Ontology_as_of_before_an_extension_lacks_it()
    {
        var before = await ClockOf(await _client.CreateNode("tt-o"));
        using (var extend = await _client.PostJson("/ontology/extensions", """{"node_types":{"tt_type":{}}}""")) await extend.Json(HttpStatusCode.Created);

        using var then = await _client.Get($"/ontology?as_of={before}");
        Assert.False((await then.Json(HttpStatusCode.OK)).GetProperty("node_types").TryGetProperty("tt_type", out _));
        using var now = await _client.Get("/ontology");
        Assert.True((await now.Json(HttpStatusCode.OK)).GetProperty("node_types").TryGetProperty("tt_type", out _));
    }

    private async Task<string> ClockOf(string hash)
    {
        using var response = await _client.Get("/entries/" + hash);
        var entry = await response.Json(HttpStatusCode.OK);
        return $"{entry.GetProperty("physical_ms").GetUInt64()}.{entry.GetProperty("logical").GetUInt32()}";
    }

    private async Task<List<string>> HistoryHashes(string edgeId)
    {
        using var response = await _client.Get($"/edges/{edgeId}/history");
        return (await response.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(e => e.Str("hash")).ToList();
    }
}
