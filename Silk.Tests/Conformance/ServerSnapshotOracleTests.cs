using System.Net;
using Silk.Core.Wire;
using Silk.Tests.Api;

namespace Silk.Tests.Conformance;

/// <summary>
/// Our snapshots in the original (issue 17): a real server filled through the API with every value kind,
/// removals, a re-add, an ontology extension and a compaction (with writes on both sides of it) serves a
/// <c>GET /sync/snapshot</c> that the original's <c>from_snapshot</c> loads into exactly our state.
/// </summary>
public sealed class ServerSnapshotOracleTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private const string Extension = """
        {"node_types": {"team": {"properties": {"name": {"value_type": "string", "required": true}}}},
         "edge_types": {"MEMBER_OF": {"source_types": ["person"], "target_types": ["team"],
                        "properties": {"since": {"value_type": "int", "required": true}}}}}
        """;

    private const string EveryKind = """
        {"name": "kinds", "null": null, "yes": true, "no": false, "zero": 0, "int_min": -9223372036854775808,
         "int_max": 9223372036854775807, "negative": -42, "float": 1.5, "float_whole": 2.0, "minus_zero": -0.0,
         "tiny": 5e-324, "huge": 1.7976931348623157e308, "text": "grüße, 世界 🧵", "empty": "",
         "list": [1, 1.0, "one", null, [true, {"deep": [false]}]], "map": {"b": 2, "a": {"z": [], "y": {}}}}
        """;

    [Fact]
    public async Task The_original_loads_our_served_snapshot_into_our_state()
    {
        await Expect(await _client.PostJson("/ontology/extensions", Extension), HttpStatusCode.Created);
        await _client.CreateNode("kinds", "entity", EveryKind);
        await _client.CreateNode("ann", "person", """{"name": "ann", "email": "ann@example.org"}""");
        await _client.CreateNode("core", "team", """{"name": "core"}""");
        await _client.CreateNode("doc", "document", """{"name": "d", "tags": ["a", "b"]}""");
        await Expect(await _client.PostJson("/edges", """{"edge_id": "m1", "edge_type": "MEMBER_OF", "source_id": "ann", "target_id": "core", "properties": {"since": 2024}}"""), HttpStatusCode.Created);
        await _client.CreateEdge("r1", "ann", "doc");
        await _client.CreateEdge("r2", "doc", "ann");
        await Expect(await _client.PatchJson("/nodes/kinds", """{"properties": {"zero": 0.0, "gone": null, "list": []}}"""), HttpStatusCode.OK);
        await Expect(await _client.PatchJson("/edges/m1", """{"properties": {"since": 2025}}"""), HttpStatusCode.OK);
        // JSON has no literal for non-finite floats; the log keeps them exactly, so they are written to the store directly.
        var store = factory.Host.Store;
        store.UpdateProperty("kinds", "nan", Value.FromFloat(Oracle.RustNaN));
        store.UpdateProperty("kinds", "inf", Value.FromFloat(double.PositiveInfinity));
        store.UpdateProperty("kinds", "minus_inf", Value.FromFloat(double.NegativeInfinity));
        await Expect(await _client.Delete("/edges/r2"), HttpStatusCode.OK);
        await Expect(await _client.Delete("/nodes/doc"), HttpStatusCode.OK);
        await _client.CreateNode("doc", "document", """{"name": "d again"}""");

        await Expect(await _client.PostAsync(ApiTestClient.U("/compact"), null), HttpStatusCode.OK);

        await _client.CreateNode("bo", "person", """{"name": "bo"}""");
        await Expect(await _client.PostJson("/edges", """{"edge_id": "m2", "edge_type": "MEMBER_OF", "source_id": "bo", "target_id": "core", "properties": {"since": 2026}}"""), HttpStatusCode.Created);
        await Expect(await _client.PatchJson("/nodes/ann", """{"properties": {"email": "a@example.org"}}"""), HttpStatusCode.OK);
        await Expect(await _client.Delete("/edges/r1"), HttpStatusCode.OK);

        using var served = await _client.Get("/sync/snapshot");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var original = Oracle.LoadSnapshot(await served.Content.ReadAsByteArrayAsync());
        var ours = Oracle.State(store);
        Assert.Equal(ours, original);
        Assert.Contains("node kinds entity", ours, StringComparison.Ordinal);
        Assert.Contains("edge m1 MEMBER_OF|ann->core", ours, StringComparison.Ordinal);
    }

    private static async Task Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response) await response.Json(status);
    }
}
