using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Silk.Benchmarks.Workloads;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// The W1-W10 workloads timed the way the original's harness times them (warm-up, then N timed runs, setup
/// not timed), with the same ids and output lines, so <c>tools/bench-vs-original.sh</c> can alternate the two in
/// one sitting. Each line adds the bytes allocated per run (the GC pauses that follow them are most of the spread).
///   dotnet run -c Release --project Silk.Benchmarks -- baseline [ID|group ...] [--runs N] [--json]
/// W1_indexed and W4_indexed (W1 and W4 with two indexes declared) are ours alone, run only when named.
/// </summary>
internal static class BaselineReport
{
    // The original is compiled ahead of time; ours needs a few runs before the JIT has tiered its hot code up.
    private const int WarmUps = 3;

    private sealed record Workload(string Id, Action? BeforeRun, Func<int> Run);

    public static int Run(string[] args)
    {
        var runs = 11;
        var runsAt = Array.IndexOf(args, "--runs");
        if (runsAt >= 0 && runsAt + 1 < args.Length) runs = int.Parse(args[runsAt + 1], CultureInfo.InvariantCulture);
        var json = args.Contains("--json");
        // args[i] precedes args[i + 1]: a value after --runs is not an id.
        var wanted = args.Skip(1).Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && args[i] != "--runs").ToList();
        var workloads = Workloads().Where(w => wanted.Count == 0 ? !w.Id.EndsWith("_indexed", StringComparison.Ordinal) : wanted.Any(id => InGroup(w.Id, id))).ToList();
        if (workloads.Count == 0)
        {
            Console.Error.WriteLine($"no workload matches {string.Join(' ', wanted)}; ids: {string.Join(' ', Workloads().Select(w => w.Id))}");
            return 2;
        }

        foreach (var workload in workloads) Report(workload, runs, json);
        return 0;
    }

    // As silk-bench: an id or its group (W3 is W3a and W3b, W6 every W6_…), never W1 for W10.
    private static bool InGroup(string id, string wanted) =>
        id == wanted || (id.StartsWith(wanted, StringComparison.Ordinal) && !char.IsDigit(id[wanted.Length]) && !id.EndsWith("_indexed", StringComparison.Ordinal));

    private static void Report(Workload workload, int runs, bool json)
    {
        var samples = new double[runs];
        long allocated = 0;
        for (var run = -WarmUps; run < runs; run++)
        {
            workload.BeforeRun?.Invoke();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            workload.Run();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (run < 0) continue;
            samples[run] = elapsed;
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var sorted = samples.Order().ToArray();
        var median = sorted[runs / 2];
        var perRun = allocated / runs;
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { id = workload.Id, runs, min_ms = sorted[0], median_ms = median, max_ms = sorted[^1], allocated_bytes = perRun, samples_ms = samples }));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workload.Id}\t{sorted[0]:F3}\t{median:F3}\t{sorted[^1]:F3}\t{perRun} B allocated"));
        }
    }

    private static IEnumerable<Workload> Workloads()
    {
        var graph = new Lazy<GraphWorkloads>(() => Setup(new GraphWorkloads(), g => g.Setup()));
        var sync = new Lazy<SyncWorkloads>(() => Setup(new SyncWorkloads(), s => s.Setup()));
        var indexed = new Lazy<IndexedWriteWorkloads>(() => Setup(new IndexedWriteWorkloads(), i => i.Setup()));
        var tail10k = new Lazy<TailWorkloads>(() => Setup(new TailWorkloads { Nodes = 10_000 }, t => t.Setup()));
        var tail100k = new Lazy<TailWorkloads>(() => Setup(new TailWorkloads { Nodes = 100_000 }, t => t.Setup()));
        yield return new("W1", null, () => graph.Value.W1());
        yield return new("W2", null, () => graph.Value.W2());
        yield return new("W3a", null, () => graph.Value.W3a());
        yield return new("W3b", null, () => graph.Value.W3b());
        yield return new("W4", null, () => graph.Value.W4());
        yield return new("W5", null, () => sync.Value.W5());
        yield return new("W6_missing_0", null, () => sync.Value.W6Missing0());
        yield return new("W6_receive_0", null, () => sync.Value.W6Receive0());
        yield return new("W6_missing_90", null, () => sync.Value.W6Missing90());
        yield return new("W6_receive_90", null, () => sync.Value.W6Receive90());
        yield return new("W7", () => sync.Value.FreshGenesisOnlyPeer(), () => sync.Value.W7Merge());
        yield return new("W8a", null, () => sync.Value.W8aSerialize());
        yield return new("W8b", null, () => sync.Value.W8bDeserialize());
        yield return new("W8c", null, () => sync.Value.W8cLoad());
        yield return new("W9_10k", null, () => tail10k.Value.W9());
        yield return new("W9_100k", null, () => tail100k.Value.W9());
        yield return new("W10_bfs", null, () => graph.Value.W10Bfs());
        yield return new("W10_path", null, () => graph.Value.W10ShortestPath());

        // Not the original's: W1 and W4 with two indexes declared (issue 20), to set beside W1 and W4.
        yield return new("W1_indexed", null, () => indexed.Value.W1());
        yield return new("W4_indexed", null, () => indexed.Value.W4());
    }

    private static T Setup<T>(T workloads, Action<T> setup)
    {
        setup(workloads);
        return workloads;
    }
}
