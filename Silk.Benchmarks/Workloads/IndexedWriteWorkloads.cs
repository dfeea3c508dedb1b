using BenchmarkDotNet.Attributes;
using Silk.Core.Indexing;
using Silk.Core.Store;

namespace Silk.Benchmarks.Workloads;

/// <summary>
/// W1 and W4 of ../shared/BASELINE.md with two indexes declared on the item type (n, which W4 updates, and score),
/// to set beside <see cref="GraphWorkloads"/>' W1 and W4 (issue 20 §4: no more than 10 % slower).
/// </summary>
[MacroJob]
[MemoryDiagnoser]
public class IndexedWriteWorkloads
{
    private GraphStore _store1k = null!;
    private int _w4Round;

    [GlobalSetup]
    public void Setup()
    {
        _store1k = WithIndexes(BaselineWorkloads.NewStore());
        BaselineWorkloads.AddNodes(_store1k, 1_000);
    }

    [Benchmark(Description = "W1 add_node x10,000, two indexes")]
    public int W1()
    {
        using var store = WithIndexes(BaselineWorkloads.NewStore());
        BaselineWorkloads.AddNodes(store, 10_000);
        return store.EntryCount;
    }

    [Benchmark(Description = "W4 update_property x100,000 over 1,000 nodes, two indexes")]
    public int W4()
    {
        var offset = _w4Round++ * 100_000;
        for (var i = 0; i < 100_000; i++)
        {
            _store1k.UpdateProperty($"n{i % 1000}", "n", (long)(offset + i));
        }

        return _store1k.EntryCount;
    }

    private static GraphStore WithIndexes(GraphStore store)
    {
        store.DeclareIndex(new IndexDefinition("item_n", "item", "n"));
        store.DeclareIndex(new IndexDefinition("item_score", "item", "score"));
        if (!store.WaitForIndexes(TimeSpan.FromSeconds(30))) throw new InvalidOperationException("indexes did not build");
        return store;
    }
}
