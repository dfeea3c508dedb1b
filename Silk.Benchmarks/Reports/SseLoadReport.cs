using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Silk.Api.Hosting;
using Silk.Api.Tail;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// GET /tail under load (issue 7): the real server (<see cref="SilkApp"/>, Kestrel on 127.0.0.1, a fresh LiteDB
/// store, durability fsync) and the clients in this process, sharing the machine's cores.
/// <list type="bullet">
/// <item>1, 100 and 1,000 SSE subscribers (<c>cursor=now</c>): write→event latency (from sending a durable
/// POST /nodes to the event's arrival at each subscriber) for paced writes, and events/s delivered while 16
/// writers write flat out; writer throughput with those subscribers against none.</item>
/// <item>Long-poll wake-up: 1 and 100 polls waiting on the bell, one write; from sending the write to each answer.</item>
/// <item>Tail cost with a 100,000-entry log: a poll one entry behind, paging the whole log as JSON and as one stream,
/// and write→event for 1 and 100 subscribers on that log.</item>
/// </list>
///   dotnet run -c Release --project Silk.Benchmarks -- sse-load [paced writes per run, default 200] [subscriber counts, default 1,100,1000; "only" after them skips the rest]
/// </summary>
internal static class SseLoadReport
{
    private const string Ontology = """{"node_types":{"entity":{"properties":{"name":{"value_type":"string","required":true}}}},"edge_types":{}}""";
    private const int FlatOutWriters = 16;
    private const double FlatOutSeconds = 5;
    private const double PacedWritesPerSecond = 20;
    private static readonly int[] SubscriberCounts = [1, 100, 1000];

    /// <summary>Send time of the write of node <c>n{i}</c> (Stopwatch ticks), for every write of the run.</summary>
    private static readonly long[] SentAt = new long[4_000_000];
    private static int _nextNode;

    public static async Task<int> Run(string[] args)
    {
        var pacedWrites = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var counts = args.Length > 2 ? args[2].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray() : SubscriberCounts;
        var only = args.Length > 3 && args[3] == "only";
        var folder = Path.Combine(Path.GetTempPath(), "silk-sse-load-" + Guid.NewGuid().ToString("N")[..8]);
        var app = SilkApp.Build([
            "--urls", "http://127.0.0.1:0",
            "--Silk:DataPath", folder,
            "--Silk:Durability", "fsync",
            "--Silk:Ontology", Ontology,
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync();
        try
        {
            var baseUri = new Uri(app.Urls.First());
            var streams = app.Services.GetRequiredService<TailStreams>();
            using var writerHandler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
            using var writers = new HttpClient(writerHandler) { BaseAddress = baseUri };
            using var streamHandler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
            using var subscribersClient = new HttpClient(streamHandler) { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };
            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores; server and clients in one process; durable writes (fsync); {pacedWrites} paced writes at {PacedWritesPerSecond}/s per latency run; {FlatOutWriters} writers flat out for {FlatOutSeconds} s per throughput run.");
            report.AppendLine();

            // Warm-up: JIT, store, connections.
            await FlatOut(writers, TimeSpan.FromSeconds(2));
            await PollOneBehind(writers, 500); // warm-up
            var small = await PollOneBehind(writers, 2000);
            var postLatency = await Paced(writers, pacedWrites);
            report.AppendLine(CultureInfo.InvariantCulture, $"Durable POST /nodes without subscribers, paced like the latency runs: p50 {postLatency.P50:F2} ms, p99 {postLatency.P99:F2} ms.");
            report.AppendLine();
            report.AppendLine("| subscribers | write→event p50 ms | p99 ms | max ms | paced write p50 / p99 ms | events delivered/s (flat out) | writes/s with them | writes/s without (just before) | writer slowdown | deliveries |");
            report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

            foreach (var n in counts)
            {
                var baseline = await FlatOut(writers, TimeSpan.FromSeconds(FlatOutSeconds));
                var row = await SubscriberRun(subscribersClient, writers, streams, n, pacedWrites, baseline.WritesPerSecond);
                report.AppendLine(row);
                Console.WriteLine(row);
            }

            if (only)
            {
                Console.WriteLine(report.ToString());
                return 0;
            }

            report.AppendLine();
            report.AppendLine("Long-poll wake-up (from sending the write to each poll's answer; 30 rounds):");
            report.AppendLine();
            report.AppendLine("| waiting polls | p50 ms | p99 ms |");
            report.AppendLine("|---:|---:|---:|");
            foreach (var polls in new[] { 1, 100 })
            {
                var wake = await LongPollWake(writers, streams, polls, 30);
                report.AppendLine(CultureInfo.InvariantCulture, $"| {polls} | {wake.P50:F2} | {wake.P99:F2} |");
            }

            report.AppendLine();
            var entries = await Prefill(writers, 100_000);
            report.AppendLine(CultureInfo.InvariantCulture, $"Tail cost with a {entries:N0}-entry log (filled up to at least 100,000 after the runs above):");
            report.AppendLine();
            var large = await PollOneBehind(writers, 2000);
            report.AppendLine(CultureInfo.InvariantCulture, $"- poll one entry behind (GET /tail, timeout_ms=0, round trip): p50 {large.Latency.P50:F3} ms, p99 {large.Latency.P99:F3} ms (at {small.Entries:N0} entries: p50 {small.Latency.P50:F3} ms, p99 {small.Latency.P99:F3} ms)");
            var paging = await PageAll(writers);
            report.AppendLine(CultureInfo.InvariantCulture, $"- whole log as JSON pages (max_count=10000): {paging.Entries:N0} entries in {paging.Seconds:F2} s = {paging.Entries / paging.Seconds:N0} entries/s");
            var replay = await StreamAll(subscribersClient, paging.Entries);
            report.AppendLine(CultureInfo.InvariantCulture, $"- whole log as one event stream (max_count=10000): {replay.Events:N0} events in {replay.Seconds:F2} s = {replay.Events / replay.Seconds:N0} events/s");
            foreach (var n in new[] { 1, 100 })
            {
                var live = await LatencyOnly(subscribersClient, writers, streams, n, Math.Min(pacedWrites, 100));
                report.AppendLine(CultureInfo.InvariantCulture, $"- write→event with {n} subscriber(s) on this log: p50 {live.P50:F2} ms, p99 {live.P99:F2} ms");
            }

            Console.WriteLine();
            Console.WriteLine(report.ToString());
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed record Percentiles(double P50, double P99, double Max, long Count);

    private sealed record FlatOutResult(long Writes, double Seconds, long FirstNode, long LastNode)
    {
        public double WritesPerSecond => Writes / Seconds;
    }

    private static Percentiles Summarize(List<long> ticks)
    {
        if (ticks.Count == 0) return new Percentiles(double.NaN, double.NaN, double.NaN, 0);
        var sorted = ticks.ToArray();
        Array.Sort(sorted);
        double Ms(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
        return new Percentiles(Ms(0.50), Ms(0.99), sorted[^1] * 1000.0 / Stopwatch.Frequency, sorted.Length);
    }

    private static async Task<int> Write(HttpClient http)
    {
        var node = Interlocked.Increment(ref _nextNode);
        using var content = new StringContent($$$"""{"node_id":"n{{{node}}}","node_type":"entity","label":"n","properties":{"name":"n{{{node}}}"}}""", Encoding.UTF8, "application/json");
        Volatile.Write(ref SentAt[node], Stopwatch.GetTimestamp());
        using var response = await http.PostAsync(new Uri("/nodes", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        return node;
    }

    private static async Task<FlatOutResult> FlatOut(HttpClient http, TimeSpan duration)
    {
        var first = Volatile.Read(ref _nextNode) + 1;
        var writes = 0L;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, FlatOutWriters).Select(_ => Task.Run(async () =>
        {
            while (stopwatch.Elapsed < duration)
            {
                await Write(http);
                Interlocked.Increment(ref writes);
            }
        })));
        return new FlatOutResult(writes, stopwatch.Elapsed.TotalSeconds, first, Volatile.Read(ref _nextNode));
    }

    /// <summary>Writes one at a time at <see cref="PacedWritesPerSecond"/>; returns the writes' own latencies (POST round trips).</summary>
    private static async Task<Percentiles> Paced(HttpClient http, int count)
    {
        var interval = TimeSpan.FromSeconds(1 / PacedWritesPerSecond);
        var stopwatch = Stopwatch.StartNew();
        var ticks = new List<long>(count);
        for (var i = 0; i < count; i++)
        {
            var due = interval * i;
            var wait = due - stopwatch.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var started = Stopwatch.GetTimestamp();
            await Write(http);
            ticks.Add(Stopwatch.GetTimestamp() - started);
        }

        return Summarize(ticks);
    }

    private static async Task<List<Subscriber>> Connect(HttpClient http, TailStreams streams, int count)
    {
        var subscribers = Enumerable.Range(0, count).Select(_ => new Subscriber()).ToList();
        for (var i = 0; i < count; i += 50)
        {
            var group = subscribers.Skip(i).Take(50).ToList();
            foreach (var s in group) s.Start(http, "/tail?cursor=now");
            await Task.WhenAll(group.Select(s => s.Ready));
        }

        var deadline = Stopwatch.StartNew();
        while (streams.OpenStreams < count && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(10);
        return subscribers;
    }

    private static async Task Disconnect(List<Subscriber> subscribers, TailStreams streams)
    {
        foreach (var s in subscribers) s.Stop();
        await Task.WhenAll(subscribers.Select(s => s.Completion));
        foreach (var s in subscribers) s.Dispose();
        var deadline = Stopwatch.StartNew();
        while (streams.OpenStreams > 0 && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(10);
    }

    /// <summary>Waits until every subscriber has received <paramref name="expected"/> events since its count was reset (or 60 s pass); returns when the last one did.</summary>
    private static async Task<long> CaughtUp(List<Subscriber> subscribers, long expected)
    {
        var deadline = Stopwatch.StartNew();
        while (subscribers.Any(s => Volatile.Read(ref s.Received) < expected) && deadline.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(5);
        await Task.Delay(50); // a duplicate would still arrive now
        return subscribers.Max(s => Volatile.Read(ref s.LastReceipt));
    }

    private static async Task<string> SubscriberRun(HttpClient streamsClient, HttpClient writers, TailStreams tail, int n, int pacedWrites, double baselineWritesPerSecond)
    {
        var subscribers = await Connect(streamsClient, tail, n);
        try
        {
            foreach (var s in subscribers) s.Reset(recordLatency: true);
            var writeLatency = await Paced(writers, pacedWrites);
            await CaughtUp(subscribers, pacedWrites);
            var pacedDelivered = subscribers.Sum(s => Volatile.Read(ref s.Received));
            var latency = Summarize(subscribers.SelectMany(s => s.Latencies).ToList());

            foreach (var s in subscribers) s.Reset(recordLatency: false);
            var started = Stopwatch.GetTimestamp();
            var flat = await FlatOut(writers, TimeSpan.FromSeconds(FlatOutSeconds));
            var lastReceipt = await CaughtUp(subscribers, flat.Writes);
            var delivered = subscribers.Sum(s => Volatile.Read(ref s.Received));
            var deliverySeconds = (lastReceipt - started) / (double)Stopwatch.Frequency;
            var slowdown = 1 - flat.WritesPerSecond / baselineWritesPerSecond;
            return string.Create(CultureInfo.InvariantCulture,
                $"| {n:N0} | {latency.P50:F2} | {latency.P99:F2} | {latency.Max:F1} | {writeLatency.P50:F2} / {writeLatency.P99:F2} | {delivered / deliverySeconds:N0} | {flat.WritesPerSecond:N0} | {baselineWritesPerSecond:N0} | {slowdown:P0} | {pacedDelivered:N0}/{(long)n * pacedWrites:N0} paced, {delivered:N0}/{n * flat.Writes:N0} flat out |");
        }
        finally
        {
            await Disconnect(subscribers, tail);
        }
    }

    private static async Task<Percentiles> LatencyOnly(HttpClient streamsClient, HttpClient writers, TailStreams tail, int n, int pacedWrites)
    {
        var subscribers = await Connect(streamsClient, tail, n);
        try
        {
            foreach (var s in subscribers) s.Reset(recordLatency: true);
            _ = await Paced(writers, pacedWrites);
            await CaughtUp(subscribers, pacedWrites);
            return Summarize(subscribers.SelectMany(s => s.Latencies).ToList());
        }
        finally
        {
            await Disconnect(subscribers, tail);
        }
    }

    private static async Task<Percentiles> LongPollWake(HttpClient http, TailStreams tail, int polls, int rounds)
    {
        var ticks = new List<long>();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, UseProxy = false };
        using var pollClient = new HttpClient(handler) { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        for (var round = 0; round < rounds; round++)
        {
            using var now = await http.GetAsync(new Uri("/tail?cursor=now&timeout_ms=0", UriKind.Relative));
            var cursor = ExtractCursor(await now.Content.ReadAsStringAsync());
            long sent = 0;
            var answers = Enumerable.Range(0, polls).Select(_ => Task.Run(async () =>
            {
                using var response = await pollClient.GetAsync(new Uri($"/tail?cursor={cursor}&timeout_ms=30000", UriKind.Relative));
                await response.Content.ReadAsByteArrayAsync();
                return Stopwatch.GetTimestamp();
            })).ToList();
            var deadline = Stopwatch.StartNew();
            while (tail.OpenLongPolls < polls && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(2);
            await Task.Delay(20);
            var node = Interlocked.Increment(ref _nextNode);
            using var content = new StringContent($$$"""{"node_id":"n{{{node}}}","node_type":"entity","label":"n","properties":{"name":"n"}}""", Encoding.UTF8, "application/json");
            sent = Stopwatch.GetTimestamp();
            using (var write = await http.PostAsync(new Uri("/nodes", UriKind.Relative), content)) write.EnsureSuccessStatusCode();
            foreach (var done in await Task.WhenAll(answers)) ticks.Add(done - sent);
        }

        return Summarize(ticks);
    }

    private static string ExtractCursor(string json)
    {
        var start = json.IndexOf("\"cursor\":[", StringComparison.Ordinal) + 10;
        var end = json.IndexOf(']', start);
        return json[start..end].Replace("\"", "", StringComparison.Ordinal);
    }

    private static async Task<(Percentiles Latency, long Entries)> PollOneBehind(HttpClient http, int calls)
    {
        using var heads = await http.GetAsync(new Uri("/tail?cursor=now&timeout_ms=0", UriKind.Relative));
        var head = ExtractCursor(await heads.Content.ReadAsStringAsync());
        using var entryResponse = await http.GetAsync(new Uri($"/entries/{head}", UriKind.Relative));
        var entry = await entryResponse.Content.ReadAsStringAsync();
        var nextStart = entry.IndexOf("\"next\":[", StringComparison.Ordinal) + 8;
        var parent = entry[nextStart..entry.IndexOf(']', nextStart)].Replace("\"", "", StringComparison.Ordinal);
        var ticks = new List<long>(calls);
        var path = new Uri($"/tail?cursor={parent}&timeout_ms=0", UriKind.Relative);
        for (var i = 0; i < calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            ticks.Add(Stopwatch.GetTimestamp() - started);
        }

        using var info = await http.GetAsync(new Uri("/info", UriKind.Relative));
        var text = await info.Content.ReadAsStringAsync();
        var countStart = text.IndexOf("\"entry_count\":", StringComparison.Ordinal) + 14;
        var countEnd = countStart;
        while (countEnd < text.Length && char.IsAsciiDigit(text[countEnd])) countEnd++;
        return (Summarize(ticks), long.Parse(text.AsSpan(countStart, countEnd - countStart), CultureInfo.InvariantCulture));
    }

    private static async Task<long> Prefill(HttpClient http, int total)
    {
        using var info = await http.GetAsync(new Uri("/info", UriKind.Relative));
        var text = await info.Content.ReadAsStringAsync();
        var countStart = text.IndexOf("\"entry_count\":", StringComparison.Ordinal) + 14;
        var countEnd = countStart;
        while (countEnd < text.Length && char.IsAsciiDigit(text[countEnd])) countEnd++;
        var have = long.Parse(text.AsSpan(countStart, countEnd - countStart), CultureInfo.InvariantCulture);
        var missing = (int)Math.Max(0, total - have);
        for (var done = 0; done < missing; done += 2000)
        {
            var lines = Enumerable.Range(0, Math.Min(2000, missing - done))
                .Select(_ => $$$"""{"op":"add_node","node_id":"p{{{Interlocked.Increment(ref _nextNode)}}}","node_type":"entity","label":"p","properties":{"name":"p"}}""");
            using var content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson");
            using var response = await http.PostAsync(new Uri("/batch", UriKind.Relative), content);
            response.EnsureSuccessStatusCode();
        }

        return have + missing;
    }

    private static async Task<(long Entries, double Seconds)> PageAll(HttpClient http)
    {
        var cursor = "";
        var entries = 0L;
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.GetAsync(new Uri($"/tail?cursor={cursor}&timeout_ms=0&max_count=10000", UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            var count = CountOccurrences(text, "\"hash\":");
            entries += count;
            cursor = ExtractCursor(text);
            if (text.Contains("\"up_to_date\":true", StringComparison.Ordinal)) break;
        }

        return (entries, stopwatch.Elapsed.TotalSeconds);
    }

    private static int CountOccurrences(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private static async Task<(long Events, double Seconds)> StreamAll(HttpClient http, long expected)
    {
        using var subscriber = new Subscriber();
        var stopwatch = Stopwatch.StartNew();
        subscriber.Start(http, "/tail?max_count=10000");
        var deadline = Stopwatch.StartNew();
        while (Volatile.Read(ref subscriber.Received) < expected && deadline.Elapsed < TimeSpan.FromSeconds(120)) await Task.Delay(5);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        subscriber.Stop();
        await subscriber.Completion;
        return (subscriber.Received, seconds);
    }

    /// <summary>One SSE client: parses lines without allocating, takes the node number from each entry event's data.</summary>
    private sealed class Subscriber : IDisposable
    {
        private static readonly byte[] NodeMarker = "\"node_id\":\""u8.ToArray();
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Received;
        public long LastReceipt;
        private volatile bool _recordLatency;

        public List<long> Latencies { get; } = [];

        public Task Ready => _ready.Task;

        public Task Completion { get; private set; } = Task.CompletedTask;

        public void Start(HttpClient http, string path) => Completion = Task.Run(() => RunAsync(http, path));

        public void Stop() => _stop.Cancel();

        public void Dispose() => _stop.Dispose();

        /// <summary>Between phases (no write in flight): zero the count, clear and switch latency recording.</summary>
        public void Reset(bool recordLatency)
        {
            Volatile.Write(ref Received, 0);
            lock (Latencies) Latencies.Clear();
            _recordLatency = recordLatency;
        }

        /// <summary>
        /// A raw HTTP/1.0 connection (the server then streams the body as is, without chunk framing): the lightest client
        /// there is, so that most of the shared cores go to the server.
        /// </summary>
        private async Task RunAsync(HttpClient http, string path)
        {
            try
            {
                var address = http.BaseAddress!;
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(address.Host, address.Port, _stop.Token);
                var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: {address.Authority}\r\nAccept: text/event-stream\r\n\r\n");
                await socket.SendAsync(request, SocketFlags.None, _stop.Token);
                var buffer = new byte[64 * 1024];
                var filled = 0;
                var inBody = false;
                while (true)
                {
                    if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token);
                    if (read == 0) break;
                    filled += read;
                    var consumed = 0;
                    if (!inBody)
                    {
                        var headersEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
                        if (headersEnd < 0) continue;
                        if (!buffer.AsSpan(0, headersEnd).StartsWith("HTTP/1.1 200"u8) && !buffer.AsSpan(0, headersEnd).StartsWith("HTTP/1.0 200"u8))
                        {
                            throw new InvalidOperationException(Encoding.ASCII.GetString(buffer, 0, headersEnd));
                        }

                        inBody = true;
                        consumed = headersEnd + 4;
                    }

                    while (true)
                    {
                        var newline = buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n');
                        if (newline < 0) break;
                        OnLine(buffer.AsSpan(consumed, newline));
                        consumed += newline + 1;
                    }

                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (SocketException)
            {
            }
            finally
            {
                _ready.TrySetResult();
            }
        }

        private void OnLine(ReadOnlySpan<byte> span)
        {
            if (span.StartsWith("event: up-to-date"u8))
            {
                _ready.TrySetResult();
                return;
            }

            if (!span.StartsWith("data: {\"hash\""u8)) return;
            var now = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref Received);
            Volatile.Write(ref LastReceipt, now);
            if (!_recordLatency) return;
            var at = span.IndexOf(NodeMarker);
            if (at < 0 || span[at + NodeMarker.Length] != (byte)'n') return;
            var digits = span[(at + NodeMarker.Length + 1)..];
            long node = 0;
            for (var i = 0; i < digits.Length && digits[i] is >= (byte)'0' and <= (byte)'9'; i++) node = node * 10 + (digits[i] - '0');
            if (node < SentAt.Length)
            {
                lock (Latencies) Latencies.Add(now - Volatile.Read(ref SentAt[node]));
            }
        }
    }
}
