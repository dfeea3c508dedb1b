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
}
