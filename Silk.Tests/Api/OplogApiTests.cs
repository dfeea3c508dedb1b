using System.Net;
using System.Text.Json;

namespace Silk.Tests.Api;

public sealed class OplogApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Entry_has_the_dict_shape_with_the_payload_as_an_object()
    {
        var hash = await _client.CreateNode("o-n", properties: """{"name":"n","w":2.0}""");

        using var response = await _client.Get("/entries/" + hash);
        var entry = await response.Json(HttpStatusCode.OK);

        Assert.Equal(hash, entry.Str("hash"));
        Assert.Equal(["hash", "author", "physical_ms", "logical", "clock_id", "next", "refs", "signature", "payload"], entry.EnumerateObject().Select(p => p.Name));
        Assert.Equal(factory.Host.Store.InstanceId, entry.Str("author"));
        Assert.Equal(entry.Str("author"), entry.Str("clock_id"));
        Assert.True(entry.GetProperty("physical_ms").GetInt64() > 0);
        Assert.Single(entry.Strings("next"));
        Assert.Empty(entry.Strings("refs"));
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("signature").ValueKind);
        Assert.Equal("""{"op":"add_node","node_id":"o-n","node_type":"entity","subtype":null,"label":"o-n","properties":{"name":"n","w":2.0}}""", entry.GetProperty("payload").GetRawText());
    }

    [Fact]
    public async Task Genesis_entry_carries_the_ontology()
    {
        var genesis = factory.Host.Store.EntriesSince(null)[0].Hash.ToHex();

        using var response = await _client.Get("/entries/" + genesis);
        var payload = (await response.Json(HttpStatusCode.OK)).GetProperty("payload");

        Assert.Equal("define_ontology", payload.Str("op"));
        Assert.True(payload.GetProperty("ontology").GetProperty("node_types").TryGetProperty("person", out _));
    }

    [Fact]
    public async Task Bad_and_unknown_hashes()
    {
        using var bad = await _client.Get("/entries/xyz");
        await bad.Problem(HttpStatusCode.BadRequest);

        using var unknown = await _client.Get("/entries/" + new string('a', 64));
        await unknown.Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Heads_follow_writes()
    {
        var hash = await _client.CreateNode("o-head");

        using var response = await _client.Get("/heads");

        Assert.Contains(hash, (await response.Json(HttpStatusCode.OK)).Strings("heads"));
    }

    [Fact]
    public async Task History_lists_every_entry_naming_the_id_parents_first()
    {
        var add = await _client.CreateNode("o-h1");
        await _client.CreateNode("o-h2");
        var edge = await _client.CreateEdge("o-he", "o-h1", "o-h2");
        using var patch = await _client.PatchJson("/nodes/o-h1", """{"properties":{"k":1}}""");
        var update = (await patch.Json(HttpStatusCode.OK)).Strings("hashes")[0];

        using var node = await _client.Get("/nodes/o-h1/history");
        Assert.Equal([add, edge, update], (await node.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(e => e.Str("hash")));

        using var edgeHistory = await _client.Get("/edges/o-he/history");
        Assert.Equal([edge], (await edgeHistory.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(e => e.Str("hash")));

        using var none = await _client.Get("/nodes/o-never/history");
        await none.Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Integrity_and_quarantine()
    {
        using var integrity = await _client.Get("/integrity");
        var report = await integrity.Json(HttpStatusCode.OK);
        Assert.True(report.GetProperty("ok").GetBoolean());
        Assert.Empty(report.Strings("errors"));

        using var quarantine = await _client.Get("/quarantine");
        Assert.Equal(0, (await quarantine.Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());

        using var revalidate = await _client.PostAsync(ApiTestClient.U("/quarantine/revalidate"), null);
        var result = await revalidate.Json(HttpStatusCode.OK);
        Assert.Equal(0, result.GetProperty("released").GetInt32());
        Assert.Equal(0, result.GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task Info_describes_the_store()
    {
        using var response = await _client.Get("/info");
        var info = await response.Json(HttpStatusCode.OK);

        Assert.Equal(factory.Host.Store.InstanceId, info.Str("instance_id"));
        Assert.Equal("fsync", info.Str("durability"));
        Assert.Equal(3, info.GetProperty("protocol_version").GetInt32());
        Assert.Matches("^[0-9a-f]{64}$", info.Str("ontology_hash"));
        Assert.True(info.GetProperty("entry_count").GetInt32() >= 1);
        Assert.NotEmpty(info.Strings("heads"));
        foreach (var name in new[] { "physical_ms", "logical", "node_count", "edge_count" }) Assert.Equal(JsonValueKind.Number, info.GetProperty(name).ValueKind);
    }

    [Fact]
    public async Task Info_counts_live_nodes_and_visible_edges_by_exact_type()
    {
        await using var own = SilkApiFactory.With(new Dictionary<string, string?>());
        using var client = own.CreateClient();
        await client.CreateNode("c-ann", "person");
        await client.CreateNode("c-bob", "person");
        await client.CreateNode("c-doc", "document");
        await client.CreateNode("c-thing");
        await client.CreateEdge("c-wrote", "c-ann", "c-doc", "AUTHORED");
        await client.CreateEdge("c-knows", "c-ann", "c-bob");
        await client.CreateEdge("c-about", "c-doc", "c-thing");

        var info = await Info(client);
        Assert.Equal((4, 3), (info.GetProperty("node_count").GetInt32(), info.GetProperty("edge_count").GetInt32()));
        // person's nodes are not counted again under its parent type entity.
        Assert.Equal("""{"document":1,"entity":1,"person":2}""", info.GetProperty("node_counts_by_type").GetRawText());
        Assert.Equal("""{"AUTHORED":1,"RELATES_TO":2}""", info.GetProperty("edge_counts_by_type").GetRawText());

        // A removed node leaves its type's count, and its edges stop counting with it.
        using (var removed = await client.Delete("/nodes/c-ann")) Assert.True(removed.IsSuccessStatusCode);
        info = await Info(client);
        Assert.Equal("""{"document":1,"entity":1,"person":1}""", info.GetProperty("node_counts_by_type").GetRawText());
        Assert.Equal("""{"RELATES_TO":1}""", info.GetProperty("edge_counts_by_type").GetRawText());
        Assert.Equal((3, 1), (info.GetProperty("node_count").GetInt32(), info.GetProperty("edge_count").GetInt32()));
    }

    private static async Task<JsonElement> Info(HttpClient client)
    {
        using var response = await client.Get("/info");
        return await response.Json(HttpStatusCode.OK);
    }
}
