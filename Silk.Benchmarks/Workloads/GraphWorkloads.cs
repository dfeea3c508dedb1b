using BenchmarkDotNet.Attributes;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Store;

namespace Silk.Benchmarks.Workloads;

/// <summary>W1, W2, W3a, W3b, W4 and W10 of ../shared/BASELINE.md.</summary>
[MacroJob]
[MemoryDiagnoser]
public class GraphWorkloads
{
    private GraphStore _store10k = null!;
    private IReadOnlyList<Entry> _topological = null!;
    private GraphStore _store1k = null!;
    private GraphStore _store30k = null!;
    private int _w4Round;

    [GlobalSetup]
    public void Setup()
    {
        _store10k = BaselineWorkloads.Store10k();
        _topological = _store10k.EntriesSince(null);
        _store1k = BaselineWorkloads.NewStore();
        BaselineWorkloads.AddNodes(_store1k, 1_000);
        _store30k = BaselineWorkloads.Store10k();
        for (var k = 0; k < 30_000; k++)
        {
            var (source, target) = BaselineWorkloads.Edge30k(k);
            _store30k.AddEdge($"e{k}", "LINK", source, target);
        }
    }

    [Benchmark(Description = "W1 add_node x10,000")]
    public int W1()
    {
        using var store = BaselineWorkloads.NewStore();
        BaselineWorkloads.AddNodes(store, 10_000);
        return store.EntryCount;
    }

    [Benchmark(Description = "W2 add_node x10,000 + add_edge x20,000")]
    public int W2()
    {
        using var store = BaselineWorkloads.NewStore();
        BaselineWorkloads.AddNodes(store, 10_000);
        for (var k = 0; k < 20_000; k++)
        {
            var (source, target) = BaselineWorkloads.Edge20k(k);
            store.AddEdge($"e{k}", "LINK", source, target);
        }

        return store.EntryCount;
    }

    [Benchmark(Description = "W3a topological order + rebuild @10,001")]
    public int W3a()
    {
        var order = _store10k.EntriesSince(null);
        return MaterializedGraph.FromEntries(order, BaselineWorkloads.Ontology).NodeCount;
    }

    [Benchmark(Description = "W3b rebuild only @10,001")]
    public int W3b() => MaterializedGraph.FromEntries(_topological, BaselineWorkloads.Ontology).NodeCount;

    [Benchmark(Description = "W4 update_property x100,000 over 1,000 nodes")]
    public int W4()
    {
        // Each iteration continues on the same store, as the baseline's timed loop does after its setup.
        var offset = _w4Round++ * 100_000;
        for (var i = 0; i < 100_000; i++)
        {
            _store1k.UpdateProperty($"n{i % 1000}", "n", (long)(offset + i));
        }

        return _store1k.EntryCount;
    }

    [Benchmark(Description = "W10 bfs n0, 10k nodes / 30k edges")]
    public int W10Bfs() => _store30k.ReadGraph(g => g.Bfs("n0").Count);

    [Benchmark(Description = "W10 shortest_path n0->n5000")]
    public int W10ShortestPath() => _store30k.ReadGraph(g => g.ShortestPath("n0", "n5000")!.Count);
}
