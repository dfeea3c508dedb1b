using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Silk.Api.Diagnostics;
using Silk.Tests.Api;
using Silk.Tests.Diagnostics;

namespace Silk.Tests.Peers;

/// <summary>
/// Before each exchange a server compares its ontology with the peer's (GET /sync/ontology) and shows the verdict in
/// GET /peers and in the exchange's outcome; a divergent peer is logged once, and the exchange runs all the same.
/// The caller runs in memory, the peer on Kestrel (the caller's peer client needs a real address).
/// </summary>
public sealed class PeerOntologyTests
{
    /// <summary>A genesis ontology: entity plus one type of its own.</summary>
    private static string Ontology(string ownType) =>
        "{\"node_types\":{\"entity\":{\"properties\":{\"name\":{\"value_type\":\"string\",\"required\":true}}},\"" + ownType + "\":{}},\"edge_types\":{}}";

    [Fact]
    public async Task Verdicts_follow_the_ontologies_as_either_side_extends_its_own()
    {
        var (caller, app, _) = Caller(new Dictionary<string, string?>());
        await using var _1 = caller;
        await using var _2 = app;
        await using var peer = Peer(new Dictionary<string, string?>());
        using var local = app.CreateClient();
        using var remote = peer.NewClient();
        await Point(local, peer);

        Assert.Equal("identical", await SyncVerdict(local));

        await Extend(local, """{"edge_type_updates":{"AUTHORED":{"add_source_types":["entity"]}}}""");
        Assert.Equal("superset", await SyncVerdict(local));
        // The exchange carried the extension over: now the same again.
        Assert.Equal("identical", await SyncVerdict(local));

        await Extend(remote, """{"node_types":{"rack":{}}}""");
        Assert.Equal("subset", await SyncVerdict(local));

        using var peers = await local.Get("/peers");
        var view = (await peers.Json(HttpStatusCode.OK)).GetProperty("peers").EnumerateArray().Single();
        Assert.Equal("subset", view.Str("ontology_compatibility"));
        using var before = await remote.Get("/ontology");
        Assert.Equal((await before.Json(HttpStatusCode.OK)).Str("hash"), view.Str("ontology_hash"));
        Assert.Equal("identical", await SyncVerdict(local));
    }

    [Fact]
    public async Task A_divergent_peer_is_shown_logged_once_and_synced_with_all_the_same()
    {
        // Each started from its own genesis ontology: a store keeps the ontology of its own root, so they stay apart.
        var (caller, app, logs) = Caller(new Dictionary<string, string?> { ["Silk:Ontology"] = Ontology("rack") });
        await using var _1 = caller;
        await using var _2 = app;
        await using var peer = Peer(new Dictionary<string, string?> { ["Silk:Ontology"] = Ontology("switch") });
        using var local = app.CreateClient();
        using var remote = peer.NewClient();
        await Point(local, peer);
        await remote.CreateNode("on-the-peer");

        Assert.Equal("divergent", await SyncVerdict(local));
        Assert.Equal("divergent", await SyncVerdict(local));

        using var node = await local.Get("/nodes/on-the-peer");
        await node.Json(HttpStatusCode.OK);
        using var peers = await local.Get("/peers");
        var view = (await peers.Json(HttpStatusCode.OK)).GetProperty("peers").EnumerateArray().Single();
        Assert.Equal("divergent", view.Str("ontology_compatibility"));
        Assert.Equal(2, view.GetProperty("exchanges").GetInt64());
        var warning = Assert.Single(logs.Lines, l => l.EventId == LogEvents.OntologyDivergent);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("peer p", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sync_ontology_route_answers_what_GET_ontology_says()
    {
        await using var app = new SilkApiFactory();
        using var client = app.CreateClient();
        using var sync = await client.Get("/sync/ontology");
        var facts = await sync.Json(HttpStatusCode.OK);
        using var full = await client.Get("/ontology");
        var ontology = await full.Json(HttpStatusCode.OK);

        Assert.Equal(ontology.Str("hash"), facts.Str("hash"));
        Assert.Equal(ontology.Strings("fingerprint"), facts.Strings("fingerprint"));
    }

    private static (SilkApiFactory Factory, WebApplicationFactory<Program> App, LogCapture Logs) Caller(Dictionary<string, string?> settings)
    {
        var logs = new LogCapture();
        settings["Silk:Gossip:IntervalSeconds"] = "0";
        settings["Silk:Gossip:RetryAttempts"] = "0";
        var factory = SilkApiFactory.With(settings);
        var app = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        return (factory, app, logs);
    }

    private static TailServerFactory Peer(Dictionary<string, string?> settings)
    {
        settings["Silk:Gossip:IntervalSeconds"] = "0";
        return new TailServerFactory(settings);
    }

    private static async Task Point(HttpClient local, TailServerFactory peer)
    {
        using var put = await local.PutJson("/peers/p", $$"""{"address":"{{peer.BaseAddress.AbsoluteUri.TrimEnd('/')}}"}""");
        await put.Json(HttpStatusCode.OK);
    }

    private static async Task Extend(HttpClient client, string extension)
    {
        using var response = await client.PostJson("/ontology/extensions", extension);
        await response.Json(HttpStatusCode.Created);
    }

    /// <summary>One exchange with the peer; its outcome's verdict.</summary>
    private static async Task<string> SyncVerdict(HttpClient local)
    {
        using var sync = await local.PostAsync(ApiTestClient.U("/peers/p/sync"), null);
        return (await sync.Json(HttpStatusCode.OK)).Str("ontology_compatibility");
    }
}
