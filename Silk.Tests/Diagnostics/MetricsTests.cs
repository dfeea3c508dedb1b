using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Silk.Api.Tail;
using Silk.Core.Clock;
using Silk.Core.Diagnostics;
using Silk.Core.Entries;
using Silk.Core.Wire;
using Silk.Tests.Api;
using Silk.Tests.Conformance;
using Silk.Tests.Peers;

namespace Silk.Tests.Diagnostics;

/// <summary>The <c>Silk</c> and <c>Silk.Tail</c> meters, read by a MeterListener while the real server (Kestrel, LiteDB) is driven.</summary>
public sealed class MetricsTests
{
    private static readonly Dictionary<string, string?> NoGossip = new()
    {
        ["Silk:Gossip:IntervalSeconds"] = "0",
        ["Silk:Gossip:RetryAttempts"] = "0",
    };

    [Fact]
    public async Task Meters_count_writes_merges_quarantine_commits_tails_syncs_storage_and_compaction()
    {
        await using var app = new TailServerFactory(NoGossip);
        var baseAddress = app.BaseAddress;
        using var metrics = new MetricRecorder(app.Services.GetRequiredService<IMeterFactory>(), SilkMetrics.MeterName, TailStreams.MeterName);
        using var client = app.NewClient();

        // Three local writes.
        foreach (var id in new[] { "m1", "m2", "m3" }) await client.CreateNode(id);
        Assert.Equal(3, metrics.Sum("silk.entries.appended", "source", "local"));
        Assert.Equal(3, metrics.Of("silk.write.duration", "source", "local").Count);
        Assert.All(metrics.Of("silk.write.duration"), m => Assert.True(m.Value > 0));

        // A merge of two peer entries through POST /sync/payload; one breaks the schema and is quarantined.
        var store = app.Host.Store;
        var clock = store.Clock;
        var valid = Entry.Create(new AddNode("peer-node", "entity", null, "p", ValueMap.Of(("name", Value.FromString("p")))), store.Heads, new ClockStamp("peer-x", clock.PhysicalMs + 1, 0), "peer-x");
        var planet = Entry.Create(new AddNode("peer-planet", "planet", null, "Mars", ValueMap.Empty), [valid.Hash], new ClockStamp("peer-x", clock.PhysicalMs + 2, 0), "peer-x");
        using (var merged = await client.PostMsgPack("/sync/payload", SyncConformanceTests.EntryList([valid, planet])))
        {
            Assert.Equal(2, (await merged.Json(HttpStatusCode.OK)).GetProperty("inserted").GetInt32());
        }

        Assert.Equal(2, metrics.Sum("silk.entries.appended", "source", "merged"));
        Assert.Equal(1, metrics.Sum("silk.entries.quarantined"));
        Assert.Single(metrics.Of("silk.write.duration", "source", "merged"));

        // A long poll waits (open_long_polls 1) and is answered by a write.
        await metrics.ObserveUntil("silk.tail.open_long_polls", 0);
        var poll = client.Get("/tail?cursor=now&timeout_ms=20000");
        await metrics.ObserveUntil("silk.tail.open_long_polls", 1);
        await client.CreateNode("m4");
        using (var answered = await poll)
        {
            Assert.Single((await answered.Json(HttpStatusCode.OK)).GetProperty("events").EnumerateArray());
        }

        await metrics.ObserveUntil("silk.tail.open_long_polls", 0);

        // An event stream is open (open_streams 1) and delivers a write's event (events_sent).
        var sentBefore = metrics.Observe("silk.tail.events_sent");
        await using (var stream = await SseReader.OpenAsync(client, "/tail?cursor=now"))
        {
            await metrics.ObserveUntil("silk.tail.open_streams", 1);
            await client.CreateNode("m5");
            await stream.EntriesAsync(1, TailTestExtensions.Within(20));
            // Counted right after the write, which the client may read first.
            await metrics.ObserveUntil("silk.tail.events_sent", sentBefore + 1);
        }

        await metrics.ObserveUntil("silk.tail.open_streams", 0);

        // Sync with a peer (a second server bootstrapped from this one, with one write of its own), and with a dead one.
        await using var peer = new TailServerFactory(new Dictionary<string, string?>(NoGossip) { ["Silk:BootstrapFrom"] = baseAddress.AbsoluteUri });
        using (var peerClient = peer.NewClient()) await peerClient.CreateNode("from-peer");
        using (var put = await client.PutAsync(ApiTestClient.U("/peers/b"), Json($$"""{"address":"{{peer.BaseAddress.AbsoluteUri}}"}"""))) await put.Json(HttpStatusCode.OK);
        using (var put = await client.PutAsync(ApiTestClient.U("/peers/dead"), Json($$"""{"address":"{{PeersApiTests.DeadAddress()}}"}"""))) await put.Json(HttpStatusCode.OK);
        using (var synced = await client.PostAsync(ApiTestClient.U("/peers/b/sync"), null))
        {
            Assert.Equal(1, (await synced.Json(HttpStatusCode.OK)).GetProperty("pulled").GetInt32());
        }

        using (var failed = await client.PostAsync(ApiTestClient.U("/peers/dead/sync"), null)) await failed.Problem(HttpStatusCode.BadGateway);

        Assert.Equal(1, metrics.Sum("silk.sync.exchanges", "peer", "b"));
        Assert.Single(metrics.Of("silk.sync.exchanges", "peer", "b"), m => m.Has("outcome", "ok"));
        Assert.Single(metrics.Of("silk.sync.exchanges", "peer", "dead"), m => m.Has("outcome", "error"));
        Assert.Single(metrics.Of("silk.sync.duration", "peer", "b"));
        Assert.True(metrics.Of("silk.sync.bytes", "peer", "b").Where(m => m.Has("direction", "sent")).Sum(m => m.Value) > 0);
        Assert.True(metrics.Of("silk.sync.bytes", "peer", "b").Where(m => m.Has("direction", "received")).Sum(m => m.Value) > 0);
        Assert.Equal(3, metrics.Sum("silk.entries.appended", "source", "merged"));
        Assert.Equal(5, metrics.Sum("silk.entries.appended", "source", "local"));

        // Every appended entry went through exactly one durable group commit.
        Assert.Equal(8, metrics.Sum("silk.commit.batch_size"));

        // Storage gauges: the files exist and the entry count is the log's.
        Assert.True(metrics.Observe("silk.storage.size", "file", "journal") > 0);
        Assert.True(metrics.Observe("silk.storage.size", "file", "database") > 0);
        Assert.Equal(["database", "journal", "log", "observations"], metrics.Of("silk.storage.size").Select(m => m.Tags["file"]).Distinct().Order());
        using (var info = await client.Get("/info"))
        {
            Assert.Equal((await info.Json(HttpStatusCode.OK)).GetProperty("entry_count").GetInt32(), metrics.Observe("silk.store.entries"));
        }

        // A forced compaction is one run, and the entry gauge drops to the checkpoint (plus the carried quarantined entry).
        using (var compacted = await client.PostAsync(ApiTestClient.U("/compact?safe=false"), null)) await compacted.Json(HttpStatusCode.OK);
        Assert.Equal(1, metrics.Sum("silk.compaction.runs"));
        Assert.Equal(2, metrics.Observe("silk.store.entries"));
        Assert.Equal(8, metrics.Sum("silk.commit.batch_size"));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
