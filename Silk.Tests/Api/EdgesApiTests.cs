using System.Net;
using System.Text.Json;

namespace Silk.Tests.Api;

public sealed class EdgesApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Create_returns_201_with_location_edge_and_hash()
    {
        await _client.CreateNode("e-ada", "person");
        await _client.CreateNode("e-doc", "document");

        using var response = await _client.PostJson("/edges", """{"edge_id":"e-wrote","edge_type":"AUTHORED","source_id":"e-ada","target_id":"e-doc","properties":{"year":1843}}""");

        var body = await response.Json(HttpStatusCode.Created);
        Assert.Equal("/edges/e-wrote", response.Headers.Location?.OriginalString);
        Assert.Equal("""{"edge_id":"e-wrote","edge_type":"AUTHORED","source_id":"e-ada","target_id":"e-doc","properties":{"year":1843}}""", body.GetProperty("edge").GetRawText());
        using var read = await _client.Get("/edges/e-wrote");
        Assert.Equal(body.GetProperty("edge").GetRawText(), (await read.Json(HttpStatusCode.OK)).GetRawText());
    }

    [Fact]
    public async Task Missing_endpoint_is_409_with_rule()
    {
        await _client.CreateNode("e-lonely");

        using var target = await _client.PostJson("/edges", """{"edge_id":"e-x","edge_type":"RELATES_TO","source_id":"e-lonely","target_id":"e-nobody"}""");
        var problem = await target.Problem(HttpStatusCode.Conflict);
        Assert.Equal("endpoint_not_found", problem.Str("rule"));
        Assert.Contains("e-nobody", problem.Str("detail"), StringComparison.Ordinal);

        using var source = await _client.PostJson("/edges", """{"edge_id":"e-x","edge_type":"RELATES_TO","source_id":"e-nobody","target_id":"e-lonely"}""");
        await source.Problem(HttpStatusCode.Conflict);
        using var read = await _client.Get("/edges/e-x");
        await read.Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Endpoint_type_mismatch_and_unknown_edge_type_are_422_with_rule()
    {
        await _client.CreateNode("e-p", "person");
        await _client.CreateNode("e-d", "document");

        using var reversed = await _client.PostJson("/edges", """{"edge_id":"e-y","edge_type":"AUTHORED","source_id":"e-d","target_id":"e-p"}""");
        var problem = await reversed.Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("invalid_source", problem.Str("rule"));
        Assert.Equal(["person"], problem.Strings("allowed"));

        using var unknown = await _client.PostJson("/edges", """{"edge_id":"e-y","edge_type":"LIKES","source_id":"e-p","target_id":"e-d"}""");
        Assert.Equal("unknown_edge_type", (await unknown.Problem(HttpStatusCode.UnprocessableEntity)).Str("rule"));
    }

    [Theory]
    [InlineData("""{"edge_id":"e-z","edge_type":"RELATES_TO","source_id":"a"}""")]
    [InlineData("""{"edge_id":"e-z","edge_type":"RELATES_TO","source_id":"a","target_id":"b","source":"a"}""")]
    [InlineData("""{"edge_id":1,"edge_type":"RELATES_TO","source_id":"a","target_id":"b"}""")]
    [InlineData("""{"edge_id":"e-z","edge_type":"RELATES_TO","source_id":"a","target_id":["b"]}""")]
    public async Task Malformed_bodies_are_400(string body)
    {
        using var response = await _client.PostJson("/edges", body);

        await response.Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task List_pages_by_type()
    {
        for (var i = 0; i < 7; i++) await _client.CreateNode($"el-{i}");
        for (var i = 0; i < 6; i++) await _client.CreateEdge($"el-e{i}", $"el-{i}", $"el-{i + 1}");

        var seen = new List<string>();
        string? after = null;
        do
        {
            using var response = await _client.Get($"/edges?type=RELATES_TO&limit=4{(after is null ? "" : "&after=" + after)}");
            var page = await response.Json(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.Str("edge_id")));
            after = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.Str("next");
        }
        while (after is not null);

        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"el-e{i}"), seen.Where(s => s.StartsWith("el-", StringComparison.Ordinal)));
        using var none = await _client.Get("/edges?type=AUTHORED&limit=1000");
        Assert.DoesNotContain((await none.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray(), e => e.Str("edge_id").StartsWith("el-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Patch_and_delete()
    {
        await _client.CreateNode("ep-a");
        await _client.CreateNode("ep-b");
        await _client.CreateEdge("ep-e", "ep-a", "ep-b");

        using var patch = await _client.PatchJson("/edges/ep-e", """{"properties":{"weight":0.5}}""");
        var patched = await patch.Json(HttpStatusCode.OK);
        Assert.Equal("""{"weight":0.5}""", patched.GetProperty("edge").GetProperty("properties").GetRawText());
        Assert.Single(patched.Strings("hashes"));

        using var delete = await _client.Delete("/edges/ep-e");
        await delete.Json(HttpStatusCode.OK);
        using var read = await _client.Get("/edges/ep-e");
        await read.Problem(HttpStatusCode.NotFound);
        using var again = await _client.Delete("/edges/ep-e");
        await again.Problem(HttpStatusCode.NotFound);
        using var patchGone = await _client.PatchJson("/edges/ep-e", """{"properties":{"weight":1.5}}""");
        await patchGone.Problem(HttpStatusCode.NotFound);
    }
}
