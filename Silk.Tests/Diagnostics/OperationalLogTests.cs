using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Silk.Api.Hosting;
using Silk.Api.Diagnostics;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Wire;
using Silk.Tests.Api;
using Silk.Tests.Conformance;
using Silk.Tests.Peers;

namespace Silk.Tests.Diagnostics;

/// <summary>Log lines an operator relies on: slow requests (without paths or query strings), peer failures (rate-limited), progress, startup and stop.</summary>
public sealed class OperationalLogTests
{
    private static (SilkApiFactory Factory, WebApplicationFactory<Program> App, LogCapture Logs) Start(Dictionary<string, string?> settings)
    {
        var logs = new LogCapture();
        var factory = SilkApiFactory.With(settings);
        var app = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        return (factory, app, logs);
    }

    [Fact]
    public async Task Slow_requests_are_logged_with_route_template_and_status_never_the_path_or_query()
    {
        var (factory, app, logs) = Start(new() { ["Silk:SlowRequestSeconds"] = "0.000001", ["Silk:Gossip:IntervalSeconds"] = "0" });
        await using var _ = factory;
        await using var __ = app;
        using var client = app.CreateClient();

        using (var missing = await client.Get("/nodes/secret-node-id?access_token=hunter2")) await missing.Problem(HttpStatusCode.NotFound);
        await client.CreateNode("visible");
        using (var poll = await client.Get("/tail?cursor=now&timeout_ms=1")) await poll.Json(HttpStatusCode.OK);

        var slow = logs.Lines.Where(l => l.EventId == LogEvents.SlowRequest).ToList();
        Assert.Contains(slow, l => l.Level == LogLevel.Warning && l.Message.Contains("GET /nodes/{id} answered 404", StringComparison.Ordinal));
        Assert.Contains(slow, l => l.Message.Contains("POST /nodes answered 201", StringComparison.Ordinal));
        Assert.DoesNotContain(slow, l => l.Message.Contains("/tail", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("hunter2", StringComparison.Ordinal) || l.Message.Contains("secret-node-id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_index_build_logs_its_start_and_end_and_shows_in_info()
    {
        var (factory, app, logs) = Start(new() { ["Silk:Gossip:IntervalSeconds"] = "0" });
        await using var _ = factory;
        await using var __ = app;
        using var client = app.CreateClient();
        for (var i = 0; i < 30; i++) await client.CreateNode($"ix-{i}", properties: $$"""{"name":"n{{i}}"}""");

        using (var created = await client.PostJson("/indexes", """{"name":"by_name","node_type":"entity","property":"name"}""")) await created.Json(HttpStatusCode.Accepted);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!logs.Lines.Any(l => l.EventId == LogEvents.OperationDone && l.Message.Contains("index by_name", StringComparison.Ordinal)) && DateTime.UtcNow < deadline) await Task.Delay(20);

        Assert.Contains(logs.Lines, l => l.EventId == LogEvents.OperationProgress && l.Message.Contains("Silk index by_name: 0 %", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.EventId == LogEvents.OperationDone && l.Message.Contains("Silk index by_name done: 30 steps", StringComparison.Ordinal));
        using var info = await client.Get("/info");
        Assert.Contains("index by_name", (await info.Json(HttpStatusCode.OK)).GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_request_logging_is_off_at_zero()
    {
        var (factory, app, logs) = Start(new() { ["Silk:SlowRequestSeconds"] = "0", ["Silk:Gossip:IntervalSeconds"] = "0" });
        await using var _ = factory;
        await using var __ = app;
        using var client = app.CreateClient();
        await client.CreateNode("quiet");

        Assert.DoesNotContain(logs.Lines, l => l.EventId == LogEvents.SlowRequest);
    }

    [Fact]
    public async Task A_failing_peer_is_logged_once_per_interval_with_the_count_of_failures_left_out()
    {
        var (factory, app, logs) = Start(new()
        {
            ["Silk:Gossip:IntervalSeconds"] = "0",
            ["Silk:Gossip:RetryAttempts"] = "0",
            ["Silk:Gossip:BreakSeconds"] = "30",
        });
        await using var _ = factory;
        await using var __ = app;
        using var client = app.CreateClient();
        using (var put = await client.PutAsync(ApiTestClient.U("/peers/dead"), new StringContent($$"""{"address":"{{PeersApiTests.DeadAddress()}}"}""", Encoding.UTF8, "application/json")))
        {
            await put.Json(HttpStatusCode.OK);
        }

        for (var i = 0; i < 4; i++)
        {
            using var failed = await client.PostAsync(ApiTestClient.U("/peers/dead/sync"), null);
            await failed.Problem(HttpStatusCode.BadGateway);
        }

        var failures = logs.Lines.Where(l => l.EventId == LogEvents.PeerFailed).ToList();
        var line = Assert.Single(failures);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("dead", line.Message, StringComparison.Ordinal);
        using var peers = await client.Get("/peers");
        var dead = Assert.Single((await peers.Json(HttpStatusCode.OK)).GetProperty("peers").EnumerateArray());
        Assert.Equal(4, dead.GetProperty("consecutive_failures").GetInt32());
    }

    [Fact]
    public async Task Opening_and_compaction_report_progress_in_the_log_and_in_info()
    {
        var (factory, app, logs) = Start(new() { ["Silk:Gossip:IntervalSeconds"] = "0" });
        await using var _ = factory;
        await using var __ = app;
        using var client = app.CreateClient();
        await client.CreateNode("c1");
        var store = app.Services.GetRequiredService<StoreHost>().Store;
        var planet = Entry.Create(new AddNode("q-planet", "planet", null, "Mars", ValueMap.Empty), store.Heads, new ClockStamp("peer-q", store.Clock.PhysicalMs + 1, 0), "peer-q");
        using (var merged = await client.PostMsgPack("/sync/payload", SyncConformanceTests.EntryList([planet]))) await merged.Json(HttpStatusCode.OK);
        var quarantined = Assert.Single(logs.Lines, l => l.EventId == LogEvents.Quarantined);
        Assert.StartsWith("1 of 1 entries merged from POST /sync/payload are quarantined", quarantined.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Mars", quarantined.Message, StringComparison.Ordinal);

        using (var compacted = await client.PostAsync(ApiTestClient.U("/compact?safe=false"), null)) await compacted.Json(HttpStatusCode.OK);

        using var info = await client.Get("/info");
        var operations = (await info.Json(HttpStatusCode.OK)).GetProperty("operations").EnumerateArray().ToList();
        var compaction = Assert.Single(operations, o => o.Str("name") == "compaction");
        Assert.False(compaction.GetProperty("running").GetBoolean());
        Assert.Equal(100, compaction.GetProperty("percent").GetDouble());
        Assert.Equal(3, compaction.GetProperty("total").GetInt64());
        Assert.Contains(logs.Lines, l => l.EventId == LogEvents.OperationDone && l.Message.StartsWith("Silk compaction done", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.EventId == LogEvents.Compacted);
        Assert.Contains(logs.Lines, l => l.EventId == LogEvents.StoreOpened);

        using (var revalidated = await client.PostAsync(ApiTestClient.U("/quarantine/revalidate"), null)) await revalidated.Json(HttpStatusCode.OK);
        using var after = await client.Get("/info");
        var revalidate = Assert.Single((await after.Json(HttpStatusCode.OK)).GetProperty("operations").EnumerateArray(), o => o.Str("name") == "revalidate");
        Assert.False(revalidate.GetProperty("running").GetBoolean());
        Assert.Equal(1, revalidate.GetProperty("done").GetInt64());
    }

    [Fact]
    public async Task Reopening_a_store_is_listed_in_info_with_every_entry_verified_and_replayed()
    {
        var first = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:Gossip:IntervalSeconds"] = "0" });
        try
        {
            using (var client = first.CreateClient())
            {
                foreach (var id in new[] { "o1", "o2", "o3" }) await client.CreateNode(id);
                using var info = await client.Get("/info");
                Assert.DoesNotContain((await info.Json(HttpStatusCode.OK)).GetProperty("operations").EnumerateArray(), o => o.Str("name") == "open");
            }

            await first.DisposeAsyncKeepingFolder();
            await using var second = first.OnSameFolder();
            using var reopened = second.CreateClient();
            using var again = await reopened.Get("/info");
            var body = await again.Json(HttpStatusCode.OK);
            var open = Assert.Single(body.GetProperty("operations").EnumerateArray(), o => o.Str("name") == "open");
            var entries = body.GetProperty("entry_count").GetInt64();
            Assert.Equal(4, entries);
            Assert.Equal((2 * entries) - 1, open.GetProperty("total").GetInt64());
            Assert.Equal(open.GetProperty("total").GetInt64(), open.GetProperty("done").GetInt64());
            Assert.Equal(100, open.GetProperty("percent").GetDouble());
            Assert.False(open.GetProperty("running").GetBoolean());
        }
        finally
        {
            SilkApiFactory.DeleteFolder(first.DataPath);
        }
    }
}
