using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Silk.Api.Hosting;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// HTTP load (issue 6): the real server (<see cref="SilkApp"/>, Kestrel on 127.0.0.1, a random port, a
/// fresh LiteDB store with durability fsync) and a C# load generator in this process, 64 connections
/// (64 concurrent HTTP/1.1 requests), each workload warmed up and then measured for a fixed time:
/// GET /healthz (a bare minimal-API endpoint returning a constant), GET /nodes/{id} over 10,000 nodes,
/// and durable POST /nodes (each answered only once its entry is fsynced). Server and load generator
/// share the machine's cores, as with wrk on the same host.
///   dotnet run -c Release --project Silk.Benchmarks -- http-load [seconds per workload, default 10] [fsync|process]
/// </summary>
internal static class HttpLoadReport
{
    private const int Connections = 64;
    private const int Nodes = 10_000;

    private const string Ontology = """{"node_types":{"entity":{"properties":{"name":{"value_type":"string","required":true}}}},"edge_types":{}}""";

    public static async Task<int> Run(string[] args)
    {
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var durability = args.Length > 2 ? args[2] : "fsync";
        var folder = Path.Combine(Path.GetTempPath(), "silk-http-load-" + Guid.NewGuid().ToString("N")[..8]);
        var app = SilkApp.Build([
            "--urls", "http://127.0.0.1:0",
            "--Silk:DataPath", folder,
            "--Silk:Durability", durability,
            "--Silk:Ontology", Ontology,
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync();
        try
        {
            var baseUri = new Uri(app.Urls.First());
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
            using var http = new HttpClient(handler) { BaseAddress = baseUri, DefaultRequestVersion = HttpVersion.Version11 };
            await Populate(http);
            await Task.Delay(Settle);

            var random = 0;
            var next = 0;
            var workloads = new (string Name, Func<int, HttpRequestMessage> Request)[]
            {
                ("GET /healthz (bare endpoint)", _ => new HttpRequestMessage(HttpMethod.Get, "/healthz")),
                ("GET /nodes/{id}", _ => new HttpRequestMessage(HttpMethod.Get, $"/nodes/n{(uint)Interlocked.Increment(ref random) * 2654435761u % Nodes:D5}")),
                ($"POST /nodes (durable, {durability})", _ =>
                {
                    var id = Interlocked.Increment(ref next);
                    return new HttpRequestMessage(HttpMethod.Post, "/nodes")
                    {
                        Content = new StringContent($$$"""{"node_id":"w{{{id}}}","node_type":"entity","label":"w","properties":{"name":"w{{{id}}}"}}""", Encoding.UTF8, "application/json"),
                    };
                }),
            };

            // Warm-up, then the workloads interleaved in rounds, so that a change in the machine's load
            // (it is shared) hits all of them alike instead of skewing their ratio.
            foreach (var (_, request) in workloads) await Loop(http, TimeSpan.FromSeconds(2), request);
            await Task.Delay(Settle);
            var load = LoadAverage();
            var rounds = Enumerable.Range(0, workloads.Length).Select(_ => new List<Round>()).ToArray();
            using var commits = new CommitBatchListener();
            for (var round = 0; round < Rounds; round++)
            {
                for (var w = 0; w < workloads.Length; w++)
                {
                    GC.Collect();
                    commits.Listening = w == workloads.Length - 1;
                    rounds[w].Add(await Loop(http, TimeSpan.FromSeconds(seconds / (double)Rounds), workloads[w].Request));
                    commits.Listening = false;

                    // Writes leave the store's background LiteDB writer busy for a while; let it finish
                    // rather than bill its CPU to the next workload.
                    if (w == workloads.Length - 1) await Task.Delay(Settle);
                }
            }

            var results = workloads.Select((w, i) => (w.Name, Result.Of(rounds[i]))).ToList();
            Console.WriteLine($"load average before: {load}; after: {LoadAverage()}");
            Report(results, seconds);
            Console.WriteLine(commits.Summary());
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task Populate(HttpClient http)
    {
        for (var start = 0; start < Nodes; start += 2000)
        {
            var lines = Enumerable.Range(start, 2000).Select(i => $$$"""{"op":"add_node","node_id":"n{{{i:D5}}}","node_type":"entity","label":"node {{{i}}}","properties":{"name":"n{{{i}}}","rank":{{{i}}},"score":{{{i}}}.5,"tags":["a","b"]}}""");
            using var content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson");
            using var response = await http.PostAsync(new Uri("/batch", UriKind.Relative), content);
            response.EnsureSuccessStatusCode();
        }
    }

    private const int Rounds = 5;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private sealed record Round(long[] LatencyTicks, long Failures, double Seconds);

    private sealed record Result(long Requests, long Failures, double Seconds, double P50Ms, double P99Ms)
    {
        public double PerSecond => Requests / Seconds;

        public static Result Of(List<Round> rounds)
        {
            var all = rounds.SelectMany(r => r.LatencyTicks).Order().ToArray();
            double Ms(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1000.0 / Stopwatch.Frequency;
            return new Result(all.Length, rounds.Sum(r => r.Failures), rounds.Sum(r => r.Seconds), Ms(0.50), Ms(0.99));
        }
    }

    /// <summary>64 loops, one request in flight each, for <paramref name="duration"/>.</summary>
    private static async Task<Round> Loop(HttpClient http, TimeSpan duration, Func<int, HttpRequestMessage> request)
    {
        var latencies = new List<long>[Connections];
        var failures = 0L;
        var stopwatch = Stopwatch.StartNew();
        var end = duration.Ticks;
        var workers = Enumerable.Range(0, Connections).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(1 << 14);
            while (stopwatch.Elapsed.Ticks < end)
            {
                var started = Stopwatch.GetTimestamp();
                using var message = request(w);
                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
                mine.Add(Stopwatch.GetTimestamp() - started);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return new Round([.. latencies.SelectMany(l => l)], failures, stopwatch.Elapsed.TotalSeconds);
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static void Report(List<(string Name, Result Result)> results, int seconds)
    {
        var bare = results[0].Result.PerSecond;
        var get = results[1].Result.PerSecond;
        var post = results[2].Result.PerSecond;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {Connections} connections, {seconds} s per workload in {Rounds} interleaved rounds (after a 2 s warm-up each), server and load generator in one process:");
        text.AppendLine();
        text.AppendLine("| workload | requests/s | p50 ms | p99 ms | requests | non-2xx |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, r) in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {r.PerSecond:N0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.Requests:N0} | {r.Failures:N0} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"GET /nodes/{{id}} = {get / bare:P0} of the bare endpoint (target ≥ 50 %: {(get >= bare / 2 ? "met" : "missed")}); durable POST /nodes {post:N0}/s (target ≥ 10,000/s: {(post >= 10_000 ? "met" : "missed")}).");
        Console.WriteLine(text.ToString());
    }

    /// <summary>The entries each durable group commit took during the POST rounds (silk.commit.batch_size).</summary>
    private sealed class CommitBatchListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<int> _batches = [];

        public CommitBatchListener()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "silk.commit.batch_size") listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<int>((_, entries, _, _) =>
            {
                if (!Listening) return;
                lock (_batches) _batches.Add(entries);
            });
            _listener.Start();
        }

        public volatile bool Listening;

        public string Summary()
        {
            lock (_batches)
            {
                if (_batches.Count == 0) return "group commits during POST: none recorded";
                var sorted = _batches.Order().ToArray();
                return string.Create(CultureInfo.InvariantCulture,
                    $"group commits during POST: {sorted.Length:N0} commits of {sorted.Sum():N0} entries; entries per commit mean {sorted.Average():F1}, p50 {sorted[sorted.Length / 2]}, p90 {sorted[(int)(sorted.Length * 0.9)]}, max {sorted[^1]}");
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
