using System.Net;

namespace Silk.Tests.Api;

public sealed class BatchApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Json_array_is_applied_in_order()
    {
        using var response = await _client.PostJson("/batch", """
            [{"op":"add_node","node_id":"b-a","node_type":"entity","label":"A","properties":{"name":"a"}},
             {"op":"add_node","node_id":"b-b","node_type":"entity","label":"B","properties":{"name":"b"}},
             {"op":"add_edge","edge_id":"b-ab","edge_type":"RELATES_TO","source_id":"b-a","target_id":"b-b"},
             {"op":"update_property","entity_id":"b-a","key":"score","value":2.5},
             {"op":"remove_node","node_id":"b-b"}]
            """);

        var body = await response.Json(HttpStatusCode.OK);
        Assert.Equal(5, body.GetProperty("applied").GetInt32());
        var hashes = body.Strings("hashes");
        Assert.Equal(5, hashes.Distinct().Count());
        using var a = await _client.Get("/nodes/b-a");
        Assert.Equal("""{"name":"a","score":2.5}""", (await a.Json(HttpStatusCode.OK)).GetProperty("properties").GetRawText());
        using var b = await _client.Get("/nodes/b-b");
        await b.Problem(HttpStatusCode.NotFound);
        using var entry = await _client.Get("/entries/" + hashes[3]);
        Assert.Equal("""{"op":"update_property","entity_id":"b-a","key":"score","value":2.5}""", (await entry.Json(HttpStatusCode.OK)).GetProperty("payload").GetRawText());
    }

    [Fact]
    public async Task Ndjson_is_applied_line_by_line_and_blank_lines_are_ignored()
    {
        const string body = "{\"op\":\"add_node\",\"node_id\":\"bn-1\",\"node_type\":\"entity\",\"label\":\"1\",\"properties\":{\"name\":\"1\"}}\r\n\n"
            + "{\"op\":\"add_node\",\"node_id\":\"bn-2\",\"node_type\":\"entity\",\"label\":\"2\",\"properties\":{\"name\":\"2\"}}\n"
            + "{\"op\":\"remove_edge\",\"edge_id\":\"bn-none\"}";

        using var response = await _client.PostJson("/batch", body, "application/x-ndjson");

        Assert.Equal(3, (await response.Json(HttpStatusCode.OK)).GetProperty("applied").GetInt32());
        using var read = await _client.Get("/nodes/bn-2");
        await read.Json(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Stops_at_the_first_refused_operation_keeping_the_ones_before()
    {
        using var response = await _client.PostJson("/batch", """
            [{"op":"add_node","node_id":"bs-1","node_type":"entity","label":"1","properties":{"name":"1"}},
             {"op":"add_node","node_id":"bs-2","node_type":"entity","label":"2","properties":{"name":"2"}},
             {"op":"add_node","node_id":"bs-3","node_type":"entity","label":"3"},
             {"op":"add_node","node_id":"bs-4","node_type":"entity","label":"4","properties":{"name":"4"}}]
            """);

        var problem = await response.Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2, problem.GetProperty("applied").GetInt32());
        Assert.Equal(2, problem.GetProperty("failed_index").GetInt32());
        Assert.Equal("missing_required_property", problem.Str("rule"));
        Assert.Equal(2, problem.GetProperty("hashes").GetArrayLength());
        Assert.Contains("operation 2", problem.Str("detail"), StringComparison.Ordinal);
        using var second = await _client.Get("/nodes/bs-2");
        await second.Json(HttpStatusCode.OK);
        using var fourth = await _client.Get("/nodes/bs-4");
        await fourth.Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Missing_edge_endpoint_stops_the_batch_with_409()
    {
        using var response = await _client.PostJson("/batch", """
            [{"op":"add_node","node_id":"bc-1","node_type":"entity","label":"1","properties":{"name":"1"}},
             {"op":"add_edge","edge_id":"bc-e","edge_type":"RELATES_TO","source_id":"bc-1","target_id":"bc-ghost"}]
            """);

        var problem = await response.Problem(HttpStatusCode.Conflict);
        Assert.Equal(1, problem.GetProperty("applied").GetInt32());
        Assert.Equal("endpoint_not_found", problem.Str("rule"));
    }

    [Theory]
    [InlineData("""[{"op":"add_node","node_id":"bm-1","node_type":"entity","label":"1","properties":{"name":"1"}},{"op":"add_node","node_id":"bm-2","node_type":"entity","lable":"2"}]""", "operation 1")]
    [InlineData("""[{"op":"add_node","node_id":"bm-1","node_type":"entity","label":"1","properties":{"name":"1"}},{"op":"extend_ontology","extension":{}}]""", "non-bufferable")]
    [InlineData("""[{"op":"add_node","node_id":"bm-1","node_type":"entity","label":"1","properties":{"name":"1"}},{"node_id":"bm-2"}]""", "op")]
    [InlineData("[{\"op\":\"add_node\",\"node_id\":\"bm-1\",\"node_type\":\"entity\",\"label\":\"1\",\"properties\":{\"name\":\"1\"}},{\"op\":\"add_node\",\"node_id\":\"bm-1\"", "not valid JSON")]
    [InlineData("""[{"op":"add_node","node_id":"bm-1","node_type":"entity","label":"1","properties":{"name":"1"}},42]""", "must be a JSON object")]
    [InlineData("""{"op":"add_node","node_id":"bm-1","node_type":"entity","label":"1","properties":{"name":"1"}}""" + "\n{oops}", "line 2")]
    [InlineData("""[{"op":"update_property","entity_id":"bm-1","key":"k"}]""", "value")]
    [InlineData("""[{"op":"update_property","entity_id":"bm-1","key":"k","value":1e999}]""", "out of range")]
    public async Task Malformed_batches_are_400_and_apply_nothing(string body, string mentioned)
    {
        using var response = await _client.PostJson("/batch", body, "application/x-ndjson");

        Assert.Contains(mentioned, (await response.Problem(HttpStatusCode.BadRequest)).Str("detail"), StringComparison.Ordinal);
        using var read = await _client.Get("/nodes/bm-1");
        await read.Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Empty_batch_applies_nothing()
    {
        using var array = await _client.PostJson("/batch", "[]");
        Assert.Equal(0, (await array.Json(HttpStatusCode.OK)).GetProperty("applied").GetInt32());

        using var empty = await _client.PostJson("/batch", "\n\n", "application/x-ndjson");
        Assert.Equal(0, (await empty.Json(HttpStatusCode.OK)).GetProperty("applied").GetInt32());
    }

    [Fact]
    public async Task Other_media_types_are_415_and_large_bodies_413()
    {
        using var text = await _client.PostJson("/batch", "[]", "text/csv");
        await text.Problem(HttpStatusCode.UnsupportedMediaType);

        var line = """{"op":"remove_node","node_id":"x"}""" + "\n";
        using var big = await _client.PostJson("/batch", string.Concat(Enumerable.Repeat(line, 40_000)), "application/x-ndjson");
        await big.Problem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Thousands_of_operations_share_commits()
    {
        var lines = Enumerable.Range(0, 3000).Select(i => $$$"""{"op":"add_node","node_id":"bt-{{{i:D4}}}","node_type":"entity","label":"x","properties":{"name":"x"}}""");

        using var response = await _client.PostJson("/batch", string.Join('\n', lines), "application/x-ndjson");

        Assert.Equal(3000, (await response.Json(HttpStatusCode.OK)).GetProperty("applied").GetInt32());
        using var last = await _client.Get("/nodes/bt-2999");
        await last.Json(HttpStatusCode.OK);
    }
}
