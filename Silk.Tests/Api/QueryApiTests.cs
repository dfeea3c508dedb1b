using System.Net;
using System.Text.Json;

namespace Silk.Tests.Api;

/// <summary>POST /query over servers and services (an extension adds the types): the issue's example and the builder's rules.</summary>
public sealed class QueryApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>, IAsyncLifetime
{
    private readonly HttpClient _client = factory.CreateClient();

    public async Task InitializeAsync()
    {
        using var check = await _client.Get("/nodes/s1");
        if (check.StatusCode == HttpStatusCode.OK) return;
        using var extend = await _client.PostJson("/ontology/extensions", """
            {"node_types":{
                "server":{"properties":{"status":{"value_type":"string"}}},
                "service":{"properties":{"status":{"value_type":"string"}}}},
             "edge_types":{"RUNS":{"source_types":["server"],"target_types":["service"]}}}
            """);
        await extend.Json(HttpStatusCode.Created);
        await _client.CreateNode("s1", "server", """{"status":"active"}""");
        await _client.CreateNode("s2", "server", """{"status":"active"}""");
        await _client.CreateNode("s3", "server", """{"status":"down"}""");
        await _client.CreateNode("web", "service", """{"status":"down"}""");
        await _client.CreateNode("db", "service", """{"status":"up"}""");
        await _client.CreateNode("cache", "service", """{"status":"up"}""");
        await _client.CreateEdge("r1", "s1", "web", "RUNS");
        await _client.CreateEdge("r2", "s1", "db", "RUNS");
        await _client.CreateEdge("r3", "s2", "db", "RUNS");
        await _client.CreateEdge("r4", "s3", "cache", "RUNS");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Issue_example_follows_runs_from_active_servers()
    {
        using var response = await _client.PostJson("/query",
            """{"nodes":"server","steps":[{"where":{"status":"active"}},{"follow":"RUNS","direction":"out"}],"limit":100,"select":"nodes"}""");

        var body = await response.Json(HttpStatusCode.OK);
        Assert.Equal(2, body.GetProperty("count").GetInt32());
        Assert.Equal(["web", "db"], body.GetProperty("nodes").EnumerateArray().Select(n => n.Str("node_id")));
        Assert.False(body.TryGetProperty("ids", out _));
    }

    [Theory]
    [InlineData("""{"nodes":"server","select":"ids"}""", "s1,s2,s3")]
    [InlineData("""{"nodes":"server","steps":[{"where":{"status":"active"}},{"follow":"RUNS"},{"where":{"status":"down"}}],"select":"ids"}""", "web")]
    [InlineData("""{"nodes":"service","steps":[{"follow":"RUNS","direction":"in"}],"select":"ids"}""", "s3,s1,s2")]
    [InlineData("""{"nodes":"service","steps":[{"follow":"*","direction":"both"}],"select":"ids"}""", "s3,s1,s2")]
    [InlineData("""{"nodes":"server","steps":[{"limit":2},{"follow":"RUNS"}],"select":"ids"}""", "web,db")]
    [InlineData("""{"nodes":"server","limit":1,"select":"ids"}""", "s1")]
    [InlineData("""{"edges":"RUNS","steps":[{"limit":3}],"select":"ids"}""", "r1,r2,r3")]
    [InlineData("""{"edges":"RUNS","steps":[{"follow":"*"}],"select":"ids"}""", "")]
    [InlineData("""{"nodes":"server","steps":[{"where":{"missing":null}}],"select":"ids"}""", "s1,s2,s3")]
    [InlineData("""{"nodes":"nothing","select":"ids"}""", "")]
    public async Task Select_ids(string query, string expected)
    {
        using var response = await _client.PostJson("/query", query);

        var ids = (await response.Json(HttpStatusCode.OK)).Strings("ids");
        Assert.Equal(expected.Length == 0 ? [] : expected.Split(','), ids);
    }

    [Fact]
    public async Task Select_count_and_edges()
    {
        using var count = await _client.PostJson("/query", """{"nodes":"service","steps":[{"where":{"status":"up"}}],"select":"count"}""");
        var body = await count.Json(HttpStatusCode.OK);
        Assert.Equal(2, body.GetProperty("count").GetInt32());
        Assert.False(body.TryGetProperty("nodes", out _));

        using var edges = await _client.PostJson("/query", """{"edges":"RUNS","steps":[{"where":{}}]}""");
        var edgeBody = await edges.Json(HttpStatusCode.OK);
        Assert.Equal(4, edgeBody.GetProperty("edges").GetArrayLength());
        Assert.False(edgeBody.TryGetProperty("nodes", out _));
    }

    [Theory]
    [InlineData("""{"nodes":"server","steps":[{}]}""")]
    [InlineData("""{"nodes":"server","steps":[{"where":{},"follow":"RUNS"}]}""")]
    [InlineData("""{"nodes":"server","steps":[{"direction":"in"}]}""")]
    [InlineData("""{"nodes":"server","steps":[{"where":{"a":1},"direction":"in"}]}""")]
    [InlineData("""{"nodes":"server","steps":[{"follow":"RUNS","direction":"sideways"}]}""")]
    [InlineData("""{"nodes":"server","steps":[{"limit":-1}]}""")]
    [InlineData("""{"nodes":"server","limit":-5}""")]
    [InlineData("""{"nodes":"server","select":"everything"}""")]
    [InlineData("""{"nodes":"server","edges":"RUNS"}""")]
    [InlineData("""{"node":"server"}""")]
    [InlineData("""{"nodes":"server","steps":[null]}""")]
    [InlineData("""{"nodes":["server"]}""")]
    public async Task Malformed_queries_are_400(string query)
    {
        using var response = await _client.PostJson("/query", query);

        await response.Problem(HttpStatusCode.BadRequest);
    }
}
