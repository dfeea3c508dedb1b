using System.Net;
using System.Text.Json;
using static Silk.Tests.Api.ApiTestClient;

namespace Silk.Tests.Api;

public sealed class NodesApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Create_returns_201_with_location_node_and_entry_hash()
    {
        using var response = await _client.PostJson("/nodes",
            """{"node_id":"n-create","node_type":"person","label":"Ada","properties":{"name":"Ada","email":"ada@example.org"}}""");

        var body = await response.Json(HttpStatusCode.Created);
        Assert.Equal("/nodes/n-create", response.Headers.Location?.OriginalString);
        Assert.Matches("^[0-9a-f]{64}$", body.Str("hash"));
        var node = body.GetProperty("node");
        Assert.Equal("n-create", node.Str("node_id"));
        Assert.Equal("person", node.Str("node_type"));
        Assert.Equal(JsonValueKind.Null, node.GetProperty("subtype").ValueKind);
        Assert.Equal("Ada", node.Str("label"));
        Assert.Equal("ada@example.org", node.GetProperty("properties").Str("email"));

        using var read = await _client.Get("/nodes/n-create");
        var again = await read.Json(HttpStatusCode.OK);
        Assert.Equal(node.GetRawText(), again.GetRawText());
    }

    [Fact]
    public async Task Property_values_keep_their_kind_ints_floats_lists_maps()
    {
        const string properties = """{"name":"k","i":1,"f":1.0,"big":1.5e300,"neg":-0.0,"l":[1,2.5,"x",null,true],"m":{"a":{"b":[]}}}""";
        await _client.CreateNode("n-kinds", properties: properties);

        using var read = await _client.Get("/nodes/n-kinds");
        var text = (await read.Json(HttpStatusCode.OK)).GetProperty("properties").GetRawText();

        Assert.Equal("""{"big":1.5e300,"f":1.0,"i":1,"l":[1,2.5,"x",null,true],"m":{"a":{"b":[]}},"name":"k","neg":-0.0}""", text);
    }

    [Fact]
    public async Task Unknown_node_is_404_problem()
    {
        using var response = await _client.Get("/nodes/no-such-node");

        var problem = await response.Problem(HttpStatusCode.NotFound);
        Assert.Contains("no-such-node", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_violation_is_422_with_message_and_rule_and_nothing_is_written()
    {
        var before = await EntryCount();

        using var missing = await _client.PostJson("/nodes", """{"node_id":"n-bad","node_type":"entity","label":"x"}""");
        var p1 = await missing.Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("missing_required_property", p1.Str("rule"));
        Assert.Contains("name", p1.Str("detail"), StringComparison.Ordinal);

        using var pattern = await _client.PostJson("/nodes", """{"node_id":"n-bad","node_type":"person","label":"x","properties":{"name":"x","email":"nope"}}""");
        var p2 = await pattern.Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("constraint_violation", p2.Str("rule"));
        Assert.Equal("email", p2.Str("property"));
        Assert.Equal("pattern", p2.Str("constraint"));

        using var wrongType = await _client.PostJson("/nodes", """{"node_id":"n-bad","node_type":"entity","label":"x","properties":{"name":5}}""");
        Assert.Equal("wrong_property_type", (await wrongType.Problem(HttpStatusCode.UnprocessableEntity)).Str("rule"));

        using var unknownType = await _client.PostJson("/nodes", """{"node_id":"n-bad","node_type":"planet","label":"x"}""");
        Assert.Equal("unknown_node_type", (await unknownType.Problem(HttpStatusCode.UnprocessableEntity)).Str("rule"));

        Assert.Equal(before, await EntryCount());
        using var read = await _client.Get("/nodes/n-bad");
        await read.Problem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"node_id":"n-x","node_type":"entity","lable":"x","properties":{"name":"x"}}""", "lable")]
    [InlineData("""{"node_id":"n-x","node_type":"entity","label":"x","propertes":{"name":"x"}}""", "propertes")]
    [InlineData("""{"node_id":"n-x","node_type":"entity","label":5}""", "label")]
    [InlineData("""{"node_id":"n-x","node_type":"entity","label":null}""", "label")]
    [InlineData("""{"node_id":"n-x","node_type":"entity"}""", "label")]
    [InlineData("""{"node_id":"n-x","node_type":"entity","label":"x","properties":[1]}""", "properties")]
    [InlineData("""{"node_id":"n-x","node_type":"entity","label":"x","properties":{"name":1e999}}""", "out of range")]
    [InlineData("""{"node_id":"n-x","node_type":"entity","label":"x",}""", "")]
    [InlineData("""{"node_id":"n-x" "node_type":"entity"}""", "")]
    [InlineData("""[]""", "")]
    [InlineData("""null""", "")]
    [InlineData("", "body")]
    public async Task Malformed_or_mistyped_bodies_are_400_problems(string body, string mentioned)
    {
        var before = await EntryCount();

        using var response = await _client.PostJson("/nodes", body);

        var problem = await response.Problem(HttpStatusCode.BadRequest);
        Assert.Contains(mentioned, problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await EntryCount());
    }

    [Fact]
    public async Task Non_json_content_type_is_415_problem()
    {
        using var response = await _client.PostJson("/nodes", """{"node_id":"n-x","node_type":"entity","label":"x"}""", "text/plain");

        await response.Problem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Oversized_body_is_413_problem_with_or_without_content_length()
    {
        var big = $$$"""{"node_id":"n-big","node_type":"entity","label":"x","properties":{"name":"{{{new string('a', 1_100_000)}}}"}}""";

        using var declared = await _client.PostJson("/nodes", big);
        var problem = await declared.Problem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1048576", problem.Str("detail"), StringComparison.Ordinal);

        using var chunked = new HttpRequestMessage(HttpMethod.Post, U("/nodes"))
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(big))),
        };
        chunked.Content.Headers.ContentType = Media("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        using var streamed = await _client.SendAsync(chunked);
        await streamed.Problem(HttpStatusCode.RequestEntityTooLarge);

        using var read = await _client.Get("/nodes/n-big");
        await read.Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Re_adding_a_node_updates_label_and_merges_properties()
    {
        await _client.CreateNode("n-readd", properties: """{"name":"first","a":1}""");
        using var again = await _client.PostJson("/nodes", """{"node_id":"n-readd","node_type":"entity","label":"second","properties":{"name":"second"}}""");

        var node = (await again.Json(HttpStatusCode.Created)).GetProperty("node");
        Assert.Equal("second", node.Str("label"));
        Assert.Equal("""{"a":1,"name":"second"}""", node.GetProperty("properties").GetRawText());
    }

    [Fact]
    public async Task Listing_filters_by_type_subtype_and_property()
    {
        await _client.CreateNode("lf-p1", "person", """{"name":"p1","team":"red","n":1}""");
        await _client.CreateNode("lf-p2", "person", """{"name":"p2","team":"blue","n":1.0}""");
        await _client.CreateNode("lf-d1", "document", """{"name":"d1","team":"red"}""");

        Assert.Equal(["lf-p1", "lf-p2"], await ListIds("/nodes?type=person&limit=1000", "lf-"));
        Assert.Equal(["lf-d1", "lf-p1", "lf-p2"], await ListIds("/nodes?type=entity&limit=1000", "lf-"));
        Assert.Equal(["lf-d1", "lf-p1"], await ListIds("/nodes?property=team:red&limit=1000", "lf-"));
        Assert.Equal(["lf-d1", "lf-p1"], await ListIds("/nodes?property=team:%22red%22&limit=1000", "lf-"));
        Assert.Equal(["lf-p1"], await ListIds("/nodes?type=person&property=team:red&limit=1000", "lf-"));
        Assert.Equal(["lf-p1"], await ListIds("/nodes?property=n:1&limit=1000", "lf-"));
        Assert.Equal(["lf-p2"], await ListIds("/nodes?property=n:1.0&limit=1000", "lf-"));
        Assert.Empty(await ListIds("/nodes?subtype=none&limit=1000", "lf-"));

        using var bad = await _client.Get("/nodes?property=nocolon");
        await bad.Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Listing_filters_by_label_text_ignoring_case_with_type_and_paging()
    {
        await CreateLabelled("lb-1", "person", "Ada Lovelace", "a");
        await CreateLabelled("lb-2", "document", "Notes on the Engine by ADA", "n");
        await CreateLabelled("lb-3", "person", "Charles Babbage", "c");
        await CreateLabelled("lb-4", "person", "Adam", "d");

        Assert.Equal(["lb-1", "lb-2", "lb-4"], await ListIds("/nodes?label=ada&limit=1000", "lb-"));
        Assert.Equal(["lb-1", "lb-4"], await ListIds("/nodes?type=person&label=ADA&limit=1000", "lb-"));
        Assert.Equal(["lb-1"], await ListIds("/nodes?label=ada%20l&property=name:a&limit=1000", "lb-"));
        Assert.Empty(await ListIds("/nodes?label=nobody-has-this&limit=1000", "lb-"));

        // Paging over a filtered list: the cursor is the last id of the page, and the next page goes on after it.
        using var first = await _client.Get("/nodes?label=ada&type=entity&limit=1&after=lb-0");
        var page = await first.Json(HttpStatusCode.OK);
        Assert.Equal("lb-1", page.GetProperty("items")[0].Str("node_id"));
        Assert.Equal("lb-1", page.Str("next"));
        using var second = await _client.Get("/nodes?label=ada&type=entity&limit=1&after=lb-1");
        Assert.Equal("lb-2", (await second.Json(HttpStatusCode.OK)).GetProperty("items")[0].Str("node_id"));
    }

    [Fact]
    public async Task Cursor_paging_visits_every_node_once_in_id_order()
    {
        var ids = Enumerable.Range(0, 23).Select(i => $"pg-{i:D3}").ToList();
        foreach (var id in ids) await _client.CreateNode(id);

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            using var response = await _client.Get($"/nodes?type=entity&limit=5{(after is null ? "" : $"&after={Uri.EscapeDataString(after)}")}");
            var page = await response.Json(HttpStatusCode.OK);
            var items = page.GetProperty("items").EnumerateArray().Select(n => n.Str("node_id")).ToList();
            Assert.True(items.Count <= 5);
            seen.AddRange(items);
            after = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.Str("next");
            if (after is not null) Assert.Equal(items[^1], after);
            pages++;
        }
        while (after is not null && pages < 100);

        var mine = seen.Where(s => s.StartsWith("pg-", StringComparison.Ordinal)).ToList();
        Assert.Equal(ids, mine);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
    }

    [Theory]
    [InlineData("/nodes?limit=0")]
    [InlineData("/nodes?limit=1001")]
    [InlineData("/nodes?limit=-1")]
    [InlineData("/nodes?limit=ten")]
    [InlineData("/edges?limit=0")]
    [InlineData("/nodes/x?as_of=yesterday")]
    [InlineData("/nodes?as_of=1.2.3")]
    [InlineData("/nodes/x/edges?direction=sideways")]
    [InlineData("/nodes/x/edges?direction=1")]
    [InlineData("/nodes/x/edges?direction=Out")]
    public async Task Bad_query_values_are_400_problems(string path)
    {
        using var response = await _client.Get(path);

        await response.Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Default_limit_is_100()
    {
        for (var i = 0; i < 105; i++) await _client.CreateNode($"dl-{i:D3}");

        using var response = await _client.Get("/nodes");
        var page = await response.Json(HttpStatusCode.OK);

        Assert.Equal(100, page.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.String, page.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task Patch_sets_each_property_with_its_own_entry()
    {
        await _client.CreateNode("n-patch", "person", """{"name":"p"}""");

        using var response = await _client.PatchJson("/nodes/n-patch", """{"properties":{"email":"p@example.org","age":41}}""");

        var body = await response.Json(HttpStatusCode.OK);
        Assert.Equal(2, body.GetProperty("hashes").GetArrayLength());
        Assert.Equal("""{"age":41,"email":"p@example.org","name":"p"}""", body.GetProperty("node").GetProperty("properties").GetRawText());
    }

    [Fact]
    public async Task Patch_with_one_invalid_property_writes_nothing()
    {
        await _client.CreateNode("n-patch2", "person", """{"name":"p","email":"old@example.org"}""");
        var before = await EntryCount();

        using var response = await _client.PatchJson("/nodes/n-patch2", """{"properties":{"age":41,"email":"broken"}}""");

        Assert.Equal("constraint_violation", (await response.Problem(HttpStatusCode.UnprocessableEntity)).Str("rule"));
        Assert.Equal(before, await EntryCount());
        using var read = await _client.Get("/nodes/n-patch2");
        Assert.Equal("""{"email":"old@example.org","name":"p"}""", (await read.Json(HttpStatusCode.OK)).GetProperty("properties").GetRawText());
    }

    [Theory]
    [InlineData("""{"properties":{}}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"props":{"a":1}}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"properties":{"a":1},"extra":true}""", HttpStatusCode.BadRequest)]
    [InlineData("""{}""", HttpStatusCode.BadRequest)]
    public async Task Patch_refuses_bad_bodies(string body, HttpStatusCode status)
    {
        await _client.CreateNode("n-patch3");

        using var response = await _client.PatchJson("/nodes/n-patch3", body);

        await response.Problem(status);
    }

    [Fact]
    public async Task Patch_and_delete_of_unknown_node_are_404()
    {
        using var patch = await _client.PatchJson("/nodes/ghost", """{"properties":{"a":1}}""");
        await patch.Problem(HttpStatusCode.NotFound);

        using var delete = await _client.Delete("/nodes/ghost");
        await delete.Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_removes_the_node_and_hides_its_edges()
    {
        await _client.CreateNode("del-a");
        await _client.CreateNode("del-b");
        await _client.CreateEdge("del-e", "del-a", "del-b");

        using var delete = await _client.Delete("/nodes/del-b");
        Assert.Matches("^[0-9a-f]{64}$", (await delete.Json(HttpStatusCode.OK)).Str("hash"));

        using var node = await _client.Get("/nodes/del-b");
        await node.Problem(HttpStatusCode.NotFound);
        using var edges = await _client.Get("/nodes/del-a/edges");
        Assert.Equal(0, (await edges.Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        using var again = await _client.Delete("/nodes/del-b");
        await again.Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Adjacency_by_direction_and_neighbors()
    {
        await _client.CreateNode("adj-a");
        await _client.CreateNode("adj-b");
        await _client.CreateNode("adj-c");
        await _client.CreateEdge("adj-ab", "adj-a", "adj-b");
        await _client.CreateEdge("adj-ca", "adj-c", "adj-a");
        await _client.CreateEdge("adj-aa", "adj-a", "adj-a");

        Assert.Equal(["adj-aa", "adj-ab"], await EdgeIds("/nodes/adj-a/edges?direction=out"));
        Assert.Equal(["adj-aa", "adj-ca"], await EdgeIds("/nodes/adj-a/edges?direction=in"));
        Assert.Equal(["adj-aa", "adj-ab", "adj-ca"], await EdgeIds("/nodes/adj-a/edges?direction=both"));
        Assert.Equal(["adj-aa", "adj-ab", "adj-ca"], await EdgeIds("/nodes/adj-a/edges"));

        using var neighbors = await _client.Get("/nodes/adj-a/neighbors");
        Assert.Equal(["adj-a", "adj-b"], (await neighbors.Json(HttpStatusCode.OK)).Strings("node_ids"));

        using var unknown = await _client.Get("/nodes/adj-zzz/neighbors");
        await unknown.Problem(HttpStatusCode.NotFound);
        using var unknownEdges = await _client.Get("/nodes/adj-zzz/edges");
        await unknownEdges.Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Ids_with_reserved_characters_round_trip_through_the_path()
    {
        await _client.CreateNode("a b?c#d&e");

        using var response = await _client.Get("/nodes/" + Uri.EscapeDataString("a b?c#d&e"));

        Assert.Equal("a b?c#d&e", (await response.Json(HttpStatusCode.OK)).Str("node_id"));
    }

    private async Task<int> EntryCount()
    {
        using var response = await _client.Get("/info");
        return (await response.Json(HttpStatusCode.OK)).GetProperty("entry_count").GetInt32();
    }

    private async Task CreateLabelled(string id, string type, string label, string name)
    {
        using var response = await _client.PostJson("/nodes", $$$"""{"node_id":"{{{id}}}","node_type":"{{{type}}}","label":"{{{label}}}","properties":{"name":"{{{name}}}"}}""");
        await response.Json(HttpStatusCode.Created);
    }

    private async Task<List<string>> ListIds(string path, string prefix)
    {
        using var response = await _client.Get(path);
        return (await response.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Select(n => n.Str("node_id")).Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    private async Task<List<string>> EdgeIds(string path)
    {
        using var response = await _client.Get(path);
        return (await response.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(e => e.Str("edge_id")).ToList();
    }
}
