using System.Net;
using System.Text.Json;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Tests.Api;

/// <summary>
/// The hub that feeds caught-up streams (TailHub), with clients that stop reading: raw HTTP/1.0 connections with a
/// small receive buffer, so that the server's output backs up, parsed by the test's event-stream reader. Each test has
/// its own app and writes megabytes, so they run apart from the parallel tests.
/// </summary>
[Collection(HeavyTailTests.Name)]
public sealed class TailHubTests
{
    private static string Hash(SseMessage message) => JsonDocument.Parse(message.Data!).RootElement.Str("hash");

    private static async Task<string> Now(HttpClient client)
    {
        using var now = await client.Get("/tail?cursor=now&timeout_ms=0");
        return string.Join(',', (await now.Json(HttpStatusCode.OK)).Strings("cursor"));
    }

    /// <summary>A raw stream with a small receive window, up to date and fed by the hub.</summary>
    private static async Task<SseReader> OpenFedStreamAsync(TailServerFactory server, HttpClient client, CancellationToken ct)
    {
        var stream = await SseReader.OpenRawAsync(server.BaseAddress, $"/tail?cursor={await Now(client)}", 4096, ct);
        await stream.UntilAsync("up-to-date", ct);
        await TailTestExtensions.Eventually(() => server.Hub.Members == 1, "the stream is fed by the hub");
        return stream;
    }

    private static string Write(TailServerFactory server, string id, int bytes) =>
        server.Host.Store.AddNode(id, "entity", "hub", ValueMap.Of(("name", new string('x', bytes)))).ToHex();

    [Fact]
    public async Task A_client_that_stops_reading_keeps_its_place_and_then_gets_all_it_missed_in_fewer_writes_than_events()
    {
        var ct = TailTestExtensions.Within(120);
        await using var server = new TailServerFactory(new Dictionary<string, string?> { ["Silk:Tail:SlowConsumerSeconds"] = "300" });
        using var client = server.NewClient();
        await using var paused = await OpenFedStreamAsync(server, client, ct);

        // The client reads nothing: write until the hub sees its output back up (at most 16 MB).
        var written = new List<string>();
        while (server.Hub.Lagging == 0)
        {
            Assert.True(written.Count < 1000, "the output of a client that reads nothing never backed up");
            written.Add(Write(server, $"hub-big-{written.Count}", 16 * 1024));
            if (written.Count % 10 == 0) await Task.Yield();
        }

        // Ten more entries, each its own commit, while the client still reads nothing: the stream keeps its place.
        for (var i = 0; i < 10; i++) written.Add(Write(server, $"hub-small-{i}", 10));
        Assert.Equal(1, server.Hub.Members);

        var writesBefore = server.Streams.Writes;
        var events = await paused.EntriesAsync(written.Count, ct);
        Assert.Equal(written, events.Select(Hash));
        Assert.Equal(written, events.Select(m => m.Id));
        Assert.Equal(1, server.Hub.Members);
        var writes = server.Streams.Writes - writesBefore;
        Assert.True(writes < written.Count, $"{written.Count} events took {writes} writes");

        var last = Write(server, "hub-last", 10);
        Assert.Equal(last, Assert.Single(await paused.EntriesAsync(1, ct)).Id);
    }

    [Fact]
    public async Task A_stalled_client_is_cut_off_while_the_other_streams_keep_receiving_every_event()
    {
        var ct = TailTestExtensions.Within(120);
        await using var server = new TailServerFactory(new Dictionary<string, string?>
        {
            ["Silk:Tail:SlowConsumerSeconds"] = "1",
            ["Silk:Tail:BufferBytes"] = "4096",
        });
        using var client = server.NewClient();
        var start = await Now(client);
        await using var stalled = await SseReader.OpenRawAsync(server.BaseAddress, $"/tail?cursor={start}", 4096, ct);
        await stalled.UntilAsync("up-to-date", ct);
        var clients = Enumerable.Range(0, 2).Select(_ => server.NewClient()).ToList();
        var readers = new List<SseReader>();
        try
        {
            foreach (var c in clients) readers.Add(await SseReader.OpenAsync(c, $"/tail?cursor={start}", ct: ct));
            await TailTestExtensions.Eventually(() => server.Hub.Members == 3, "the three streams are fed by the hub");

            // About 16 MB of events: more than the socket buffers between the server and the stalled client hold.
            const int Count = 250;
            var reading = readers.Select(r => r.EntriesAsync(Count, ct)).ToList();
            var written = new List<string>();
            for (var i = 0; i < Count; i++) written.Add(Write(server, $"cut-{i}", 64 * 1024));

            foreach (var events in await Task.WhenAll(reading)) Assert.Equal(written, events.Select(Hash));
            await TailTestExtensions.Eventually(() => server.Streams.SlowConsumerEnds == 1 && server.Streams.OpenStreams == 2, "the stalled stream was cut off", 30);

            var after = Write(server, "cut-after", 10);
            foreach (var reader in readers) Assert.Equal(after, Assert.Single(await reader.EntriesAsync(1, ct)).Id);

            // A member between passes (catching up on its own, or being handed back) is briefly not counted: wait for it.
            await TailTestExtensions.Eventually(() => server.Hub.Members == 2, "the two reading streams are fed by the hub again", 30);
        }
        finally
        {
            foreach (var reader in readers) await reader.DisposeAsync();
            foreach (var c in clients) c.Dispose();
        }
    }

    [Fact]
    public async Task A_stream_left_far_behind_is_handed_back_reads_the_log_itself_and_rejoins_without_loss()
    {
        var ct = TailTestExtensions.Within(120);
        await using var server = new TailServerFactory(new Dictionary<string, string?> { ["Silk:Tail:SlowConsumerSeconds"] = "300" });
        using var client = server.NewClient();
        await using var paused = await OpenFedStreamAsync(server, client, ct);

        // About 10 MB while the client reads nothing: more than the socket buffers and the hub's window together.
        var written = new List<string>();
        for (var i = 0; i < 160; i++) written.Add(Write(server, $"far-{i}", 64 * 1024));
        await TailTestExtensions.Eventually(() => server.Hub.Members == 0, "the stream was handed back", 30);

        var events = await paused.EntriesAsync(written.Count, ct);
        Assert.Equal(written, events.Select(Hash));
        Assert.Equal(written, events.Select(m => m.Id));
        await TailTestExtensions.Eventually(() => server.Hub.Members == 1, "the stream rejoined the hub", 30);
        var last = Write(server, "far-last", 10);
        Assert.Equal(last, Assert.Single(await paused.EntriesAsync(1, ct)).Id);
    }
}
