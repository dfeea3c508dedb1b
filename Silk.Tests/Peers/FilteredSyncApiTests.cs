using System.Net;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Tests.Api;

namespace Silk.Tests.Peers;

/// <summary><c>POST /sync/offer?node_types=…</c> and a partial replica's refusals, on the real app in memory.</summary>
public sealed class FilteredSyncApiTests
{
    private static readonly Dictionary<string, string?> Quiet = new() { ["Silk:Gossip:IntervalSeconds"] = "0" };

    /// <summary>A server with people, documents, entities and edges between them; the offer of a peer that has only the genesis.</summary>
    private static async Task<(SilkApiFactory App, HttpClient Client, SyncOffer Offer)> Populated()
    {
        var app = SilkApiFactory.With(Quiet);
        var client = app.CreateClient();
        using var fresh = GraphStore.FromSnapshot("fresh", app.Host.Store.ExportSnapshot());
        var offer = fresh.GenerateOffer();
        await client.CreateNode("alice", "person");
        await client.CreateNode("d1", "document");
        await client.CreateEdge("w1", "alice", "d1", "AUTHORED");
        for (var i = 0; i < 10; i++) await client.CreateNode($"x{i}", "entity");
        await client.CreateEdge("r1", "x0", "x1");
        return (app, client, offer);
    }

    [Fact]
    public async Task Node_types_filter_the_answer_byte_for_byte_as_the_store_computes_it_in_both_modes()
    {
        var (app, client, offer) = await Populated();
        await using var _ = app;
        using var __ = client;

        using var full = await client.PostMsgPack("/sync/offer", offer.ToBytes());
        var fullBytes = await full.Bytes();
        using var filtered = await client.PostMsgPack("/sync/offer?node_types=person&node_types=document", offer.ToBytes());
        var filteredBytes = await filtered.Bytes();
        Assert.Equal(app.Host.Store.ComputePayload(offer, PayloadMode.Compatible, ["person", "document"]).ToBytes(), filteredBytes);
        Assert.True(filteredBytes.Length < fullBytes.Length, $"{filteredBytes.Length} bytes filtered, {fullBytes.Length} full");
        // The original's selection of the full answer, computed independently of the route.
        Assert.Equal(NodeTypeFilter.Apply(SyncPayload.Decode(fullBytes), new HashSet<string> { "person", "document" }).ToBytes(), filteredBytes);

        using var delta = await client.PostMsgPack("/sync/offer?node_types=person", offer.ToBytes(), mode: "delta");
        Assert.Equal(app.Host.Store.ComputePayload(offer, PayloadMode.Delta, ["person"]).ToBytes(), await delta.Bytes());

        using var json = await client.PostMsgPack("/sync/offer?node_types=document", offer.ToBytes(), accept: "application/json");
        var view = await json.Json(HttpStatusCode.OK);
        var ops = view.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("payload").Str("op")).ToList();
        Assert.Contains("add_node", ops);
        Assert.DoesNotContain(view.GetProperty("entries").EnumerateArray(), e => e.GetProperty("payload").TryGetProperty("node_id", out var id) && id.GetString() == "x9");
    }

    [Fact]
    public async Task An_unknown_type_is_a_422_naming_it_and_a_malformed_list_is_a_400()
    {
        var (app, client, offer) = await Populated();
        await using var _ = app;
        using var __ = client;
        var heads = app.Host.Store.Heads;

        using var unknown = await client.PostMsgPack("/sync/offer?node_types=person&node_types=spaceship", offer.ToBytes());
        var problem = await unknown.Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("unknown_node_type", problem.Str("rule"));
        Assert.Equal("spaceship", problem.Str("type_name"));
        Assert.Contains("'spaceship'", problem.Str("detail"), StringComparison.Ordinal);

        foreach (var query in new[] { "node_types=", "node_types=%20", "node_types=person&node_types=" })
        {
            using var empty = await client.PostMsgPack($"/sync/offer?{query}", offer.ToBytes());
            Assert.Contains("node_types", (await empty.Problem(HttpStatusCode.BadRequest)).Str("detail"), StringComparison.Ordinal);
        }

        using var garbage = await client.PostMsgPack("/sync/offer?node_types=person", [0xc1, 0x00]);
        await garbage.Problem(HttpStatusCode.BadRequest);
        using var json = await client.PostJson("/sync/offer?node_types=person", "{}");
        await json.Problem(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(heads, app.Host.Store.Heads);
    }

    [Fact]
    public async Task A_partial_replica_refuses_offers_and_snapshots_with_a_409_and_lists_its_types_in_peers()
    {
        await using var app = SilkApiFactory.With(new Dictionary<string, string?>(Quiet)
        {
            ["Silk:Peers:0:Id"] = "source",
            ["Silk:Peers:0:Address"] = PeersApiTests.DeadAddress(),
            ["Silk:Peers:0:NodeTypes:0"] = "person",
            ["Silk:Peers:0:NodeTypes:1"] = "document",
            ["Silk:Peers:1:Id"] = "other",
            ["Silk:Peers:1:Address"] = PeersApiTests.DeadAddress(),
        });
        using var client = app.CreateClient();
        var offer = app.Host.Store.GenerateOffer();

        using var snapshot = await client.Get("/sync/snapshot");
        var refused = await snapshot.Problem(HttpStatusCode.Conflict);
        Assert.Equal("partial_replica", refused.Str("rule"));
        Assert.Contains("partial replica", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(["document", "person"], refused.Strings("node_types"));

        using var answer = await client.PostMsgPack("/sync/offer", offer.ToBytes());
        Assert.Equal("partial_replica", (await answer.Problem(HttpStatusCode.Conflict)).Str("rule"));
        using var filtered = await client.PostMsgPack("/sync/offer?node_types=person", offer.ToBytes(), mode: "delta");
        await filtered.Problem(HttpStatusCode.Conflict);

        // Its own offer, and entries by hash, are still served: they claim nothing about completeness.
        using var own = await client.Get("/sync/offer");
        await own.Bytes();

        using var list = await client.Get("/peers");
        var peers = (await list.Json(HttpStatusCode.OK)).GetProperty("peers").EnumerateArray().ToDictionary(p => p.Str("peer_id"));
        Assert.Equal(["person", "document"], peers["source"].Strings("node_types"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, peers["other"].GetProperty("node_types").ValueKind);
        Assert.Equal(0, peers["source"].GetProperty("bytes_received").GetInt64());
    }

    [Fact]
    public async Task A_blank_node_type_in_the_settings_stops_startup_naming_the_setting()
    {
        await using var broken = SilkApiFactory.With(new Dictionary<string, string?>(Quiet)
        {
            ["Silk:Peers:0:Id"] = "source",
            ["Silk:Peers:0:Address"] = "http://127.0.0.1:5081",
            ["Silk:Peers:0:NodeTypes:0"] = " ",
        });
        var error = Assert.ThrowsAny<Exception>(() => broken.CreateClient()).ToString();
        Assert.Contains("Silk:Peers", error, StringComparison.Ordinal);
        Assert.Contains("NodeTypes", error, StringComparison.Ordinal);
    }
}
