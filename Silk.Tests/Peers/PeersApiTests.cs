using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Silk.Api.Peers;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Tests.Api;
using Silk.Tests.Store;

namespace Silk.Tests.Peers;

/// <summary>The peer registry routes, its persistence and seeding, exchanges through HttpSyncPeer, and failing peers.</summary>
public sealed class PeersApiTests
{
    private static readonly Dictionary<string, string?> Quiet = new()
    {
        ["Silk:Gossip:IntervalSeconds"] = "0",
        ["Silk:Gossip:RetryAttempts"] = "1",
        ["Silk:Gossip:RetryDelaySeconds"] = "0.01",
        ["Silk:Gossip:BreakSeconds"] = "30",
    };

    /// <summary>An address where nothing listens (a port just released).</summary>
    internal static string DeadAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    [Fact]
    public async Task Peers_are_added_listed_changed_removed_and_kept_across_restarts()
    {
        var app = SilkApiFactory.With(Quiet);
        try
        {
            using (var client = app.CreateClient())
            {
                using var empty = await client.Get("/peers");
                Assert.Empty((await empty.Json(HttpStatusCode.OK)).GetProperty("peers").EnumerateArray());

                using var put = await client.PutAsync(ApiTestClient.U("/peers/n2"), Json("""{"address":"http://127.0.0.1:5081"}"""));
                var peer = await put.Json(HttpStatusCode.OK);
                Assert.Equal("n2", peer.Str("peer_id"));
                Assert.Equal("http://127.0.0.1:5081", peer.Str("address"));
                Assert.Equal(0, peer.GetProperty("last_seen_ms").GetInt64());
                Assert.Equal(0, peer.GetProperty("consecutive_failures").GetInt32());

                using var put3 = await client.PutAsync(ApiTestClient.U("/peers/n3"), Json("""{"address":"https://silk.example:8443/"}"""));
                await put3.Json(HttpStatusCode.OK);
                using var bad = await client.PutAsync(ApiTestClient.U("/peers/n4"), Json("""{"address":"ftp://x"}"""));
                await bad.Problem(HttpStatusCode.BadRequest);
                using var missingField = await client.PutAsync(ApiTestClient.U("/peers/n4"), Json("{}"));
                await missingField.Problem(HttpStatusCode.BadRequest);

                foreach (var hostile in new[] { "", "null", "[]", """{"address":null}""", """{"address":1}""", """{"address":"x","more":1}""", "{\"address\":\"\\ud800\"}", "{" })
                {
                    using var refused = await client.PutAsync(ApiTestClient.U("/peers/h"), Json(hostile));
                    Assert.True((int)refused.StatusCode is >= 400 and < 500, $"{hostile}: {(int)refused.StatusCode}");
                }

                using var gone = await client.Delete("/peers/n3");
                Assert.Equal("n3", (await gone.Json(HttpStatusCode.OK)).Str("peer_id"));
                using var goneAgain = await client.Delete("/peers/n3");
                await goneAgain.Problem(HttpStatusCode.NotFound);
                using var syncUnknown = await client.PostAsync(ApiTestClient.U("/peers/n3/sync"), null);
                await syncUnknown.Problem(HttpStatusCode.NotFound);

                // A known peer that never synced makes compaction unsafe.
                using var safety = await client.Get("/compact/safety");
                Assert.Contains("peer 'n2' has never synced", (await safety.Json(HttpStatusCode.OK)).Strings("reasons"));
            }

            await app.DisposeAsyncKeepingFolder();
            var again = app.OnSameFolder();
            var restarted = again.CreateClient();
            try
            {
                using var list = await restarted.Get("/peers");
                var peers = (await list.Json(HttpStatusCode.OK)).GetProperty("peers").EnumerateArray().ToList();
                Assert.Equal(["n2"], peers.Select(p => p.Str("peer_id")));
                Assert.Equal("http://127.0.0.1:5081", peers[0].Str("address"));
            }
            finally
            {
                restarted.Dispose();
                await again.DisposeAsync();
            }
        }
        finally
        {
            SilkApiFactory.DeleteFolder(app.DataPath);
        }
    }

    [Fact]
    public async Task Peers_in_settings_are_registered_at_start()
    {
        await using var app = SilkApiFactory.With(new Dictionary<string, string?>(Quiet)
        {
            ["Silk:Peers:0:Id"] = "b",
            ["Silk:Peers:0:Address"] = "http://127.0.0.1:5082",
            ["Silk:Peers:1:Id"] = "a",
            ["Silk:Peers:1:Address"] = "http://127.0.0.1:5081",
        });
        using var client = app.CreateClient();
        using var list = await client.Get("/peers");
        var peers = (await list.Json(HttpStatusCode.OK)).GetProperty("peers").EnumerateArray().ToList();
        Assert.Equal(["a", "b"], peers.Select(p => p.Str("peer_id")));
        Assert.Equal(2, app.Host.Store.Peers.List().Count);

        await using var broken = SilkApiFactory.With(new Dictionary<string, string?>(Quiet) { ["Silk:Peers:0:Id"] = "x", ["Silk:Peers:0:Address"] = "not a url" });
        Assert.Contains("Silk:Peers", Assert.ThrowsAny<Exception>(() => broken.CreateClient()).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dead_peer_fails_fast_once_its_circuit_is_open_and_its_state_says_why()
    {
        await using var app = SilkApiFactory.With(Quiet);
        using var client = app.CreateClient();
        using var put = await client.PutAsync(ApiTestClient.U("/peers/dead"), Json($$"""{"address":"{{DeadAddress()}}"}"""));
        await put.Json(HttpStatusCode.OK);

        using var first = await client.PostAsync(ApiTestClient.U("/peers/dead/sync"), null);
        var problem = await first.Problem(HttpStatusCode.BadGateway);
        Assert.Equal("dead", problem.Str("peer_id"));

        var clock = Stopwatch.StartNew();
        using var second = await client.PostAsync(ApiTestClient.U("/peers/dead/sync"), null);
        var open = await second.Problem(HttpStatusCode.BadGateway);
        Assert.Contains("circuit open", open.Str("detail"), StringComparison.Ordinal);
        Assert.True(clock.ElapsedMilliseconds < 1000, $"took {clock.ElapsedMilliseconds} ms");

        using var round = await client.PostAsync(ApiTestClient.U("/sync/run"), null);
        var targets = (await round.Json(HttpStatusCode.OK)).GetProperty("targets").EnumerateArray().ToList();
        Assert.False(Assert.Single(targets).GetProperty("ok").GetBoolean());

        using var list = await client.Get("/peers");
        var state = (await list.Json(HttpStatusCode.OK)).GetProperty("peers")[0];
        Assert.Equal(3, state.GetProperty("consecutive_failures").GetInt32());
        Assert.False(string.IsNullOrEmpty(state.Str("last_error")));
        Assert.True(state.GetProperty("last_error_ms").GetInt64() > 0);
        Assert.Equal(0, state.GetProperty("last_seen_ms").GetInt64());
    }

    [Fact]
    public async Task HttpSyncPeer_runs_a_whole_exchange_against_the_routes()
    {
        await using var app = SilkApiFactory.With(Quiet);
        using var client = app.CreateClient();
        var server = app.Host.Store;
        // The local store starts from the server's state, then both sides write.
        using var local = GraphStore.FromSnapshot("local", server.ExportSnapshot());
        await client.CreateNode("from-server");
        local.AddNode("from-local", "entity", "L", Silk.Core.Wire.ValueMap.Of(("name", "L")));
        local.AddNode("also-local", "person", "A", Silk.Core.Wire.ValueMap.Of(("name", "A")));

        var peer = new HttpSyncPeer(client, client.BaseAddress!);
        var result = await SyncExchange.RunAsync(local, peer);
        Assert.Equal(1, result.Pulled);
        Assert.Equal(2, result.Pushed);
        Assert.Empty(result.Dropped);
        Assert.Equal(server.Heads, local.Heads);
        Assert.True(peer.BytesSent > 0 && peer.BytesReceived > 0);

        var snapshot = await peer.GetSnapshotAsync(CancellationToken.None);
        Assert.Equal(server.EntryCount, snapshot.Entries.Count);

        // Nothing new: the next exchange moves no entries.
        var idle = await SyncExchange.RunAsync(local, peer);
        Assert.Equal((0, 0), (idle.Pulled, idle.Pushed));
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
