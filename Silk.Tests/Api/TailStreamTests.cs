using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Tests.Api;

/// <summary>The Kestrel app for stream tests: fast heartbeats.</summary>
public sealed class TailStreamServer() : TailServerFactory(new Dictionary<string, string?> { ["Silk:Tail:HeartbeatSeconds"] = "0.3", ["Silk:Tail:RetryMs"] = "250" });

/// <summary>GET /tail as Server-Sent Events, on Kestrel over real sockets.</summary>
public sealed class TailStreamTests(TailStreamServer server) : IClassFixture<TailStreamServer>
{
    private readonly HttpClient _client = server.NewClient();

    private async Task<string> Now()
    {
        using var response = await _client.Get("/tail?cursor=now&timeout_ms=0");
        return string.Join(',', (await response.Json(HttpStatusCode.OK)).Strings("cursor"));
    }

    private async Task<List<string>> PollHashes(string cursor)
    {
        using var response = await _client.Get($"/tail?cursor={cursor}&timeout_ms=0&max_count=10000");
        return (await response.Json(HttpStatusCode.OK)).GetProperty("events").EnumerateArray().Select(e => e.Str("hash")).ToList();
    }

    private static JsonElement Data(SseMessage message) => JsonDocument.Parse(message.Data!).RootElement.Clone();

    [Fact]
    public async Task Streams_the_backlog_then_up_to_date_then_live_entries_each_with_the_cursor_after_it()
    {
        var ct = TailTestExtensions.Within(30);
        var start = await Now();
        var written = new List<string>();
        for (var i = 0; i < 3; i++) written.Add(await _client.CreateNode($"st-backlog-{i}"));

        await using var stream = await SseReader.OpenAsync(_client, $"/tail?cursor={start}", ct: ct);
        Assert.Equal("no-cache", stream.Response.Headers.CacheControl?.ToString());
        var first = await stream.NextAsync(ct);
        Assert.Equal("250", first!.Retry);

        var backlog = await stream.EntriesAsync(3, ct);
        Assert.Equal(written, backlog.Select(m => Data(m).Str("hash")));
        Assert.All(backlog, m => Assert.Equal("add_node", Data(m).Str("op")));
        Assert.All(backlog, m => Assert.False(Data(m).GetProperty("local").GetBoolean()));
        Assert.Equal(written, backlog.Select(m => m.Id));
        var upToDate = await stream.NextAsync(ct);
        Assert.Equal("up-to-date", upToDate!.Event);
        Assert.Equal(written[^1], upToDate.Id);
        Assert.Equal([written[^1]], Data(upToDate).Strings("cursor"));

        var live = await _client.CreateNode("st-live");
        var next = Assert.Single(await stream.EntriesAsync(1, ct));
        Assert.Equal(live, Data(next).Str("hash"));
        Assert.Equal(live, next.Id);
        Assert.Equal(["st-live"], [Data(next).Str("node_id")]);

        // Each id is a cursor: resuming from it gives exactly what came after.
        Assert.Equal([written[1], written[2], live], await PollHashes(backlog[0].Id!));
    }

    [Fact]
    public async Task Event_ids_across_concurrent_branches_are_cursors_that_resume_exactly()
    {
        var ct = TailTestExtensions.Within(30);
        var store = server.Host.Store;
        using var replica = GraphStore.FromSnapshot("st-replica", store.ExportSnapshot());
        var start = await Now();
        var local = await _client.CreateNode("st-br-local");
        var remote = replica.AddNode("st-br-remote", "entity", "r", ValueMap.Of(("name", "r"))).ToHex();
        store.Merge(replica.ComputePayload(store.GenerateOffer()));
        var after = await _client.CreateNode("st-br-after");

        await using var stream = await SseReader.OpenAsync(_client, $"/tail?cursor={start}", ct: ct);
        var events = await stream.EntriesAsync(3, ct);
        Assert.Equal([local, remote, after], events.Select(m => Data(m).Str("hash")));
        Assert.Equal(local, events[0].Id);
        Assert.Equal(new[] { local, remote }.Order(StringComparer.Ordinal), events[1].Id!.Split(',').Order(StringComparer.Ordinal));
        Assert.Equal(after, events[2].Id);
        Assert.Equal([remote, after], await PollHashes(events[0].Id!));
        Assert.Equal([after], await PollHashes(events[1].Id!));
        Assert.Empty(await PollHashes(events[2].Id!));
    }

    [Fact]
    public async Task Sends_heartbeat_comments_while_idle()
    {
        var ct = TailTestExtensions.Within(20);
        await using var stream = await SseReader.OpenAsync(_client, "/tail?cursor=now", ct: ct);
        var heartbeats = 0;
        var started = DateTime.UtcNow;
        while (heartbeats < 2)
        {
            var message = await stream.NextAsync(ct);
            Assert.NotNull(message);
            if (message.Comments.Contains("heartbeat")) heartbeats++;
        }

        // Every 0.3 s here; the bound only tells them from the default interval of 15 s.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(14), "heartbeats every 0.3 s here");
    }

    [Fact]
    public async Task Resumes_from_Last_Event_ID_which_wins_over_the_cursor()
    {
        var ct = TailTestExtensions.Within(30);
        var start = await Now();
        var written = new List<string>();
        for (var i = 0; i < 5; i++) written.Add(await _client.CreateNode($"st-resume-{i}"));

        string lastId;
        await using (var stream = await SseReader.OpenAsync(_client, $"/tail?cursor={start}", ct: ct))
        {
            var two = await stream.EntriesAsync(2, ct);
            lastId = two[^1].Id!;
        }

        // Same URL (as a browser reconnects), plus the header.
        await using var resumed = await SseReader.OpenAsync(_client, $"/tail?cursor={start}", lastId, ct);
        var rest = await resumed.EntriesAsync(3, ct);
        Assert.Equal(written[2..], rest.Select(m => Data(m).Str("hash")));
        Assert.Equal("up-to-date", (await resumed.NextAsync(ct))!.Event);

        // cursor=now plus a Last-Event-ID: the header still wins.
        await using var fromNowUrl = await SseReader.OpenAsync(_client, "/tail?cursor=now", written[3], ct);
        Assert.Equal([written[4]], (await fromNowUrl.EntriesAsync(1, ct)).Select(m => Data(m).Str("hash")));
    }

    [Fact]
    public async Task Last_streams_the_newest_entries_then_live_ones_and_Last_Event_ID_still_wins()
    {
        var ct = TailTestExtensions.Within(30);
        var written = new List<string>();
        for (var i = 0; i < 3; i++) written.Add(await _client.CreateNode($"st-last-{i}"));

        await using (var stream = await SseReader.OpenAsync(_client, "/tail?last=2", ct: ct))
        {
            var recent = await stream.EntriesAsync(2, ct);
            Assert.Equal(written[1..], recent.Select(m => Data(m).Str("hash")));
            Assert.Equal(written[1..], recent.Select(m => m.Id));
            Assert.Equal("up-to-date", (await stream.NextAsync(ct))!.Event);
            var live = await _client.CreateNode("st-last-live");
            Assert.Equal([live], (await stream.EntriesAsync(1, ct)).Select(m => Data(m).Str("hash")));
            written.Add(live);
        }

        // A browser reconnecting to the same URL sends its last id: it resumes there, not at the last entries again.
        await using var resumed = await SseReader.OpenAsync(_client, "/tail?last=2", written[1], ct);
        Assert.Equal(written[2..], (await resumed.EntriesAsync(2, ct)).Select(m => Data(m).Str("hash")));
    }

    [Fact]
    public async Task Small_batches_under_concurrent_writers_deliver_every_entry_once()
    {
        var ct = TailTestExtensions.Within(60);
        var start = await Now();
        await using var stream = await SseReader.OpenAsync(_client, $"/tail?cursor={start}&max_count=3", ct: ct);
        var store = server.Host.Store;
        using var replica = GraphStore.FromSnapshot("st-writers", store.ExportSnapshot());
        const int Writers = 3, PerWriter = 40, Merges = 8, PerMerge = 3;
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++) await _client.CreateNode($"st-w{w}-{i}");
        })).ToList();
        writers.Add(Task.Run(async () =>
        {
            for (var m = 0; m < Merges; m++)
            {
                for (var i = 0; i < PerMerge; i++) replica.AddNode($"st-r{m}-{i}", "entity", "r", ValueMap.Of(("name", "r")));
                store.Merge(replica.ComputePayload(store.GenerateOffer()));
                replica.Merge(store.ComputePayload(replica.GenerateOffer()));
                await Task.Delay(5);
            }
        }));

        var events = await stream.EntriesAsync(Writers * PerWriter + Merges * PerMerge, ct);
        await Task.WhenAll(writers);
        var hashes = events.Select(m => Data(m).Str("hash")).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
        Assert.Equal((await PollHashes(start)).Order(), hashes.Order());

        // The last id is the stream's position: nothing is past it.
        Assert.Empty(await PollHashes(events[^1].Id!));
    }

    [Fact]
    public async Task Many_streams_from_one_cursor_each_get_every_event_once_with_the_same_ids()
    {
        var ct = TailTestExtensions.Within(60);
        var start = await Now();
        const int Streams = 12, Writes = 60;
        var readers = new List<SseReader>();
        var clients = Enumerable.Range(0, Streams).Select(_ => server.NewClient()).ToList();
        try
        {
            for (var i = 0; i < Streams; i++) readers.Add(await SseReader.OpenAsync(clients[i], $"/tail?cursor={start}&max_count={(i % 2 == 0 ? 1000 : 2)}", ct: ct));
            await TailTestExtensions.Eventually(() => server.Hub.Members >= Streams / 2, "the caught-up streams are fed by the hub");
            var written = new List<string>();
            var writing = Task.Run(async () =>
            {
                for (var i = 0; i < Writes; i++) written.Add(await _client.CreateNode($"st-many-{i}"));
            });
            var received = await Task.WhenAll(readers.Select(r => r.EntriesAsync(Writes, ct)));
            await writing;
            foreach (var events in received)
            {
                Assert.Equal(written, events.Select(m => Data(m).Str("hash")));
                Assert.Equal(written, events.Select(m => m.Id));
            }
        }
        finally
        {
            foreach (var reader in readers) await reader.DisposeAsync();
            foreach (var client in clients) client.Dispose();
        }
    }

    [Fact]
    public async Task Types_filter_sends_only_those_ops_and_keeps_the_id_current()
    {
        var ct = TailTestExtensions.Within(30);
        var start = await Now();
        await using var stream = await SseReader.OpenAsync(_client, $"/tail?cursor={start}&types=remove_node", ct: ct);
        Assert.Equal("up-to-date", (await stream.UntilAsync("up-to-date", ct)).Event);
        await _client.CreateNode("st-f1");
        using (var removed = await _client.Delete("/nodes/st-f1")) Assert.True(removed.IsSuccessStatusCode);
        var hashAfter = await _client.CreateNode("st-f2");

        var only = Assert.Single(await stream.EntriesAsync(1, ct));
        Assert.Equal("remove_node", Data(only).Str("op"));
        // The add_node after it is left out, and an up-to-date carries the id past it.
        var caughtUp = await stream.UntilAsync("up-to-date", ct);
        Assert.Equal(hashAfter, caughtUp.Id);
    }

    [Fact]
    public async Task Client_disconnect_frees_the_stream_and_its_subscription()
    {
        var ct = TailTestExtensions.Within(30);
        await TailTestExtensions.Eventually(() => server.Streams.OpenStreams == 0, "earlier streams are closed");
        var stream = await SseReader.OpenAsync(_client, "/tail?cursor=now", ct: ct);
        await stream.UntilAsync("up-to-date", ct);
        Assert.Equal(1, server.Streams.OpenStreams);
        await TailTestExtensions.Eventually(() => server.Hub.Members == 1, "the caught-up stream is fed by the hub");
        await stream.DisposeAsync();
        await TailTestExtensions.Eventually(() => server.Streams.OpenStreams == 0, "the server noticed the disconnect");
        Assert.Equal(0, server.Hub.Members);

        // A long poll is counted while it waits, and freed when its client gives up.
        using var client = server.NewClient();
        using var cancel = new CancellationTokenSource();
        var poll = client.GetAsync(new Uri("/tail?cursor=now&timeout_ms=60000", UriKind.Relative), cancel.Token);
        await TailTestExtensions.Eventually(() => server.Streams.OpenLongPolls == 1, "the long poll waits");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);
        await TailTestExtensions.Eventually(() => server.Streams.OpenLongPolls == 0, "the server noticed the long poll's client leave");
    }

    [Fact]
    public async Task A_stream_ended_by_the_server_resumes_from_its_last_id_without_loss()
    {
        var ct = TailTestExtensions.Within(30);
        var start = await Now();
        await using var stream = await SseReader.OpenAsync(_client, $"/tail?cursor={start}", ct: ct);
        var one = await _client.CreateNode("st-end-1");
        var first = Assert.Single(await stream.EntriesAsync(1, ct));
        await TailTestExtensions.Eventually(() => server.Streams.OpenStreams >= 1, "the stream is registered");

        server.Streams.EndAllStreams();
        while (await stream.NextAsync(ct) is not null)
        {
        }

        var two = await _client.CreateNode("st-end-2");
        await using var resumed = await SseReader.OpenAsync(_client, $"/tail?cursor={start}", first.Id, ct);
        Assert.Equal([two], (await resumed.EntriesAsync(1, ct)).Select(m => Data(m).Str("hash")));
        Assert.Equal(one, first.Id);
    }

    [Fact]
    public async Task Malformed_cursor_or_Last_Event_ID_is_400_before_any_streaming()
    {
        var ct = TailTestExtensions.Within(30);
        var (response, reader) = await SseReader.TryOpenAsync(_client, "/tail?cursor=nothex", ct: ct);
        using (response)
        {
            Assert.Null(reader);
            await response.Problem(HttpStatusCode.BadRequest);
        }

        (response, reader) = await SseReader.TryOpenAsync(_client, "/tail?cursor=now", "12,34", ct);
        using (response)
        {
            Assert.Null(reader);
            Assert.Contains("Last-Event-ID", (await response.Problem(HttpStatusCode.BadRequest)).Str("detail"), StringComparison.Ordinal);
        }

        (response, reader) = await SseReader.TryOpenAsync(_client, "/tail?max_count=0", ct: ct);
        using (response) await response.Problem(HttpStatusCode.BadRequest);
    }
}

/// <summary>Streams that end: compaction under a stream, and a client that stops reading. Each test has its own app.</summary>
[Collection(HeavyTailTests.Name)]
public sealed class TailStreamEndTests
{
    [Fact]
    public async Task Compaction_ends_a_stream_and_its_reconnect_is_410()
    {
        var ct = TailTestExtensions.Within(30);
        await using var server = new TailServerFactory();
        using var client = server.NewClient();
        var first = await client.CreateNode("sc-a");
        await using var stream = await SseReader.OpenAsync(client, "/tail", ct: ct);
        var events = await stream.EntriesAsync(2, ct);
        Assert.Equal(first, events[1].Id);

        using (var compact = await client.PostAsync(ApiTestClient.U("/compact?safe=false"), null)) await compact.Json(HttpStatusCode.OK);
        while (await stream.NextAsync(ct) is { } message)
        {
            Assert.NotEqual("entry", message.Event);
        }

        var (response, reader) = await SseReader.TryOpenAsync(client, "/tail", events[1].Id, ct);
        using (response)
        {
            Assert.Null(reader);
            Assert.Contains("re-bootstrap", (await response.Problem(HttpStatusCode.Gone)).Str("detail"), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_batch_larger_than_the_buffer_reaches_a_hub_fed_stream_in_buffer_sized_writes_without_loss()
    {
        var ct = TailTestExtensions.Within(60);
        await using var server = new TailServerFactory(new Dictionary<string, string?> { ["Silk:Tail:BufferBytes"] = "1024" });
        using var client = server.NewClient();
        await using var stream = await SseReader.OpenAsync(client, "/tail?cursor=now", ct: ct);
        await stream.UntilAsync("up-to-date", ct);
        await TailTestExtensions.Eventually(() => server.Hub.Members == 1, "the stream is fed by the hub");

        // One batch of 40 entries: far more than 1 KiB of messages, which the hub writes a buffer at a time.
        var writesBefore = server.Streams.Writes;
        var lines = Enumerable.Range(0, 40).Select(i => $$$"""{"op":"add_node","node_id":"hb-{{{i}}}","node_type":"entity","label":"hb","properties":{"name":"hb-{{{i}}}"}}""");
        using var content = new StringContent(string.Join('\n', lines), System.Text.Encoding.UTF8, "application/x-ndjson");
        using var batch = await client.PostAsync(ApiTestClient.U("/batch"), content);
        var written = (await batch.Json(HttpStatusCode.OK)).Strings("hashes").ToList();
        for (var i = 0; i < 5; i++) written.Add(await client.CreateNode($"hb-after-{i}"));

        var events = await stream.EntriesAsync(written.Count, ct);
        Assert.Equal(written, events.Select(m => JsonDocument.Parse(m.Data!).RootElement.Str("hash")));
        Assert.Equal(written, events.Select(m => m.Id));
        Assert.Equal(1, server.Hub.Members);
        Assert.True(server.Streams.Writes - writesBefore > 10, "the batch went out in writes of at most 1 KiB");
        var last = await client.CreateNode("hb-last");
        Assert.Equal(last, (await stream.EntriesAsync(1, ct))[0].Id);
    }

    [Fact]
    public async Task A_client_that_does_not_read_is_disconnected_and_resumes_with_nothing_lost()
    {
        var ct = TailTestExtensions.Within(60);
        await using var server = new TailServerFactory(new Dictionary<string, string?>
        {
            ["Silk:Tail:SlowConsumerSeconds"] = "1",
            ["Silk:Tail:BufferBytes"] = "4096",
        });
        using var client = server.NewClient();
        using var now = await client.Get("/tail?cursor=now&timeout_ms=0");
        var start = string.Join(',', (await now.Json(HttpStatusCode.OK)).Strings("cursor"));

        // A raw connection with a small receive window that sends its request and then never reads.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port, ct);
        var request = $"GET /tail?cursor={start} HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nAccept: text/event-stream\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, ct);
        await TailTestExtensions.Eventually(() => server.Streams.OpenStreams == 1, "the stream is open");

        // About 16 MB of events: more than the socket buffers between the two ends can hold.
        var store = server.Host.Store;
        var big = new string('x', 64 * 1024);
        const int Count = 250;
        var written = new List<string>();
        for (var i = 0; i < Count; i++) written.Add(store.AddNode($"slow-{i}", "entity", "slow", ValueMap.Of(("name", big))).ToHex());

        await TailTestExtensions.Eventually(() => server.Streams.SlowConsumerEnds == 1 && server.Streams.OpenStreams == 0, "the stream was ended for its slow client", 30);

        // Writers were not held up, and the client resumes from where it was (here: its start cursor) with everything.
        Assert.Equal(Count, written.Count);
        await using var resumed = await SseReader.OpenAsync(client, $"/tail?cursor={start}", ct: ct);
        var events = await resumed.EntriesAsync(Count, ct);
        Assert.Equal(written, events.Select(m => JsonDocument.Parse(m.Data!).RootElement.Str("hash")));
    }
}
