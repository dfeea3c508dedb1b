using System.Net;
using System.Text.Json;

namespace Silk.Tests.Api;

/// <summary>The algorithm routes over a small fixed graph: a → b → c → d, a → c, e isolated (ids prefixed g-).</summary>
public sealed class GraphApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>, IAsyncLifetime
{
    private readonly HttpClient _client = factory.CreateClient();

    public async Task InitializeAsync()
    {
        using var check = await _client.Get("/nodes/g-a");
        if (check.StatusCode == HttpStatusCode.OK) return;
        foreach (var id in new[] { "g-a", "g-b", "g-c", "g-d", "g-e" }) await _client.CreateNode(id);
        await _client.CreateEdge("g-ab", "g-a", "g-b");
        await _client.CreateEdge("g-bc", "g-b", "g-c");
        await _client.CreateEdge("g-cd", "g-c", "g-d");
        await _client.CreateEdge("g-ac", "g-a", "g-c");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/graph/bfs?start=g-a", "g-a,g-b,g-c,g-d")]
    [InlineData("/graph/bfs?start=g-a&max_depth=1", "g-a,g-b,g-c")]
    [InlineData("/graph/bfs?start=g-a&max_depth=0", "g-a")]
    [InlineData("/graph/bfs?start=g-a&edge_type=AUTHORED", "g-a")]
    [InlineData("/graph/dfs?start=g-a", "g-a,g-b,g-c,g-d")]
    [InlineData("/graph/impact?start=g-d", "g-d,g-c,g-a,g-b")]
    [InlineData("/graph/impact?start=g-d&max_depth=1", "g-d,g-c")]
    public async Task Traversals(string path, string expected)
    {
        using var response = await _client.Get(path);

        Assert.Equal(expected.Split(','), (await response.Json(HttpStatusCode.OK)).Strings("node_ids"));
    }

    [Fact]
    public async Task Shortest_path_found_unreachable_and_unknown()
    {
        using var found = await _client.Get("/graph/shortest-path?from=g-a&to=g-d");
        Assert.Equal(["g-a", "g-c", "g-d"], (await found.Json(HttpStatusCode.OK)).Strings("path"));

        using var back = await _client.Get("/graph/shortest-path?from=g-d&to=g-a");
        Assert.Equal(JsonValueKind.Null, (await back.Json(HttpStatusCode.OK)).GetProperty("path").ValueKind);

        using var unknown = await _client.Get("/graph/shortest-path?from=g-a&to=g-zz");
        Assert.Contains("g-zz", (await unknown.Problem(HttpStatusCode.NotFound)).Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subgraph_holds_nodes_and_edges_within_hops()
    {
        using var response = await _client.Get("/graph/subgraph?start=g-b&hops=1");
        var body = await response.Json(HttpStatusCode.OK);

        Assert.Equal(["g-a", "g-b", "g-c"], body.GetProperty("nodes").EnumerateArray().Select(n => n.Str("node_id")));
        Assert.Equal(["g-ab", "g-bc"], body.GetProperty("edges").EnumerateArray().Select(n => n.Str("edge_id")));
    }

    [Fact]
    public async Task Topological_sort_and_cycle_check()
    {
        using var sorted = await _client.Get("/graph/topological-sort");
        var order = (await sorted.Json(HttpStatusCode.OK)).Strings("node_ids").Where(s => s.StartsWith("g-", StringComparison.Ordinal)).ToList();
        Assert.True(order.IndexOf("g-a") < order.IndexOf("g-b") && order.IndexOf("g-b") < order.IndexOf("g-c") && order.IndexOf("g-c") < order.IndexOf("g-d"));

        using var cycle = await _client.Get("/graph/has-cycle");
        Assert.False((await cycle.Json(HttpStatusCode.OK)).GetProperty("has_cycle").GetBoolean());
    }

    [Fact]
    public async Task Pattern_match()
    {
        using var response = await _client.PostJson("/graph/pattern-match", """{"type_sequence":["entity","entity","entity"],"max_results":1000}""");
        var matches = (await response.Json(HttpStatusCode.OK)).GetProperty("matches").EnumerateArray()
            .Select(m => string.Join(",", m.EnumerateArray().Select(x => x.GetString())))
            .Where(m => m.StartsWith("g-", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(["g-a,g-b,g-c", "g-a,g-c,g-d", "g-b,g-c,g-d"], matches.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/graph/bfs?start=g-nope", HttpStatusCode.NotFound)]
    [InlineData("/graph/dfs?start=g-nope", HttpStatusCode.NotFound)]
    [InlineData("/graph/impact?start=g-nope", HttpStatusCode.NotFound)]
    [InlineData("/graph/subgraph?start=g-nope", HttpStatusCode.NotFound)]
    [InlineData("/graph/bfs", HttpStatusCode.BadRequest)]
    [InlineData("/graph/bfs?start=g-a&max_depth=-1", HttpStatusCode.BadRequest)]
    [InlineData("/graph/bfs?start=g-a&max_depth=deep", HttpStatusCode.BadRequest)]
    [InlineData("/graph/subgraph?start=g-a&hops=-2", HttpStatusCode.BadRequest)]
    [InlineData("/graph/shortest-path?from=g-a", HttpStatusCode.BadRequest)]
    [InlineData("/graph/has-cycle?as_of=x", HttpStatusCode.BadRequest)]
    public async Task Errors(string path, HttpStatusCode status)
    {
        using var response = await _client.Get(path);

        await response.Problem(status);
    }

    [Theory]
    [InlineData("""{"type_sequence":"entity"}""")]
    [InlineData("""{"types":["entity"]}""")]
    [InlineData("""{"type_sequence":["entity"],"max_results":-1}""")]
    public async Task Pattern_match_refuses_bad_bodies(string body)
    {
        using var response = await _client.PostJson("/graph/pattern-match", body);

        await response.Problem(HttpStatusCode.BadRequest);
    }
}
