using System.Diagnostics;
using Silk.Benchmarks.Workloads;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// The baseline's RSS figure: VmHWM of a fresh process before and after building a store with
/// 100,000 nodes through the local write path (the original: 2.6 MB → 362 MB). `rss --hold` keeps the process
/// (and the store) alive for a heap dump (dotnet-gcdump).
/// </summary>
internal static class MemoryReport
{
    public static int Run(string[] args)
    {
        var before = PeakKb();
        using var store = BaselineWorkloads.NewStore();
        var stopwatch = Stopwatch.StartNew();
        BaselineWorkloads.AddNodes(store, 100_000);
        stopwatch.Stop();
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        GC.Collect();
        var after = PeakKb();
        var live = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"entries {store.EntryCount}, nodes {store.NodeCount}, build {stopwatch.ElapsedMilliseconds} ms");
        Console.WriteLine($"VmHWM before {before / 1024.0:F1} MB, after {after / 1024.0:F1} MB; managed heap after full GC {live / 1048576.0:F1} MB");
        Console.WriteLine($"per node (VmHWM delta / 100,000): {(after - before) * 1024.0 / 100_000:F0} bytes; managed live per node: {live / 100_000.0:F0} bytes");
        // Where the peak goes beyond the live heap: the GC's own headroom (committed, fragmented) at its last collection.
        Console.WriteLine($"GC at the last collection during the build: heap {gc.HeapSizeBytes / 1048576.0:F1} MB, committed {gc.TotalCommittedBytes / 1048576.0:F1} MB, fragmented {gc.FragmentedBytes / 1048576.0:F1} MB; generations (after, MB) {string.Join(" / ", gc.GenerationInfo.ToArray().Select(g => (g.SizeAfterBytes / 1048576.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}");
        if (args.Contains("--hold"))
        {
            // Keeps the store alive for `dotnet-gcdump collect -p PID` (what the bytes per node are made of).
            Console.WriteLine($"holding process {Environment.ProcessId}; press Enter to end");
            Console.ReadLine();
            GC.KeepAlive(store);
        }

        return 0;
    }

    private static long PeakKb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
