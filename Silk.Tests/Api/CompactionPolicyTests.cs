using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Silk.Api.Compaction;
using Silk.Api.Diagnostics;
using Silk.Api.Hosting;
using Silk.Core.Diagnostics;
using Silk.Core.Wire;
using Silk.Tests.Diagnostics;
using Silk.Tests.Storage;

namespace Silk.Tests.Api;

/// <summary>
/// <c>Silk:Compaction</c> policies on the real app over a real LiteDB store: the threshold policy compacts
/// after a burst of writes (and at startup), never while a peer is behind (a skip, logged once and counted),
/// keeps the live graph exactly, and loses nothing across a restart; the interval policy compacts on its timer.
/// </summary>
public sealed class CompactionPolicyTests
{
    private const int Writes = 250;
    private const int MaxEntries = 100;
    private const int Deadline = 60;

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] pairs)
    {
        var settings = new Dictionary<string, string?> { ["Silk:Gossip:IntervalSeconds"] = "0", ["Silk:Durability"] = "process" };
        foreach (var (key, value) in pairs) settings[key] = value;
        return settings;
    }

    private static Dictionary<string, string?> Threshold(params (string Key, string Value)[] more) =>
        Settings([("Silk:Compaction:Policy", "threshold"), ("Silk:Compaction:MaxEntries", $"{MaxEntries}"), .. more]);

    private static (WebApplicationFactory<Program> App, LogCapture Logs) WithLogs(SilkApiFactory factory)
    {
        var logs = new LogCapture();
        return (factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs))), logs);
    }

    private static MetricRecorder Metrics(WebApplicationFactory<Program> app) =>
        new(app.Services.GetRequiredService<IMeterFactory>(), SilkMetrics.MeterName);

    private static StoreHost Host(WebApplicationFactory<Program> app) => app.Services.GetRequiredService<StoreHost>();

    private static CompactionPolicyState Policy(WebApplicationFactory<Program> app) => app.Services.GetRequiredService<CompactionPolicyState>();

    /// <summary>
    /// The policy's last compaction is recorded and its checkpoint still starts the log: no compaction is half
    /// done (the state is recorded after its log line and metric) and none came after it.
    /// </summary>
    private static bool CompactedLast(WebApplicationFactory<Program> app) =>
        Policy(app).Status().LastCheckpoint is { } checkpoint && Host(app).Store.GetEntry(Hash.ParseHex(checkpoint)) is not null;

    /// <summary>
    /// <see cref="Writes"/> writes, one request each: 200 nodes, 40 edges (of a type without required
    /// properties), 9 property updates and a removal (which hides two of the edges).
    /// </summary>
    private static async Task Workload(HttpClient client, string prefix = "w")
    {
        for (var i = 0; i < 200; i++) await client.CreateNode($"{prefix}{i:D3}");
        for (var i = 0; i < 40; i++) await client.CreateEdge($"{prefix}-e{i:D2}", $"{prefix}{i:D3}", $"{prefix}{i + 1:D3}");
        for (var i = 0; i < 9; i++)
        {
            using var patch = await client.PatchJson($"/nodes/{prefix}{i:D3}", $$$"""{"properties":{"name":"renamed {{{i}}}"}}""");
            await patch.Json(HttpStatusCode.OK);
        }

        using var removed = await client.Delete($"/nodes/{prefix}020");
        Assert.True(removed.IsSuccessStatusCode, $"DELETE answered {(int)removed.StatusCode}");
    }

    /// <summary>The live graph as the API shows it: every node and visible edge, in id order.</summary>
    private static async Task<string> Graph(HttpClient client)
    {
        using var nodes = await client.Get("/nodes?limit=1000");
        using var edges = await client.Get("/edges?limit=1000");
        return (await nodes.Json(HttpStatusCode.OK)).GetRawText() + "\n" + (await edges.Json(HttpStatusCode.OK)).GetRawText();
    }

    private static async Task<JsonElement> Automatic(HttpClient client)
    {
        using var safety = await client.Get("/compact/safety");
        return (await safety.Json(HttpStatusCode.OK)).GetProperty("automatic");
    }

    [Fact]
    public async Task Threshold_of_100_compacts_during_250_writes_and_keeps_the_live_graph()
    {
        await using var factory = SilkApiFactory.With(Threshold());
        var (app, logs) = WithLogs(factory);
        await using var _ = app;
        using var client = app.CreateClient();
        using var metrics = Metrics(app);
        await using var twin = SilkApiFactory.With(Settings());
        using var twinClient = twin.CreateClient();

        await Workload(client);
        await Workload(twinClient);

        var store = Host(app).Store;
        await TailTestExtensions.Eventually(
            () => store.EntryCount <= MaxEntries && CompactedLast(app),
            "the threshold policy compacted the log down to at most 100 entries", Deadline);
        Assert.True(metrics.Sum("silk.compaction.automatic", "policy", "threshold") >= 1);
        Assert.Equal(Writes + 1, twin.Host.Store.EntryCount);
        Assert.Equal(await Graph(twinClient), await Graph(client));
        Assert.True(metrics.Sum("silk.compaction.runs") >= 1);
        Assert.Empty(metrics.Of("silk.compaction.skipped"));
        Assert.Contains(logs.Lines, l => l.EventId == LogEvents.Compacted && l.Message.StartsWith("Compacted the log (threshold policy): ", StringComparison.Ordinal));

        var automatic = await Automatic(client);
        Assert.Equal("threshold", automatic.Str("policy"));
        Assert.Equal(MaxEntries, automatic.GetProperty("max_entries").GetInt32());
        Assert.Equal(JsonValueKind.Null, automatic.GetProperty("interval_seconds").ValueKind);
        Assert.True(automatic.GetProperty("last_compaction_ms").GetInt64() > 0);
        using var checkpoint = await client.Get("/entries/" + automatic.Str("last_checkpoint"));
        Assert.Equal("checkpoint", (await checkpoint.Json(HttpStatusCode.OK)).GetProperty("payload").Str("op"));
    }

    [Fact]
    public async Task A_peer_behind_stops_the_threshold_policy_with_one_logged_skip_until_it_has_synced()
    {
        await using var factory = SilkApiFactory.With(Threshold(("Silk:Compaction:RetrySeconds", "0.2")));
        var (app, logs) = WithLogs(factory);
        await using var _ = app;
        using var client = app.CreateClient();
        using var metrics = Metrics(app);
        var store = Host(app).Store;

        // A real peer: a server bootstrapped from this one's snapshot, registered here and synced once.
        using var temp = new TempFolder();
        var snapshot = Path.Combine(temp.Path, "a.snapshot");
        using (var served = await client.Get("/sync/snapshot"))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            await File.WriteAllBytesAsync(snapshot, await served.Content.ReadAsByteArrayAsync());
        }

        await using var peer = new TailServerFactory(Settings(("Silk:BootstrapFrom", snapshot)));
        using var peerClient = peer.NewClient();
        using (var put = await client.PutJson("/peers/b", $$"""{"address":"{{peer.BaseAddress.AbsoluteUri}}"}""")) await put.Json(HttpStatusCode.OK);
        using (var synced = await client.PostAsync(ApiTestClient.U("/peers/b/sync"), null)) await synced.Json(HttpStatusCode.OK);

        await Workload(client);

        // Due, but unsafe: checked again every 0.2 s, counted every time, logged once.
        await TailTestExtensions.Eventually(
            () => metrics.Sum("silk.compaction.skipped", "reason", "peer_behind") >= 3,
            "three checks skipped the compaction because peer b is behind", Deadline);
        Assert.Equal(Writes + 1, store.EntryCount);
        Assert.Empty(metrics.Of("silk.compaction.automatic"));
        Assert.All(metrics.Of("silk.compaction.skipped"), m => Assert.True(m.Has("policy", "threshold") && m.Has("reason", "peer_behind")));
        var skip = Assert.Single(logs.Lines, l => l.EventId == LogEvents.CompactionSkipped);
        Assert.Equal(LogLevel.Information, skip.Level);
        Assert.Contains("(threshold policy) is due but unsafe", skip.Message, StringComparison.Ordinal);
        Assert.Contains("peer 'b' last synced at", skip.Message, StringComparison.Ordinal);
        var automatic = await Automatic(client);
        Assert.Equal(0, automatic.GetProperty("last_compaction_ms").GetInt64());
        Assert.True(automatic.GetProperty("last_skip_ms").GetInt64() > 0);
        Assert.Contains(automatic.Strings("last_skip_reasons"), r => r.StartsWith("peer 'b' last synced at", StringComparison.Ordinal));

        // Once the peer has everything, the next check compacts.
        using (var synced = await client.PostAsync(ApiTestClient.U("/peers/b/sync"), null)) await synced.Json(HttpStatusCode.OK);
        await TailTestExtensions.Eventually(
            () => metrics.Sum("silk.compaction.automatic", "policy", "threshold") == 1 && store.EntryCount <= MaxEntries,
            "the threshold policy compacted once peer b had synced", Deadline);
        Assert.Equal(await Graph(peerClient), await Graph(client));
        Assert.Single(logs.Lines, l => l.EventId == LogEvents.CompactionSkipped);
    }

    [Fact]
    public async Task A_store_over_the_threshold_compacts_at_startup_and_a_restart_after_it_loses_nothing()
    {
        await using var first = SilkApiFactory.With(Settings(("Silk:Durability", "fsync")));
        string graph;
        using (var client = first.CreateClient())
        {
            await Workload(client);
            graph = await Graph(client);
        }

        Assert.Equal(Writes + 1, first.Host.Store.EntryCount);
        await first.DisposeAsyncKeepingFolder();

        string heads, after;
        int entries;
        await using (var compacting = first.OnSameFolder(Threshold(("Silk:Durability", "fsync"))))
        {
            using var client = compacting.CreateClient();
            var store = compacting.Host.Store;
            await TailTestExtensions.Eventually(() => store.EntryCount <= MaxEntries, "the store opened over the threshold was compacted", Deadline);
            Assert.Equal(graph, await Graph(client));

            // Writes after the checkpoint are kept too.
            await client.CreateNode("after-checkpoint");
            after = await Graph(client);
            using var info = await client.Get("/info");
            var body = await info.Json(HttpStatusCode.OK);
            (entries, heads) = (body.GetProperty("entry_count").GetInt32(), body.GetProperty("heads").GetRawText());
            Assert.Equal(2, entries);
            await compacting.DisposeAsyncKeepingFolder();
        }

        await using var restarted = first.OnSameFolder(Threshold(("Silk:Durability", "fsync")));
        using var again = restarted.CreateClient();
        using var info2 = await again.Get("/info");
        var body2 = await info2.Json(HttpStatusCode.OK);
        Assert.Equal(entries, body2.GetProperty("entry_count").GetInt32());
        Assert.Equal(heads, body2.GetProperty("heads").GetRawText());
        Assert.Equal(after, await Graph(again));
        using var integrity = await again.Get("/integrity");
        Assert.True((await integrity.Json(HttpStatusCode.OK)).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Interval_policy_compacts_on_its_timer_again_after_new_writes()
    {
        await using var factory = SilkApiFactory.With(Settings(("Silk:Compaction:Policy", "interval"), ("Silk:Compaction:IntervalSeconds", "1")));
        using var client = factory.CreateClient();
        using var metrics = Metrics(factory);
        var store = factory.Host.Store;

        for (var i = 0; i < 20; i++) await client.CreateNode($"i{i:D2}");
        await TailTestExtensions.Eventually(() => store.EntryCount == 1 && CompactedLast(factory), "the interval policy compacted the log to its checkpoint", Deadline);
        var firstCheckpoint = (await Automatic(client)).Str("last_checkpoint");

        for (var i = 20; i < 25; i++) await client.CreateNode($"i{i:D2}");
        await TailTestExtensions.Eventually(
            () => store.EntryCount == 1 && CompactedLast(factory) && Policy(factory).Status().LastCheckpoint != firstCheckpoint,
            "the interval policy compacted the new writes", Deadline);

        var automatic = await Automatic(client);
        Assert.Equal("interval", automatic.Str("policy"));
        Assert.Equal(1, automatic.GetProperty("interval_seconds").GetDouble());
        Assert.NotEqual(firstCheckpoint, automatic.Str("last_checkpoint"));
        Assert.True(metrics.Sum("silk.compaction.automatic", "policy", "interval") >= 2);
        using var nodes = await client.Get("/nodes?limit=1000");
        Assert.Equal(25, (await nodes.Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }
}
