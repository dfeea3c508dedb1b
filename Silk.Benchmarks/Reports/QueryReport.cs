using System.Diagnostics;
using System.Globalization;
using Silk.Benchmarks.Workloads;
using Silk.Core.Indexing;
using Silk.Core.Query;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// Issue 20 §4: queries with and without a (node type, property) index at 10,000 / 100,000 / 1,000,000 nodes of the
/// baseline's item type (n = i, an int; score = i / 2, a float). Each query runs as POST /query runs it (the store's
/// read lock, <see cref="QueryRunner"/>, node views for the answer), in process, so the figures are the engine's and
/// not the HTTP stack's. Reports p50/p99 of an equality lookup, a 1 %-selective range (first page of 100, sorted
/// by the indexed property, and the whole match set counted), the same queries by scan, the index build time and
/// managed memory per indexed node. The whole run is bounded: sizes that would start after <see cref="Budget"/> are
/// skipped and said so, and the watchdog of <see cref="RunBound"/> ends the process at its own, later bound.
/// </summary>
internal static class QueryReport
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(20);
    private static readonly int[] Sizes = [10_000, 100_000, 1_000_000];

    public static int Run(string[] args)
    {
        var sizes = Requested(args) is { Length: > 0 } given ? given : Sizes;
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"# query: indexed vs scanned queries over item nodes (bounded at {Budget.TotalMinutes:F0} min; {Environment.ProcessorCount} cores, {Environment.Version})");
        Console.WriteLine("| nodes | query | indexed p50 | indexed p99 | scan p50 | scan p99 | examined (index / scan) | answer |");
        Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        var builds = new List<string>();
        foreach (var size in sizes)
        {
            if (clock.Elapsed > Budget)
            {
                Console.WriteLine($"| {size:N0} | skipped: the run passed its {Budget.TotalMinutes:F0} min bound | | | | | | |");
                continue;
            }

            builds.Add(RunSize(size, clock));
        }

        Console.WriteLine();
        Console.WriteLine("| nodes | index build (background, from the graph) | managed memory per indexed node | write path |");
        Console.WriteLine("| ---: | ---: | ---: | ---: |");
        foreach (var line in builds) Console.WriteLine(line);
        Console.WriteLine($"total {clock.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    /// <summary>Sizes named on the command line after <c>query</c> (the watchdog's <c>--bound-minutes N</c> is not one).</summary>
    private static int[] Requested(string[] args)
    {
        var sizes = new List<int>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--bound-minutes") i++;
            else if (int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size >= 1_000) sizes.Add(size);
        }

        return [.. sizes];
    }

    private static string RunSize(int size, Stopwatch clock)
    {
        using var store = BaselineWorkloads.NewStore();
        var load = Stopwatch.StartNew();
        BaselineWorkloads.AddNodes(store, size);
        load.Stop();

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var build = Stopwatch.StartNew();
        store.DeclareIndex(new IndexDefinition("item_n", "item", "n"));
        if (!store.WaitForIndexes(TimeSpan.FromMinutes(5))) throw new InvalidOperationException("the index did not build within 5 minutes");
        build.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);

        var random = new Random(size);
        var width = size / 100;
        GraphQuery Equality() => Query(new FieldSelector(QueryField.Property("n"), new EqualsCondition((long)random.Next(size))));
        GraphQuery RangeFirstPage()
        {
            var from = random.Next(size - width);
            return Query(Range(from, width)) with { Sort = [new Silk.Core.Query.SortKey(QueryField.Property("n"))], Limit = 100 };
        }

        GraphQuery RangeAll() => Query(Range(random.Next(size - width), width));

        Report(store, size, "equality n = k", Equality, clock);
        Report(store, size, "1 % range, first page of 100 sorted by n", RangeFirstPage, clock);
        Report(store, size, "1 % range, all matches (in id order)", RangeAll, clock);

        var perNode = (after - before) / (double)size;
        return $"| {size:N0} | {build.Elapsed.TotalMilliseconds:F0} ms | {perNode:F0} bytes | {size:N0} add_node in {load.Elapsed.TotalSeconds:F1} s |";
    }

    private static Selector Range(int from, int width) => new FieldSelector(QueryField.Property("n"), new AllConditions(
        [new RangeCondition(RangeOperator.GreaterOrEqual, (long)from), new RangeCondition(RangeOperator.LessThan, (long)(from + width))]));

    private static GraphQuery Query(Selector where) => new(new NodesStart("item"), []) { Where = where };

    private static void Report(GraphStore store, int size, string name, Func<GraphQuery> next, Stopwatch clock)
    {
        // Indexed: enough runs for a p99; the scan baseline: fewer (a scan of 1,000,000 nodes takes about a second).
        var (indexed, indexedPlan, count) = Measure(store, next, runs: 2_000, warmup: 200, useIndexes: true, TimeSpan.FromSeconds(60));
        var scanRuns = size >= 1_000_000 ? 5 : size >= 100_000 ? 20 : 100;
        var (scanned, scanPlan, _) = clock.Elapsed < Budget
            ? Measure(store, next, runs: scanRuns, warmup: 1, useIndexes: false, TimeSpan.FromSeconds(90))
            : ([], null, 0);
        if (indexedPlan?.Strategy != QueryPlan.IndexStrategy) throw new InvalidOperationException($"{name}: expected the index to serve, got {indexedPlan?.Strategy}");
        Console.WriteLine(
            $"| {size:N0} | {name} | {Ms(Percentile(indexed, 0.50))} | {Ms(Percentile(indexed, 0.99))} | {Ms(Percentile(scanned, 0.50))} | {Ms(Percentile(scanned, 0.99))} | {indexedPlan.CandidatesExamined:N0} / {scanPlan?.CandidatesExamined:N0} | {count:N0} |");
    }

    private static (List<double> Times, QueryPlan? Plan, int Count) Measure(GraphStore store, Func<GraphQuery> next, int runs, int warmup, bool useIndexes, TimeSpan bound)
    {
        var times = new List<double>(runs);
        QueryPlan? plan = null;
        var count = 0;
        var started = Stopwatch.StartNew();
        for (var i = 0; i < warmup + runs && started.Elapsed < bound; i++)
        {
            var query = next() with { UseIndexes = useIndexes };
            var t = Stopwatch.GetTimestamp();
            var result = store.ReadGraph(g => QueryRunner.Run(g, query));
            var elapsed = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (i < warmup) continue;
            times.Add(elapsed);
            plan = result.Plan;
            count = result.Count;
        }

        return (times, plan, count);
    }

    private static double Percentile(List<double> times, double p)
    {
        if (times.Count == 0) return double.NaN;
        var sorted = times.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms < 1 ? $"{ms * 1000:F1} µs" : $"{ms:F1} ms";
}
