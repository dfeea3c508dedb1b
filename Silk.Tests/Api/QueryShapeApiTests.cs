using System.Net;
using System.Text.Json;

namespace Silk.Tests.Api;

/// <summary>
/// The shape of a query's answer (issue 20 §2) on a real server: sort (by kind then value, both directions, several
/// keys, stable), fields, skip, limit, cursor paging that gives each match once, group_count, select, as_of and explain.
/// </summary>
public sealed class QueryShapeApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>, IAsyncLifetime
{
    private readonly HttpClient _client = factory.CreateClient();

    public async Task InitializeAsync() => await QueryFixture.Seed(_client);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("""[{"score":"asc"}]""", "i6,i1,i3,g1,i2,i4,i5")]
    [InlineData("""["score"]""", "i6,i1,i3,g1,i2,i4,i5")]
    [InlineData("""[{"score":"desc"}]""", "i5,i4,i2,g1,i3,i1,i6")]
    [InlineData("""["node_type",{"name":"desc"}]""", "g1,i5,i4,i3,i2,i1,i6")]
    [InlineData("""["subtype"]""", "i1,i2,i3,i4,i5,i6,g1")]
    [InlineData("""[{"subtype":"desc"}]""", "g1,i1,i2,i3,i4,i5,i6")]
    [InlineData("""[{"label":"asc"}]""", "i1,i3,g1,i2,i4,i5,i6")]
    public async Task Sort_orders_by_kind_then_value_with_ties_in_id_order(string sort, string expected)
    {
        var body = await Query($$"""{"nodes":"item","sort":{{sort}},"select":"ids"}""");
        Assert.Equal(expected.Split(','), body.Strings("ids"));
    }

    [Fact]
    public async Task Fields_project_the_properties_of_nodes_and_edges()
    {
        var body = await Query("""{"nodes":"item","where":{"node_id":"i1"},"fields":["name","missing"]}""");
        var node = Assert.Single(body.GetProperty("nodes").EnumerateArray());
        Assert.Equal(["name"], node.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Alpha", node.Str("label"));
        Assert.Equal("item", node.Str("node_type"));

        var edges = await Query("""{"edges":"LINK","where":{"edge_id":"e1"},"fields":[]}""");
        var edge = Assert.Single(edges.GetProperty("edges").EnumerateArray());
        Assert.Empty(edge.GetProperty("properties").EnumerateObject());
        Assert.Equal("i1", edge.Str("source_id"));
    }

    [Fact]
    public async Task Skip_and_limit_cut_the_list_and_next_continues_it()
    {
        var body = await Query("""{"nodes":"item","skip":2,"limit":2,"select":"ids"}""");
        Assert.Equal(["i2", "i3"], body.Strings("ids"));
        Assert.Equal(2, body.GetProperty("count").GetInt32());
        var next = body.Str("next");

        var rest = await Query($$"""{"nodes":"item","after":"{{next}}","select":"ids"}""");
        Assert.Equal(["i4", "i5", "i6"], rest.Strings("ids"));
        Assert.False(rest.TryGetProperty("next", out _));

        var past = await Query("""{"nodes":"item","skip":50,"limit":2,"select":"ids"}""");
        Assert.Empty(past.Strings("ids"));
        Assert.False(past.TryGetProperty("next", out _));
    }

    [Theory]
    [InlineData("""{"nodes":"item","select":"ids"}""")]
    [InlineData("""{"nodes":"item","sort":[{"score":"desc"},"name"],"select":"ids"}""")]
    [InlineData("""{"nodes":"item","where":{"score":{"$exists":true}},"sort":["tags"],"select":"ids"}""")]
    [InlineData("""{"nodes":"item","steps":[{"follow":"LINK","direction":"both"}],"select":"ids"}""")]
    [InlineData("""{"edges":"*","sort":[{"weight":"desc"}],"select":"ids"}""")]
    public async Task Paging_gives_each_match_exactly_once(string query)
    {
        var all = (await Query(query)).Strings("ids");
        Assert.NotEmpty(all);
        foreach (var size in new[] { 1, 2, 3 })
        {
            var seen = new List<string>();
            string? after = null;
            for (var pages = 0; pages < 20; pages++)
            {
                var paged = query.Insert(1, after is null ? $"\"limit\":{size}," : $"\"limit\":{size},\"after\":\"{after}\",");
                var page = await Query(paged);
                seen.AddRange(page.Strings("ids"));
                if (!page.TryGetProperty("next", out var next)) break;
                after = next.GetString();
            }

            Assert.Equal(all, seen);
        }
    }

    [Fact]
    public async Task A_cursor_of_another_sort_is_refused()
    {
        var first = await Query("""{"nodes":"item","sort":["score"],"limit":1,"select":"ids"}""");
        using var response = await _client.PostJson("/query", $$"""{"nodes":"item","limit":1,"after":"{{first.Str("next")}}","select":"ids"}""");
        Assert.Equal("/after", (await response.Problem(HttpStatusCode.BadRequest)).Str("pointer"));
    }

    [Fact]
    public async Task Group_count_counts_every_match_by_type_subtype_or_property()
    {
        var byType = await Query("""{"nodes":"item","group_count":"node_type","limit":1,"select":"count"}""");
        Assert.Equal([("gadget", 1), ("item", 6)], Groups(byType).Select(g => (g.Value.GetString()!, g.Count)));

        var bySubtype = await Query("""{"nodes":"item","group_count":"subtype","select":"count"}""");
        Assert.Equal([("null", 6), ("\"mini\"", 1)], Groups(bySubtype).Select(g => (g.Value.GetRawText(), g.Count)));

        var byScore = await Query("""{"nodes":"item","group_count":"score","select":"count"}""");
        Assert.Equal(["null:1", "1:1", "2:1", "3:1", "1.0:1", "2.5:1", "\"high\":1"], Groups(byScore).Select(g => $"{g.Value.GetRawText()}:{g.Count}"));

        var edges = await Query("""{"edges":"*","group_count":"edge_type","select":"count"}""");
        Assert.Equal([("LINK", 3)], Groups(edges).Select(g => (g.Value.GetString()!, g.Count)));
    }

    [Fact]
    public async Task As_of_queries_the_graph_as_it_was()
    {
        using var created = await _client.PostJson("/nodes", """{"node_id":"tt-q","node_type":"item","label":"t","properties":{"score":100}}""");
        var hash = (await created.Json(HttpStatusCode.Created)).Str("hash");
        using var entry = await _client.Get("/entries/" + hash);
        var e = await entry.Json(HttpStatusCode.OK);
        var at = $"{e.GetProperty("physical_ms").GetUInt64()}.{e.GetProperty("logical").GetUInt32()}";
        using (var patch = await _client.PatchJson("/nodes/tt-q", """{"properties":{"score":5}}""")) await patch.Json(HttpStatusCode.OK);

        const string query = """{"nodes":"item","where":{"score":{"$gte":50}},"sort":[{"score":"desc"}],"select":"ids","explain":true}""";
        using var then = await _client.PostJson($"/query?as_of={at}", query);
        var thenBody = await then.Json(HttpStatusCode.OK);
        Assert.Equal(["tt-q"], thenBody.Strings("ids"));
        Assert.Equal("scan", thenBody.GetProperty("explain").Str("strategy"));
        Assert.Empty((await Query(query)).Strings("ids"));
        using (var delete = await _client.Delete("/nodes/tt-q")) await delete.Json(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Explain_says_a_scan_examined_the_start_type()
    {
        var body = await Query("""{"nodes":"item","where":{"score":{"$gt":1.5}},"select":"ids","explain":true}""");
        var explain = body.GetProperty("explain");
        Assert.Equal("scan", explain.Str("strategy"));
        Assert.Equal(7, explain.GetProperty("candidates_examined").GetInt64());
        Assert.Equal(3, explain.GetProperty("count").GetInt32());

        using var response = await _client.PostJson("/query/explain", """{"nodes":"item","where":{"score":{"$gt":1.5}}}""");
        var only = await response.Json(HttpStatusCode.OK);
        Assert.Equal("scan", only.Str("strategy"));
        Assert.False(only.TryGetProperty("nodes", out _));
    }

    private async Task<JsonElement> Query(string query)
    {
        using var response = await _client.PostJson("/query", query);
        return await response.Json(HttpStatusCode.OK);
    }

    private static List<(JsonElement Value, int Count)> Groups(JsonElement body) =>
        [.. body.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty("value"), g.GetProperty("count").GetInt32()))];
}
