using System.Diagnostics;

namespace Silk.Benchmarks.Reports;

/// <summary>A fixed number of HTTP request loops, one request in flight on each, for a fixed time: requests/s and latency percentiles.</summary>
internal static class ConcurrentLoad
{
    /// <summary>One timed run: every request's latency (Stopwatch ticks), the non-2xx count and its length.</summary>
    public sealed record Round(long[] LatencyTicks, long Failures, double Seconds);

    /// <summary>Several rounds taken together.</summary>
    public sealed record Result(long Requests, long Failures, double Seconds, double P50Ms, double P99Ms)
    {
        public double PerSecond => Requests / Seconds;

        public static Result Of(IReadOnlyCollection<Round> rounds)
        {
            var all = rounds.SelectMany(r => r.LatencyTicks).Order().ToArray();
            double Ms(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1000.0 / Stopwatch.Frequency;
            return new Result(all.Length, rounds.Sum(r => r.Failures), rounds.Sum(r => r.Seconds), Ms(0.50), Ms(0.99));
        }
    }

    /// <summary><paramref name="connections"/> loops, one request in flight each, for <paramref name="duration"/>.</summary>
    public static async Task<Round> Loop(HttpClient http, int connections, TimeSpan duration, Func<int, HttpRequestMessage> request)
    {
        var latencies = new List<long>[connections];
        var failures = 0L;
        var stopwatch = Stopwatch.StartNew();
        var end = duration.Ticks;
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
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
}
