using System.Net;
using System.Text.Json;

namespace Silk.Tests.Api;

/// <summary>
/// Mango-like selectors (issue 20 §1) on a real server: every operator on properties and on the node's and edge's own
/// fields, in POST /query and in the where= of GET /nodes and GET /edges, and 400 problems whose pointer says where a
/// selector is wrong.
/// </summary>
public sealed class QuerySelectorApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>, IAsyncLifetime
{
    private readonly HttpClient _client = factory.CreateClient();

    public async Task InitializeAsync() => await QueryFixture.Seed(_client);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("""{"score":1}""", "i1")]
    [InlineData("""{"score":1.0}""", "i2")]
    [InlineData("""{"score":{"$eq":2}}""", "i3")]
    [InlineData("""{"score":{"$gt":1.5}}""", "g1,i3,i4")]
    [InlineData("""{"score":{"$gte":1}}""", "g1,i1,i2,i3,i4")]
    [InlineData("""{"score":{"$lt":2}}""", "i1,i2")]
    [InlineData("""{"score":{"$lte":2,"$gt":1}}""", "i3")]
    [InlineData("""{"score":{"$gt":"a"}}""", "i5")]
    [InlineData("""{"score":{"$ne":1}}""", "g1,i2,i3,i4,i5,i6")]
    [InlineData("""{"score":{"$in":[1,2.5]}}""", "i1,i4")]
    [InlineData("""{"score":{"$nin":[1,2.5]}}""", "g1,i2,i3,i5,i6")]
    [InlineData("""{"score":{"$exists":false}}""", "i6")]
    [InlineData("""{"opt":{"$exists":true}}""", "i4")]
    [InlineData("""{"opt":null}""", "g1,i1,i2,i3,i4,i5,i6")]
    [InlineData("""{"name":{"$prefix":"ap"}}""", "i1,i2")]
    [InlineData("""{"name":{"$regex":"^b.*rr"}}""", "i4")]
    [InlineData("""{"name":{"$regex":"(?i)apple"}}""", "i1,i6")]
    [InlineData("""{"tags":{"$contains":"red"}}""", "i1,i5")]
    [InlineData("""{"$or":[{"score":1},{"name":"cherry"}]}""", "i1,i5")]
    [InlineData("""{"$and":[{"score":{"$gte":1}},{"score":{"$lt":2}}]}""", "i1,i2")]
    [InlineData("""{"$not":{"score":{"$exists":true}}}""", "i6")]
    [InlineData("""{"score":{"$not":{"$gt":1.5}}}""", "i1,i2,i5,i6")]
    [InlineData("""{"label":{"$regex":"^[a-z]"}}""", "i2,i4,i5,i6")]
    [InlineData("""{"node_id":{"$in":["i1","i3"]}}""", "i1,i3")]
    [InlineData("""{"subtype":"mini"}""", "g1")]
    [InlineData("""{"subtype":{"$exists":false},"score":{"$gte":2}}""", "i3,i4")]
    [InlineData("""{"node_type":"gadget"}""", "g1")]
    [InlineData("""{"score":{"$eq":{"a":1}}}""", "")]
    [InlineData("""{}""", "g1,i1,i2,i3,i4,i5,i6")]
    public async Task Node_selectors_match_what_the_issue_says(string where, string expected)
    {
        Assert.Equal(Ids(expected), await QueryIds($$"""{"nodes":"item","where":{{where}},"select":"ids"}"""));

        // The same selector in a where step, and in GET /nodes?where= (id order, paged).
        Assert.Equal(Ids(expected), await QueryIds($$"""{"nodes":"item","steps":[{"where":{{where}}}],"select":"ids"}"""));
        using var list = await _client.Get($"/nodes?type=item&where={Uri.EscapeDataString(where)}");
        var page = await list.Json(HttpStatusCode.OK);
        Assert.Equal(Ids(expected), page.GetProperty("items").EnumerateArray().Select(n => n.Str("node_id")).ToList());
    }

    [Theory]
    [InlineData("""{"weight":{"$gte":6}}""", "e2")]
    [InlineData("""{"source_id":"i1"}""", "e1")]
    [InlineData("""{"edge_type":"LINK","weight":{"$exists":false}}""", "e3")]
    [InlineData("""{"target_id":{"$prefix":"i"},"$or":[{"weight":5},{"edge_id":"e3"}]}""", "e1,e3")]
    public async Task Edge_selectors_read_edge_fields_and_properties(string where, string expected)
    {
        Assert.Equal(Ids(expected), await QueryIds($$"""{"edges":"*","where":{{where}},"select":"ids"}"""));
        using var list = await _client.Get($"/edges?where={Uri.EscapeDataString(where)}");
        var page = await list.Json(HttpStatusCode.OK);
        Assert.Equal(Ids(expected), page.GetProperty("items").EnumerateArray().Select(n => n.Str("edge_id")).ToList());
    }

    [Theory]
    [InlineData("""{"where":{"score":{"$gt":[1]}}}""", "/where/score/$gt")]
    [InlineData("""{"where":{"score":{"$foo":1}}}""", "/where/score/$foo")]
    [InlineData("""{"where":{"$or":[]}}""", "/where/$or")]
    [InlineData("""{"where":{"$or":[1]}}""", "/where/$or/0")]
    [InlineData("""{"where":{"$and":[{"a":1},{"b":{"$lt":true}}]}}""", "/where/$and/1/b/$lt")]
    [InlineData("""{"where":{"score":{"$regex":"(a"}}}""", "/where/score/$regex")]
    [InlineData("""{"where":{"score":{"$in":5}}}""", "/where/score/$in")]
    [InlineData("""{"where":{"score":{"$gt":1,"x":2}}}""", "/where/score")]
    [InlineData("""{"where":{"$bogus":1}}""", "/where/$bogus")]
    [InlineData("""{"where":{"score":{"$exists":"yes"}}}""", "/where/score/$exists")]
    [InlineData("""{"where":{"score":{"$prefix":3}}}""", "/where/score/$prefix")]
    [InlineData("""{"where":{"score":{"$not":5}}}""", "/where/score/$not")]
    [InlineData("""{"where":{"a/b":{"$gt":null}}}""", "/where/a~1b/$gt")]
    [InlineData("""{"steps":[{"limit":1},{"where":{"x":{"$in":1}}}]}""", "/steps/1/where/x/$in")]
    [InlineData("""{"sort":[{"score":"up"}]}""", "/sort/0/score")]
    [InlineData("""{"sort":[5]}""", "/sort/0")]
    [InlineData("""{"after":"not-a-cursor"}""", "/after")]
    [InlineData("""{"skip":-1}""", "/skip")]
    [InlineData("""{"group_count":""}""", "/group_count")]
    public async Task A_malformed_selector_is_a_400_that_points_at_the_fault(string body, string pointer)
    {
        var query = body.Insert(1, "\"nodes\":\"item\",");
        using var response = await _client.PostJson("/query", query);
        var problem = await response.Problem(HttpStatusCode.BadRequest);
        Assert.Equal(pointer, problem.Str("pointer"));
        Assert.StartsWith(pointer, problem.Str("detail"), StringComparison.Ordinal);

        using var explain = await _client.PostJson("/query/explain", query);
        Assert.Equal(pointer, (await explain.Problem(HttpStatusCode.BadRequest)).Str("pointer"));
    }

    [Theory]
    [InlineData("/nodes?where=%7B%22score%22%3A%7B%22%24gt%22%3A%5B%5D%7D%7D", "/score/$gt")]
    [InlineData("/nodes?where=not-json", "")]
    [InlineData("/nodes?where=%5B1%5D", "")]
    [InlineData("/edges?where=%7B%22weight%22%3A%7B%22%24in%22%3A3%7D%7D", "/weight/$in")]
    public async Task A_malformed_where_parameter_is_a_400_naming_the_parameter(string path, string pointer)
    {
        using var response = await _client.Get(path);
        var problem = await response.Problem(HttpStatusCode.BadRequest);
        Assert.Equal("where", problem.Str("parameter"));
        Assert.Equal(pointer, problem.Str("pointer"));
    }

    [Fact]
    public async Task A_regex_that_would_backtrack_for_ever_answers_at_once()
    {
        // Catastrophic for a backtracking engine on a long 'aaaa…b'; linear for the ontology pattern engine.
        await _client.CreateNode("long-a", "item", $$"""{"name":"{{new string('a', 50_000)}}b"}""");
        var ids = await QueryIds("""{"nodes":"item","where":{"name":{"$regex":"^(a+)+$"}},"select":"ids"}""");
        Assert.DoesNotContain("long-a", ids);
        using (var delete = await _client.Delete("/nodes/long-a")) await delete.Json(HttpStatusCode.OK);
    }

    private async Task<List<string>> QueryIds(string query)
    {
        using var response = await _client.PostJson("/query", query);
        return [.. (await response.Json(HttpStatusCode.OK)).Strings("ids")];
    }

    private static List<string> Ids(string csv) => csv.Length == 0 ? [] : [.. csv.Split(',')];
}

/// <summary>The items and links the query tests read: every value kind on one property, subtypes, labels, lists.</summary>
internal static class QueryFixture
{
    public static async Task Seed(HttpClient client)
    {
        using var check = await client.Get("/nodes/i1");
        if (check.StatusCode == HttpStatusCode.OK) return;
        using var extend = await client.PostJson("/ontology/extensions", """
            {"node_types":{
                "item":{"properties":{"score":{"value_type":"any"},"name":{"value_type":"string"},"tags":{"value_type":"any"},"opt":{"value_type":"any"}}},
                "gadget":{"parent_type":"item","subtypes":{"mini":{},"maxi":{}}}},
             "edge_types":{"LINK":{"source_types":["item"],"target_types":["item"],"properties":{"weight":{"value_type":"int"}}}}}
            """);
        await extend.Json(HttpStatusCode.Created);
        await Node(client, "i1", "item", null, "Alpha", """{"score":1,"name":"apple","tags":["red","big"]}""");
        await Node(client, "i2", "item", null, "beta", """{"score":1.0,"name":"apricot","tags":["green"]}""");
        await Node(client, "i3", "item", null, "Gamma", """{"score":2,"name":"banana"}""");
        await Node(client, "i4", "item", null, "delta", """{"score":2.5,"name":"blueberry","opt":null}""");
        await Node(client, "i5", "item", null, "eps", """{"score":"high","name":"cherry","tags":"red wine"}""");
        await Node(client, "i6", "item", null, "zeta", """{"name":"Apple pie"}""");
        await Node(client, "g1", "gadget", "mini", "Gizmo", """{"score":3,"name":"gizmo"}""");
        await Edge(client, "e1", "i1", "i2", """{"weight":5}""");
        await Edge(client, "e2", "i2", "i3", """{"weight":10}""");
        await Edge(client, "e3", "i3", "i1", "{}");
    }

    private static async Task Node(HttpClient client, string id, string type, string? subtype, string label, string properties)
    {
        var sub = subtype is null ? "null" : $"\"{subtype}\"";
        using var response = await client.PostJson("/nodes", $$"""{"node_id":"{{id}}","node_type":"{{type}}","subtype":{{sub}},"label":"{{label}}","properties":{{properties}}}""");
        await response.Json(HttpStatusCode.Created);
    }

    private static async Task Edge(HttpClient client, string id, string source, string target, string properties)
    {
        using var response = await client.PostJson("/edges", $$"""{"edge_id":"{{id}}","edge_type":"LINK","source_id":"{{source}}","target_id":"{{target}}","properties":{{properties}}}""");
        await response.Json(HttpStatusCode.Created);
    }
}
