using BenchmarkDotNet.Attributes;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Benchmarks.Workloads;

/// <summary>
/// W9 of ../shared/BASELINE.md: one tail poll by a consumer one entry behind (cursor = the head's
/// parent) on a 10,001- and a 100,001-entry log. The original walks the whole log (5.3 ms / 97 ms).
/// </summary>
[MemoryDiagnoser]
public class TailWorkloads
{
    private GraphStore _store = null!;
    private Hash[] _cursor = null!;

    [Params(10_000, 100_000)]
    public int Nodes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = BaselineWorkloads.NewStore();
        BaselineWorkloads.AddNodes(_store, Nodes);
        _cursor = [.. _store.GetEntry(_store.Heads[0])!.Next];
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Description = "W9 tail poll, 1 behind")]
    public int W9() => _store.Read(_cursor, 1000).Entries.Count;
}
