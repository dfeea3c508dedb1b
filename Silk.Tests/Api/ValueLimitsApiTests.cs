using System.Net;

namespace Silk.Tests.Api;

/// <summary>
/// Every value, id and key limit broken through the API is a 4xx problem that names the limit, and nothing
/// is written; a value just inside each limit is accepted.
/// </summary>
public sealed class ValueLimitsApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static readonly string LongId = new('n', 1025);
    private static readonly string LongKey = new('k', 1025);
    private static readonly string TooManyItems = string.Join(",", Enumerable.Repeat("0", 10_001));
    private static readonly string TooManyEntries = string.Join(",", Enumerable.Range(0, 10_001).Select(i => $"\"k{i}\":0"));

    private static string Node(string id, string extraProperties = "") =>
        "{\"node_id\":\"" + id + "\",\"node_type\":\"entity\",\"label\":\"x\",\"properties\":{\"name\":\"x\"" + extraProperties + "}}";

    public static TheoryData<string, string, string, string> Violations() => new()
    {
        { "POST", "/nodes", Node(LongId), "max_id_bytes" },
        { "POST", "/nodes", Node(string.Concat(Enumerable.Repeat("é", 513))), "max_id_bytes" },
        { "POST", "/nodes", Node("lim-k", ",\"" + LongKey + "\":1"), "max_key_bytes" },
        { "POST", "/nodes", Node("lim-l", ",\"l\":[" + TooManyItems + "]"), "max_items" },
        { "POST", "/nodes", Node("lim-m", ",\"m\":{" + TooManyEntries + "}"), "max_items" },
        { "PATCH", "/nodes/lim-base", "{\"properties\":{\"" + LongKey + "\":1}}", "max_key_bytes" },
        { "PATCH", "/nodes/lim-base", "{\"properties\":{\"l\":[" + TooManyItems + "]}}", "max_items" },
        { "POST", "/edges", $$"""{"edge_id":"{{LongId}}","edge_type":"RELATES_TO","source_id":"lim-base","target_id":"lim-base"}""", "max_id_bytes" },
        { "POST", "/edges", $$"""{"edge_id":"lim-e","edge_type":"RELATES_TO","source_id":"{{LongId}}","target_id":"lim-base"}""", "max_id_bytes" },
        { "POST", "/batch", $$"""[{"op":"update_property","entity_id":"lim-base","key":"{{LongKey}}","value":1}]""", "max_key_bytes" },
        { "POST", "/batch", $$"""[{"op":"remove_node","node_id":"{{LongId}}"}]""", "max_id_bytes" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_broken_limit_is_a_problem_naming_it_and_writes_nothing(string method, string path, string body, string limit)
    {
        await EnsureBaseNode();
        var heads = factory.Host.Store.Heads;
        var count = factory.Host.Store.EntryCount;

        using var request = new HttpRequestMessage(new HttpMethod(method), ApiTestClient.U(path));
        if (body.Length > 0) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _client.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"limit\":\"{limit}\"", text, StringComparison.Ordinal);
        Assert.Contains("\"rule\":\"value_limit\"", text, StringComparison.Ordinal);
        Assert.Equal(heads, factory.Host.Store.Heads);
        Assert.Equal(count, factory.Host.Store.EntryCount);
    }

    [Fact]
    public async Task Values_just_inside_the_limits_are_accepted()
    {
        var id = new string('i', 1024);
        var key = new string('k', 1024);
        var list = string.Join(",", Enumerable.Repeat("0", 10_000));
        using var created = await _client.PostJson("/nodes", Node(id, ",\"" + key + "\":[" + list + "]"));
        await created.Json(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Json_nesting_beyond_64_levels_is_a_problem_naming_the_depth()
    {
        var deep = new string('[', 70) + new string(']', 70);
        using var response = await _client.PostJson("/nodes", Node("lim-deep", ",\"d\":" + deep));
        var problem = await response.Problem(HttpStatusCode.BadRequest);
        Assert.Contains("64", problem.Str("detail"), StringComparison.Ordinal);
    }

    private async Task EnsureBaseNode()
    {
        using var check = await _client.Get("/nodes/lim-base");
        if (check.StatusCode != HttpStatusCode.OK) await _client.CreateNode("lim-base");
    }
}
