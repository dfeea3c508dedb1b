using System.Net;
using System.Text.Json;

namespace Silk.Tests.Api;

/// <summary>
/// (node type, property) indexes on a real server (issue 20 §3): declared by POST /indexes or Silk:Indexes, listed,
/// dropped; built in the background; serving equality, $in, ranges, $prefix and sort (explain says so, with fewer
/// candidates than a scan) with exactly the answers of a scan; kept current by writes, removals, schema changes,
/// compaction and a restart.
/// </summary>
public sealed class IndexesApiTests : IAsyncLifetime, IDisposable
{
    private readonly SilkApiFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        await QueryFixture.Seed(_client);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Declared_index_builds_lists_and_drops()
    {
        using (var created = await _client.PostJson("/indexes", """{"name":"by_score","node_type":"item","property":"score"}"""))
        {
            var info = await created.Json(HttpStatusCode.Accepted);
            Assert.Equal("by_score", info.Str("name"));
            Assert.Equal("api", info.Str("source"));
        }

        var ready = await WaitReady("by_score");
        Assert.Equal(6, ready.GetProperty("entries").GetInt32()); // every item and the gadget with a score
        Assert.Equal("item", ready.Str("node_type"));

        using (var again = await _client.PostJson("/indexes", """{"name":"by_score","node_type":"item","property":"score"}""")) await again.Json(HttpStatusCode.OK);
        using (var clash = await _client.PostJson("/indexes", """{"name":"by_score","node_type":"item","property":"name"}""")) await clash.Problem(HttpStatusCode.Conflict);
        using (var bad = await _client.PostJson("/indexes", """{"name":"bad name","node_type":"item","property":"name"}""")) await bad.Problem(HttpStatusCode.BadRequest);
        using (var empty = await _client.PostJson("/indexes", """{"name":"x","node_type":"","property":"name"}""")) await empty.Problem(HttpStatusCode.BadRequest);

        using (var drop = await _client.Delete("/indexes/by_score")) await drop.Json(HttpStatusCode.OK);
        using (var gone = await _client.Delete("/indexes/by_score")) await gone.Problem(HttpStatusCode.NotFound);
        using var list = await _client.Get("/indexes");
        Assert.Empty((await list.Json(HttpStatusCode.OK)).GetProperty("indexes").EnumerateArray());
        Assert.Equal("scan", (await Explain("""{"nodes":"item","where":{"score":2}}""")).Str("strategy"));
    }

    [Theory]
    [InlineData("""{"nodes":"item","where":{"score":2}}""", "equality", 1)]
    [InlineData("""{"nodes":"item","where":{"score":{"$in":[1,1.0,"high"]}}}""", "in", 3)]
    [InlineData("""{"nodes":"item","where":{"score":{"$gt":1.5,"$lte":2.5}}}""", "range", -1)]
    [InlineData("""{"nodes":"item","where":{"score":{"$gte":"a"}}}""", "range", 1)]
    [InlineData("""{"nodes":"item","where":{"name":{"$prefix":"ap"}}}""", "prefix", 2)]
    [InlineData("""{"nodes":"item","where":{"score":{"$gte":1},"name":{"$regex":"an"}},"sort":[{"score":"desc"}]}""", "range", -1)]
    [InlineData("""{"nodes":"item","subtype":"mini","where":{"score":{"$gte":1}},"sort":["score"],"limit":1}""", "range", -1)]
    public async Task An_index_serves_selectors_with_the_answers_of_a_scan(string query, string use, int examined)
    {
        await Declare("by_score", "item", "score");
        await Declare("by_name", "item", "name");
        var scanned = await Ids(AsScan(query), index: false);

        var explain = await Explain(query);
        Assert.Equal("index", explain.Str("strategy"));
        Assert.Equal(use, explain.Str("index_use"));
        if (examined >= 0) Assert.Equal(examined, explain.GetProperty("candidates_examined").GetInt64());
        Assert.True(explain.GetProperty("candidates_examined").GetInt64() < 7, explain.GetRawText());
        Assert.Equal(scanned, await Ids(query, index: true));
    }

    [Fact]
    public async Task Sort_on_the_indexed_property_reads_the_index_in_order_and_pages()
    {
        await Declare("by_score", "item", "score");
        const string query = """{"nodes":"item","where":{"score":{"$gte":0}},"sort":[{"score":"desc"}],"select":"ids"}""";
        var explain = await Explain(query.Insert(1, "\"limit\":2,"));
        Assert.Contains("index order", explain.Str("note"), StringComparison.Ordinal);
        Assert.Equal(3, explain.GetProperty("candidates_examined").GetInt64()); // a page of 2, and one more to know a next page exists

        var all = await Ids(query, index: true);
        Assert.Equal(["i4", "i2", "g1", "i3", "i1"], all);
        var paged = new List<string>();
        string? after = null;
        for (var i = 0; i < 10; i++)
        {
            var body = await Query(query.Insert(1, after is null ? "\"limit\":2," : $"\"limit\":2,\"after\":\"{after}\","));
            paged.AddRange(body.Strings("ids"));
            if (!body.TryGetProperty("next", out var next)) break;
            after = next.GetString();
        }

        Assert.Equal(all, paged);
    }

    [Fact]
    public async Task Writes_removals_schema_changes_and_compaction_keep_the_index_current()
    {
        await Declare("by_score", "item", "score");
        const string query = """{"nodes":"item","where":{"score":{"$gte":2,"$lt":100}},"select":"ids"}""";
        Assert.Equal(["g1", "i3", "i4"], await Ids(query, index: true));

        using (var patch = await _client.PatchJson("/nodes/i1", """{"properties":{"score":7}}""")) await patch.Json(HttpStatusCode.OK);
        using (var remove = await _client.Delete("/nodes/i3")) await remove.Json(HttpStatusCode.OK);
        await _client.CreateNode("i7", "item", """{"score":50}""");
        Assert.Equal(["g1", "i1", "i4", "i7"], await Ids(query, index: true));

        // A new type below item (an extension: the graph and its indexes are rebuilt) is covered by the index on item.
        using (var extend = await _client.PostJson("/ontology/extensions", """{"node_types":{"widget":{"parent_type":"item"}}}""")) await extend.Json(HttpStatusCode.Created);
        await _client.CreateNode("w1", "widget", """{"score":60}""");
        Assert.Equal(["g1", "i1", "i4", "i7", "w1"], await Ids(query, index: true));
        Assert.Equal("index", (await Explain(query)).Str("strategy"));

        using (var compact = await _client.PostAsync(ApiTestClient.U("/compact?safe=false"), null)) await compact.Json(HttpStatusCode.OK);
        Assert.Equal(["g1", "i1", "i4", "i7", "w1"], await Ids(query, index: true));
        Assert.Equal(await Ids(AsScan(query), index: false), await Ids(query, index: true));
    }

    [Fact]
    public async Task An_index_declared_by_the_api_is_rebuilt_after_a_restart()
    {
        await Declare("by_name", "item", "name");
        await _factory.DisposeAsyncKeepingFolder();
        await using var second = _factory.OnSameFolder();
        using var cleanup = new FolderCleanup(_factory.DataPath);
        var client = second.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement index;
        do
        {
            using var list = await client.Get("/indexes");
            index = Assert.Single((await list.Json(HttpStatusCode.OK)).GetProperty("indexes").EnumerateArray());
            if (index.Str("state") == "ready") break;
            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal("ready", index.Str("state"));
        Assert.Equal("by_name", index.Str("name"));
        using var explain = await client.PostJson("/query/explain", """{"nodes":"item","where":{"name":"banana"}}""");
        var plan = await explain.Json(HttpStatusCode.OK);
        Assert.Equal("by_name", plan.Str("index"));
        Assert.Equal(1, plan.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Indexes_of_the_settings_are_declared_at_start_and_cannot_be_dropped_by_the_api()
    {
        await using var factory = SilkApiFactory.With(new Dictionary<string, string?>
        {
            ["Silk:Indexes:0:Name"] = "names",
            ["Silk:Indexes:0:NodeType"] = "entity",
            ["Silk:Indexes:0:Property"] = "name",
        });
        var client = factory.CreateClient();
        await client.CreateNode("s-1", "entity", """{"name":"first"}""");
        using var list = await client.Get("/indexes");
        var index = Assert.Single((await list.Json(HttpStatusCode.OK)).GetProperty("indexes").EnumerateArray());
        Assert.Equal("settings", index.Str("source"));
        using var drop = await client.Delete("/indexes/names");
        await drop.Problem(HttpStatusCode.Conflict);
    }

    private async Task Declare(string name, string type, string property)
    {
        using var response = await _client.PostJson("/indexes", $$"""{"name":"{{name}}","node_type":"{{type}}","property":"{{property}}"}""");
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, response.StatusCode.ToString());
        await WaitReady(name);
    }

    private async Task<JsonElement> WaitReady(string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var list = await _client.Get("/indexes");
            var index = (await list.Json(HttpStatusCode.OK)).GetProperty("indexes").EnumerateArray().Single(i => i.Str("name") == name);
            if (index.Str("state") == "ready" || DateTime.UtcNow > deadline) return index;
            await Task.Delay(20);
        }
    }

    private async Task<JsonElement> Explain(string query)
    {
        using var response = await _client.PostJson("/query/explain", query);
        return await response.Json(HttpStatusCode.OK);
    }

    private async Task<JsonElement> Query(string query)
    {
        using var response = await _client.PostJson("/query", query);
        return await response.Json(HttpStatusCode.OK);
    }

    /// <summary>The same query with its <c>where</c> moved into a first step, which no index serves: a scan.</summary>
    private static string AsScan(string query)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(query)!.AsObject();
        var where = root["where"]!.DeepClone();
        root.Remove("where");
        root["steps"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["where"] = where });
        return root.ToJsonString();
    }

    private sealed class FolderCleanup(string path) : IDisposable
    {
        public void Dispose() => SilkApiFactory.DeleteFolder(path);
    }

    /// <summary>The ids a query answers; with index false, a where step first keeps any index from serving it.</summary>
    private async Task<List<string>> Ids(string query, bool index)
    {
        var body = await Query(query.Contains("\"select\"", StringComparison.Ordinal) ? query : query.Insert(1, "\"select\":\"ids\","));
        using var explain = await _client.PostJson("/query/explain", query);
        Assert.Equal(index ? "index" : "scan", (await explain.Json(HttpStatusCode.OK)).Str("strategy"));
        return [.. body.Strings("ids")];
    }
}
