using System.Net;

namespace Silk.Tests.Api;

public sealed class OntologyApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Reads_the_configured_ontology()
    {
        using var response = await _client.Get("/ontology");
        var ontology = await response.Json(HttpStatusCode.OK);

        var person = ontology.GetProperty("node_types").GetProperty("person");
        Assert.Equal("entity", person.Str("parent_type"));
        Assert.Equal("string", person.GetProperty("properties").GetProperty("email").Str("value_type"));
        Assert.Equal("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", person.GetProperty("properties").GetProperty("email").GetProperty("constraints").Str("pattern"));
        Assert.True(ontology.GetProperty("node_types").GetProperty("entity").GetProperty("properties").GetProperty("name").GetProperty("required").GetBoolean());
        Assert.Equal(["person"], ontology.GetProperty("edge_types").GetProperty("AUTHORED").Strings("source_types"));
    }

    [Fact]
    public async Task Extension_is_written_and_then_usable()
    {
        using var extend = await _client.PostJson("/ontology/extensions", """
            {"node_types":{"team":{"description":"A team","properties":{"size":{"value_type":"int","constraints":{"min":1}}}}},
             "edge_types":{"MEMBER_OF":{"source_types":["person"],"target_types":["team"]}},
             "node_type_updates":{"document":{"add_properties":{"pages":{"value_type":"int"}}}}}
            """);
        var created = await extend.Json(HttpStatusCode.Created);
        Assert.Matches("^[0-9a-f]{64}$", created.Str("hash"));
        Assert.Equal("/ontology", extend.Headers.Location?.OriginalString);

        using var bad = await _client.PostJson("/nodes", """{"node_id":"ot-t","node_type":"team","label":"t","properties":{"size":0}}""");
        Assert.Equal("constraint_violation", (await bad.Problem(HttpStatusCode.UnprocessableEntity)).Str("rule"));
        await _client.CreateNode("ot-t", "team", """{"size":3}""");
        await _client.CreateNode("ot-p", "person", """{"name":"p"}""");
        await _client.CreateEdge("ot-m", "ot-p", "ot-t", "MEMBER_OF");

        using var entry = await _client.Get("/entries/" + created.Str("hash"));
        Assert.Equal("extend_ontology", (await entry.Json(HttpStatusCode.OK)).GetProperty("payload").Str("op"));

        using var again = await _client.PostJson("/ontology/extensions", """{"node_types":{"team":{}}}""");
        var problem = await again.Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("duplicate_node_type", problem.Str("rule"));
    }

    [Theory]
    [InlineData("""{"node_types":{"x1":{"properties":{"p":{"value_type":"string","requred":true}}}}}""", "requred")]
    [InlineData("""{"node_typs":{}}""", "node_typs")]
    [InlineData("""{"node_types":{"x1":{"properties":{"p":{"value_type":"text"}}}}}""", "value_type")]
    [InlineData("""{"node_types":{"x1":{"properties":{"p":{"value_type":0}}}}}""", "value_type")]
    [InlineData("""{"edge_types":{"E1":{"source_types":["entity"]}}}""", "target_types")]
    [InlineData("""{"node_types":[]}""", "node_types")]
    public async Task Malformed_extensions_are_400(string body, string mentioned)
    {
        using var response = await _client.PostJson("/ontology/extensions", body);

        Assert.Contains(mentioned, (await response.Problem(HttpStatusCode.BadRequest)).Str("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{}""", "empty_extension")]
    [InlineData("""{"edge_types":{"E2":{"source_types":["ghost"],"target_types":["entity"]}}}""", null)]
    [InlineData("""{"node_type_updates":{"ghost":{"add_properties":{"p":{"value_type":"int"}}}}}""", "unknown_node_type")]
    public async Task Inconsistent_extensions_are_422_with_rule(string body, string? rule)
    {
        using var response = await _client.PostJson("/ontology/extensions", body);

        var problem = await response.Problem(HttpStatusCode.UnprocessableEntity);
        if (rule is not null) Assert.Equal(rule, problem.Str("rule"));
        else Assert.False(string.IsNullOrEmpty(problem.Str("rule")));
    }

    [Fact]
    public async Task Reading_the_ontology_gives_its_hash_and_fingerprint_beside_the_types()
    {
        using var response = await _client.Get("/ontology");
        var ontology = await response.Json(HttpStatusCode.OK);
        using var info = await _client.Get("/info");

        Assert.Equal((await info.Json(HttpStatusCode.OK)).Str("ontology_hash"), ontology.Str("hash"));
        var facts = ontology.Strings("fingerprint");
        Assert.Contains("fingerprint_version:2", facts);
        Assert.Contains("inherited:person:name:string:required", facts);
        Assert.Contains("constraint:person:email:pattern:\"^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$\"", facts);
        Assert.Contains("edge:AUTHORED:src:person", facts);
        Assert.Equal(facts.Order(StringComparer.Ordinal), facts);
        Assert.True(ontology.GetProperty("node_types").TryGetProperty("person", out _));
    }

    [Fact]
    public async Task Compatibility_is_identical_superset_subset_or_divergent()
    {
        await using var widened = new SilkApiFactory();
        await using var plain = new SilkApiFactory();
        using var a = widened.CreateClient();
        using var b = plain.CreateClient();
        var before = await Facts(a);
        using (var extend = await a.PostJson("/ontology/extensions", """{"edge_type_updates":{"AUTHORED":{"add_source_types":["entity"]}}}"""))
        {
            await extend.Json(HttpStatusCode.Created);
        }

        var after = await Facts(a);
        Assert.NotEqual(before.Hash, after.Hash);

        Assert.Equal(("identical", after.Hash), await Verdict(a, after.Hash, after.Facts));
        // Another hash with the same facts (a description changed) is still identical.
        Assert.Equal("identical", (await Verdict(a, new string('e', 64), after.Facts)).Verdict);
        // The widened edge binding is one fact more here: superset; the plain store sees the reverse.
        Assert.Equal("superset", (await Verdict(a, before.Hash, before.Facts)).Verdict);
        Assert.Equal("subset", (await Verdict(b, after.Hash, after.Facts)).Verdict);

        using (var extend = await b.PostJson("/ontology/extensions", """{"node_types":{"rack":{}}}"""))
        {
            await extend.Json(HttpStatusCode.Created);
        }

        Assert.Equal("divergent", (await Verdict(b, after.Hash, after.Facts)).Verdict);
        Assert.Equal("divergent", (await Verdict(a, (await Facts(b)).Hash, (await Facts(b)).Facts)).Verdict);
    }

    [Theory]
    [InlineData("""{"hash":"xyz","fingerprint":[]}""", "hash")]
    [InlineData("""{"hash":"","fingerprint":["type:entity"]}""", "hash")]
    [InlineData("""{"fingerprint":["type:entity"]}""", "hash")]
    [InlineData("""{"hash":"0000000000000000000000000000000000000000000000000000000000000000"}""", "fingerprint")]
    [InlineData("""{"hash":"0000000000000000000000000000000000000000000000000000000000000000","fingerprint":[null]}""", "fingerprint")]
    [InlineData("""{"hash":"0000000000000000000000000000000000000000000000000000000000000000","fingerprint":"type:entity"}""", "fingerprint")]
    [InlineData("""{"hash":"0000000000000000000000000000000000000000000000000000000000000000","fingerprint":[],"more":1}""", "more")]
    public async Task Malformed_compatibility_requests_are_400(string body, string mentioned)
    {
        using var response = await _client.PostJson("/ontology/compatibility", body);

        Assert.Contains(mentioned, (await response.Problem(HttpStatusCode.BadRequest)).Str("detail"), StringComparison.Ordinal);
    }

    private static async Task<(string Hash, IReadOnlyList<string> Facts)> Facts(HttpClient client)
    {
        using var response = await client.Get("/ontology");
        var ontology = await response.Json(HttpStatusCode.OK);
        return (ontology.Str("hash"), ontology.Strings("fingerprint"));
    }

    private static async Task<(string Verdict, string LocalHash)> Verdict(HttpClient client, string hash, IReadOnlyList<string> facts)
    {
        using var response = await client.PostJson("/ontology/compatibility", System.Text.Json.JsonSerializer.Serialize(new { hash, fingerprint = facts }));
        var answer = await response.Json(HttpStatusCode.OK);
        return (answer.Str("verdict"), answer.Str("local_hash"));
    }
}
