using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MessagePack;
using Silk.Api.Peers;
using Silk.Core.Entries;
using Silk.Core.Store;
using Silk.Core.Sync;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// Issue 18, scale: one real server process (<c>dotnet Silk.Api.dll</c>) on one LiteDB folder with fsync durability,
/// filled through <c>POST /import</c> to 10,000, then 100,000, then 1,000,000 entries (add_node lines), and measured at
/// each size: restart after a clean stop (SIGTERM, start, until <c>/readyz</c> answers) and after <c>kill -9</c>, resident
/// memory after the restart, <c>GET /info</c>, <c>GET /sync/offer</c> (idle, and right after a write), <c>GET /nodes/{id}</c>
/// and durable <c>POST /nodes</c> with 64 connections, a tail poll 1 entry behind, a 100-entry incremental sync
/// (<see cref="SyncExchange"/> over <see cref="HttpSyncPeer"/>, delta, between the server and an in-memory peer in this
/// process that holds the same log), data file bytes per entry, and at the largest size a compaction. Prints one table,
/// one column per size.
///   dotnet run -c Release --project Silk.Benchmarks -- scale [sizes, default 10000,100000,1000000]
/// </summary>
internal static class ScaleReport
{
    private const int Connections = 64;
    private static readonly int[] DefaultSizes = [10_000, 100_000, 1_000_000];
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(20);
    private static readonly string[] ServerSettings = ["--Silk:Durability=fsync", "--Silk:Limits:RequestsPerSecond=0"];

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var sizes = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal)
            ? args[1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : DefaultSizes;
        using var workspace = await ReportWorkspace.CreateAsync("silk-scale-");
        Console.WriteLine($"# scale: one server (fsync durability) filled to {string.Join(", ", sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} entries; {Environment.ProcessorCount} cores; load average at start {Machine.LoadAverage()}");
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(15) };
        var scale = new Scale(workspace, http);
        try
        {
            foreach (var size in sizes)
            {
                await scale.MeasureAt(size, compact: size == sizes[^1]);
            }
        }
        finally
        {
            scale.Dispose();
        }

        scale.Print();
        return 0;
    }

    /// <summary>The server under test (restarted in place) and the figures measured so far, one column per size.</summary>
    private sealed class Scale(ReportWorkspace workspace, HttpClient http) : IDisposable
    {
        private const string ServerName = "server";
        private readonly List<(string Row, List<string> Cells)> _rows = [];
        private readonly List<string> _columns = [];
        private ServerProcess? _server;
        private int _nextNode;
        private int _nextWrite;

        private string DataFolder => Path.Combine(workspace.Root, ServerName, "data");

        private Uri Url(string path) => new($"{_server!.Url}{path}");

        public async Task MeasureAt(int size, bool compact)
        {
            _server ??= await StartAsync();
            var column = _columns.Count;
            _columns.Add($"{size:N0}");
            Console.WriteLine($"## {size:N0} entries (load average {Machine.LoadAverage()})");

            var (filled, fillSeconds) = await Fill(size);
            var entries = await EntryCount();
            Set(column, "entries when measured", $"{entries:N0}");
            Set(column, "fill: POST /import lines/s (fsync)", filled == 0 ? "–" : $"{filled / fillSeconds:N0}");

            // A clean stop folds the journal into LiteDB: the file sizes and the restart are those of a store at rest.
            _server.Stop(StopTimeout);
            var bytes = DataBytes();
            Set(column, "data files, bytes per entry", $"{(double)bytes / entries:N0} ({bytes / 1e6:N0} MB)");
            var restart = await RestartAsync();
            Set(column, "restart after SIGTERM: start → /readyz", $"{restart.TotalSeconds:F2} s");
            Set(column, "  of which the store's open", $"{await OpenSeconds():F2} s");
            Set(column, "resident memory after restart", $"{_server.ResidentBytes() / 1e6:N0} MB");

            // Reads are measured once the server is idle again (after the open, the GC works through what it allocated).
            Set(column, "  server busy after /readyz answered", $"{(await _server.WaitIdleAsync(TimeSpan.FromMinutes(1))).TotalSeconds:F0} s");

            Set(column, "GET /info p50", Ms(await Sequential(200, () => Get("/info"))));
            var (offerBytes, offer) = await OfferIdle();
            Set(column, "GET /sync/offer p50 (no write since the last)", Ms(offer));
            Set(column, "GET /sync/offer bytes", $"{offerBytes:N0}");
            Set(column, "GET /sync/offer p50 right after a write", Ms(await OfferAfterWrite()));

            var nodes = await Load(id => new HttpRequestMessage(HttpMethod.Get, Url($"/nodes/n{(uint)id * 2654435761u % (uint)_nextNode}")));
            Set(column, "GET /nodes/{id}, 64 connections: p50", $"{nodes.P50Ms:F2} ms");
            Set(column, "GET /nodes/{id}, 64 connections: requests/s", $"{nodes.PerSecond:N0}");

            Set(column, "tail poll 1 entry behind p50", Ms(await TailOneBehind()));
            var (sync, syncBytes) = await IncrementalSync();
            Set(column, "incremental sync of 100 entries p50", Ms(sync));
            Set(column, "  bytes moved (median)", $"{syncBytes:N0}");

            var writes = await Load(_ => NewNode());
            Set(column, "durable POST /nodes, 64 connections: writes/s", $"{writes.PerSecond:N0}");
            Set(column, "durable POST /nodes, 64 connections: p50", $"{writes.P50Ms:F2} ms");

            // kill -9 right after the writes: the journal has not been folded, so the restart replays it.
            _server.Kill();
            var killed = await RestartAsync();
            Set(column, "restart after kill -9 (right after the writes)", $"{killed.TotalSeconds:F2} s");
            await _server.WaitIdleAsync(TimeSpan.FromMinutes(1));

            if (compact) await Compact(column);
            Console.WriteLine($"   done (load average {Machine.LoadAverage()})");
        }

        private async Task Compact(int column)
        {
            // The restart after kill -9 left the image to be written anew: let a clean stop seal it first.
            _server!.Stop(StopTimeout);
            await RestartAsync();
            var entries = await EntryCount();
            var clock = Stopwatch.StartNew();
            using (var response = await http.PostAsync(Url("/compact?safe=false"), null))
            {
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /compact: {(int)response.StatusCode} {body}");
            }

            var seconds = clock.Elapsed.TotalSeconds;
            Set(column, $"compaction of {entries:N0} entries (POST /compact)", $"{seconds:F1} s");
            _server.Stop(StopTimeout);
            var bytes = DataBytes();
            Set(column, "  data files after it (after a clean stop)", $"{bytes / 1e6:N1} MB");
            var restart = await RestartAsync();
            Set(column, "  restart after it", $"{restart.TotalSeconds:F2} s");
        }

        /// <summary>Adds add_node lines until the log holds <paramref name="size"/> entries; lines imported and seconds.</summary>
        private async Task<(int Lines, double Seconds)> Fill(int size)
        {
            var missing = size - await EntryCount();
            if (missing <= 0) return (0, 0);
            var first = _nextNode;
            _nextNode += missing;
            var clock = Stopwatch.StartNew();
            using var content = new GeneratedLinesContent(missing, i => NodeLine(first + i));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            using var response = await http.PostAsync(Url("/import?chunk_lines=5000"), content);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"POST /import: {(int)response.StatusCode} {body}");
            using var result = JsonDocument.Parse(body);
            var applied = result.RootElement.GetProperty("applied").GetInt32();
            if (applied != missing) throw new InvalidOperationException($"POST /import applied {applied} of {missing} lines: {body}");
            return (missing, clock.Elapsed.TotalSeconds);
        }

        private static string NodeLine(int i) =>
            $$$"""{"op":"add_node","node_id":"n{{{i}}}","node_type":"item","label":"n{{{i}}}","properties":{"name":"node-{{{i}}}","n":{{{i}}},"score":{{{i % 100}}}.5}}""";

        private HttpRequestMessage NewNode()
        {
            var id = Interlocked.Increment(ref _nextWrite);
            return new HttpRequestMessage(HttpMethod.Post, Url("/nodes"))
            {
                Content = new StringContent($$$"""{"node_id":"w{{{id}}}","node_type":"item","label":"w","properties":{"name":"w{{{id}}}"}}""", Encoding.UTF8, "application/json"),
            };
        }

        private async Task<ServerProcess> StartAsync()
        {
            var server = ServerProcess.Start(workspace.Root, ServerName, workspace.OntologyPath, null, ServerSettings);
            await server.WaitReadyAsync(http, ReadyPoll);
            return server;
        }

        /// <summary>Starts the server again on the same folder; the time from process start until /readyz answers 200.</summary>
        private async Task<TimeSpan> RestartAsync()
        {
            _server?.Dispose();
            var clock = Stopwatch.StartNew();
            _server = ServerProcess.Start(workspace.Root, ServerName, workspace.OntologyPath, null, ServerSettings);
            await _server.WaitReadyAsync(http, ReadyPoll);
            return clock.Elapsed;
        }

        private long DataBytes() => Directory.EnumerateFiles(DataFolder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

        private async Task<int> EntryCount()
        {
            using var info = JsonDocument.Parse(await http.GetStringAsync(Url("/info")));
            return info.RootElement.GetProperty("entry_count").GetInt32();
        }

        /// <summary>The store's own timing of its last open (GET /info's operations).</summary>
        private async Task<double> OpenSeconds()
        {
            using var info = JsonDocument.Parse(await http.GetStringAsync(Url("/info")));
            foreach (var operation in info.RootElement.GetProperty("operations").EnumerateArray())
            {
                if (operation.GetProperty("name").GetString() == "open") return operation.GetProperty("elapsed_ms").GetInt64() / 1000.0;
            }

            return double.NaN;
        }

        private async Task Get(string path)
        {
            using var response = await http.GetAsync(Url(path), HttpCompletionOption.ResponseContentRead);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
        }

        private async Task<byte[]> GetOfferBytes()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Url("/sync/offer"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/msgpack"));
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET /sync/offer: {(int)response.StatusCode}");
            return await response.Content.ReadAsByteArrayAsync();
        }

        private async Task<(long Bytes, List<double> Times)> OfferIdle()
        {
            long bytes = 0;
            var times = await Sequential(30, async () => bytes = (await GetOfferBytes()).Length);
            return (bytes, times);
        }

        /// <summary>Each time one durable write (not timed), then the offer: what a peer pays on a store that is being written to.</summary>
        private async Task<List<double>> OfferAfterWrite()
        {
            var times = new List<double>();
            for (var run = -3; run < 20; run++)
            {
                using (var message = NewNode())
                using (var response = await http.SendAsync(message)) response.EnsureSuccessStatusCode();
                var clock = Stopwatch.StartNew();
                await GetOfferBytes();
                if (run >= 0) times.Add(clock.Elapsed.TotalMilliseconds);
            }

            return times;
        }

        /// <summary>The same poll again and again from a cursor one entry behind the log's end (it answers that one entry at once).</summary>
        private async Task<List<double>> TailOneBehind()
        {
            using var start = JsonDocument.Parse(await http.GetStringAsync(Url("/tail?last=2&max_count=1&timeout_ms=0")));
            var cursor = string.Join(',', start.RootElement.GetProperty("cursor").EnumerateArray().Select(h => h.GetString()));
            var path = $"/tail?cursor={cursor}&timeout_ms=0";
            using (var check = JsonDocument.Parse(await http.GetStringAsync(Url(path))))
            {
                var events = check.RootElement.GetProperty("events").GetArrayLength();
                if (events != 1) throw new InvalidOperationException($"a poll one entry behind answered {events} events");
            }

            return await Sequential(200, () => Get(path));
        }

        /// <summary>
        /// A peer in this process holding the server's whole log (from its snapshot, read without the sync size limit that
        /// bootstrapping applies); each run the server gets 100 new entries (one POST /batch, not timed) and one exchange
        /// brings them over: offers both ways, the delta payload, the merge.
        /// </summary>
        private async Task<(List<double> Times, long MedianBytes)> IncrementalSync()
        {
            using var local = GraphStore.FromSnapshot("bench-peer", await FetchSnapshot());
            var peer = new HttpSyncPeer(http, new Uri(_server!.Url));
            var times = new List<double>();
            var moved = new List<long>();
            for (var run = -3; run < 15; run++)
            {
                await ServerBatch(100);
                var before = peer.BytesSent + peer.BytesReceived;
                var clock = Stopwatch.StartNew();
                var result = await SyncExchange.RunAsync(local, peer);
                var elapsed = clock.Elapsed.TotalMilliseconds;
                if (result.Pulled != 100 || result.Pushed != 0) throw new InvalidOperationException($"the exchange moved {result.Pulled}/{result.Pushed}, expected 100/0");
                if (run < 0) continue;
                times.Add(elapsed);
                moved.Add(peer.BytesSent + peer.BytesReceived - before);
            }

            moved.Sort();
            return (times, moved[moved.Count / 2]);
        }

        private async Task<Snapshot> FetchSnapshot()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Url("/sync/snapshot"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/msgpack"));
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var bytes = await response.Content.ReadAsByteArrayAsync();
            // Entry by entry: SyncMessage.ReadEntries refuses more than a message's 100,000 entries.
            var reader = new MessagePackReader(bytes);
            if (reader.ReadArrayHeader() != 1) throw new InvalidOperationException("not a snapshot");
            var entries = new Entry[reader.ReadArrayHeader()];
            for (var i = 0; i < entries.Length; i++) entries[i] = Entry.Read(ref reader);
            return new Snapshot(entries);
        }

        private async Task ServerBatch(int count)
        {
            var first = Interlocked.Add(ref _nextWrite, count) - count;
            var ops = Enumerable.Range(first, count).Select(i => $$$"""{"op":"add_node","node_id":"s{{{i}}}","node_type":"item","label":"s","properties":{"name":"s{{{i}}}"}}""");
            using var content = new StringContent("[" + string.Join(",", ops) + "]", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(Url("/batch"), content);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /batch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        /// <summary>A 1 s warm-up, then <see cref="LoadDuration"/> of 64 connections.</summary>
        private async Task<ConcurrentLoad.Result> Load(Func<int, HttpRequestMessage> request)
        {
            await ConcurrentLoad.Loop(http, Connections, TimeSpan.FromSeconds(1), request);
            return ConcurrentLoad.Result.Of([await ConcurrentLoad.Loop(http, Connections, LoadDuration, request)]);
        }

        /// <summary>Times <paramref name="count"/> calls one after another, after a tenth as many untimed.</summary>
        private static async Task<List<double>> Sequential(int count, Func<Task> call)
        {
            for (var i = 0; i < Math.Max(3, count / 10); i++) await call();
            var times = new List<double>(count);
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await call();
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return times;
        }

        private static string Ms(List<double> times)
        {
            times.Sort();
            var p50 = times[times.Count / 2];
            return p50 < 10 ? $"{p50:F2} ms" : $"{p50:F0} ms";
        }

        private void Set(int column, string row, string value)
        {
            Console.WriteLine($"   {row}: {value}");
            var index = _rows.FindIndex(r => r.Row == row);
            if (index < 0)
            {
                _rows.Add((row, []));
                index = _rows.Count - 1;
            }

            var cells = _rows[index].Cells;
            while (cells.Count <= column) cells.Add("");
            cells[column] = value;
        }

        public void Print()
        {
            Console.WriteLine();
            Console.WriteLine($"load average at the end: {Machine.LoadAverage()}");
            Console.WriteLine();
            Console.WriteLine($"| entries | {string.Join(" | ", _columns)} |");
            Console.WriteLine($"|---|{string.Concat(_columns.Select(_ => "---:|"))}");
            foreach (var (row, cells) in _rows)
            {
                Console.WriteLine($"| {row} | {string.Join(" | ", _columns.Select((_, i) => i < cells.Count ? cells[i] : ""))} |");
            }
        }

        public void Dispose() => _server?.Dispose();
    }
}
