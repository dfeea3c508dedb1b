using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Silk.Tests.Peers;

namespace Silk.Tests.Api;

/// <summary>
/// Graceful shutdown of the real server process (<c>dotnet Silk.Api.dll</c>, fsync durability): SIGTERM under write
/// load, with event streams open; then a second SIGTERM while a request holds the shutdown up.
/// </summary>
public sealed class ShutdownTests : IDisposable
{
    private const string Ontology = """{"node_types":{"entity":{"properties":{"name":{"value_type":"string","required":true}}}},"edge_types":{}}""";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "silk-shutdown-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(2) }) { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Sigterm_under_load_keeps_every_acknowledged_write_and_ends_event_streams_cleanly()
    {
        using var first = Server("first");
        first.Start();
        await first.WaitReadyAsync(_http, TimeSpan.FromSeconds(60));
        var streamClient = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(first.Url), Timeout = Timeout.InfiniteTimeSpan };
        var streams = Enumerable.Range(0, 3).Select(_ => ReadStreamAsync(streamClient, lastEventId: null)).ToList();

        var acked = new ConcurrentBag<string>();
        using var stopWriters = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 8).Select(w => WriteUntilRefusedAsync(first.Url, w, acked, stopWriters.Token)).ToList();
        var clock = Stopwatch.StartNew();
        while (acked.Count < 300 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
        Assert.True(acked.Count >= 300, $"only {acked.Count} writes acknowledged before the signal\n{first.Output}");

        // SIGTERM while the writers are writing; they go on until the server refuses them.
        await Task.Run(first.Stop);
        await stopWriters.CancelAsync();
        await Task.WhenAll(writers);
        var ended = await Task.WhenAll(streams);

        Assert.Contains("exit code 0", first.Output, StringComparison.Ordinal);
        Assert.Contains("Silk stopping", first.Output, StringComparison.Ordinal);
        Assert.Contains("closed", first.Output, StringComparison.Ordinal);
        foreach (var stream in ended)
        {
            Assert.True(stream.EndedCleanly, $"an event stream broke instead of ending: {stream.Error}\n{first.Output}");
            Assert.NotEmpty(stream.NodeIds);
        }

        // Every acknowledged write is there after a restart on the same folder.
        using var second = Server("second");
        second.Start();
        await second.WaitReadyAsync(_http, TimeSpan.FromSeconds(60));
        var missing = new List<string>();
        foreach (var id in acked)
        {
            using var response = await _http.GetAsync(new Uri($"{second.Url}/nodes/{id}"));
            if (response.StatusCode != HttpStatusCode.OK) missing.Add(id);
        }

        Assert.True(missing.Count == 0, $"{missing.Count} of {acked.Count} acknowledged writes lost: {string.Join(", ", missing.Take(10))}");

        // A stream resumes where it ended (Last-Event-ID) and, with what it had, has every acknowledged write.
        using var resumeClient = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(second.Url), Timeout = Timeout.InfiniteTimeSpan };
        var resumed = await ReadStreamAsync(resumeClient, ended[0].LastId, untilUpToDate: true);
        Assert.True(resumed.EndedCleanly, resumed.Error);
        var seen = ended[0].NodeIds.Concat(resumed.NodeIds).ToHashSet(StringComparer.Ordinal);
        var unseen = acked.Where(id => !seen.Contains(id)).ToList();
        Assert.True(unseen.Count == 0, $"{unseen.Count} acknowledged writes never reached the stream, before the end or after resuming: {string.Join(", ", unseen.Take(10))}");
        second.Stop();
    }

    [Fact]
    public async Task A_second_sigterm_exits_at_once_while_a_request_holds_the_shutdown_up()
    {
        using var server = Server("held", "--Silk:ShutdownTimeoutSeconds=120");
        server.Start();
        await server.WaitReadyAsync(_http, TimeSpan.FromSeconds(60));
        using (var before = await Post(server.Url, "before")) Assert.Equal(HttpStatusCode.Created, before.StatusCode);

        // A request whose body never finishes: graceful shutdown waits for it (up to the 120 s timeout).
        using var held = new TcpClient();
        await held.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = held.GetStream();
        // With Expect: 100-continue the server says "100 Continue" once the app starts reading the body: from then on
        // the request is in flight (the request log, which would say so too, is off by design).
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /nodes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n"));
        await stream.FlushAsync();
        var interim = new byte[64];
        var read = await stream.ReadAsync(interim).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.StartsWith("HTTP/1.1 100 Continue", Encoding.ASCII.GetString(interim, 0, read), StringComparison.Ordinal);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("{\"node_id\":"));
        await stream.FlushAsync();

        var clock = Stopwatch.StartNew();
        server.SendSigterm();
        await Task.Delay(1500);
        Assert.True(server.IsRunning, $"the first SIGTERM did not wait for the request in flight\n{server.Output}");

        server.SendSigterm();
        Assert.Equal(137, server.WaitForExit(TimeSpan.FromSeconds(30))); // killed itself, long before the 120 s timeout
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Contains("second SIGTERM during shutdown: exiting now", server.Output, StringComparison.Ordinal);

        using var again = Server("held-again");
        again.Start();
        await again.WaitReadyAsync(_http, TimeSpan.FromSeconds(60));
        using var kept = await _http.GetAsync(new Uri($"{again.Url}/nodes/before"));
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        again.Stop();
    }

    private SilkProcess Server(string name, params string[] extra)
    {
        Directory.CreateDirectory(_root);
        var ontology = Path.Combine(_root, "ontology.json");
        if (!File.Exists(ontology)) File.WriteAllText(ontology, Ontology);
        var port = SilkProcess.FreePorts(1)[0];
        return new SilkProcess(name, port, Path.Combine(_root, name), [
            $"--Silk:DataPath={Path.Combine(_root, "data")}",
            $"--Silk:OntologyPath={ontology}",
            "--Silk:Durability=fsync",
            "--Silk:Gossip:IntervalSeconds=0",
            "--Silk:SlowRequestSeconds=0",
            .. extra,
        ]);
    }

    private async Task<HttpResponseMessage> Post(string url, string id)
    {
        using var content = new StringContent($$$"""{"node_id":"{{{id}}}","node_type":"entity","label":"{{{id}}}","properties":{"name":"{{{id}}}"}}""", Encoding.UTF8, "application/json");
        return await _http.PostAsync(new Uri($"{url}/nodes"), content);
    }

    /// <summary>One writer: new nodes until the server stops answering 201 (it is shutting down) or the test says stop.</summary>
    private async Task WriteUntilRefusedAsync(string url, int writer, ConcurrentBag<string> acked, CancellationToken stop)
    {
        for (var k = 0; !stop.IsCancellationRequested; k++)
        {
            var id = $"w{writer}-{k}";
            try
            {
                using var response = await Post(url, id);
                if (response.StatusCode != HttpStatusCode.Created) return;
                acked.Add(id);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                return;
            }
        }
    }

    private sealed record StreamRead(bool EndedCleanly, string? Error, string? LastId, IReadOnlyList<string> NodeIds);

    /// <summary>Reads an event stream from the beginning (or after <paramref name="lastEventId"/>) until it ends, or until up to date.</summary>
    private static async Task<StreamRead> ReadStreamAsync(HttpClient client, string? lastEventId, bool untilUpToDate = false)
    {
        var ids = new List<string>();
        string? last = lastEventId;
        try
        {
            await using var reader = await SseReader.OpenAsync(client, "/tail?cursor=", lastEventId);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (await reader.NextAsync(timeout.Token) is { } message)
            {
                if (message.Id is not null) last = message.Id;
                if (message.Event == "up-to-date" && untilUpToDate) return new StreamRead(true, null, last, ids);
                if (message.Event != "entry" || message.Data is null) continue;
                using var data = JsonDocument.Parse(message.Data);
                if (data.RootElement.TryGetProperty("node_id", out var node)) ids.Add(node.GetString()!);
            }

            return new StreamRead(!untilUpToDate, untilUpToDate ? "ended before up-to-date" : null, last, ids);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or InvalidOperationException)
        {
            return new StreamRead(false, ex.ToString(), last, ids);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
