using Silk.Core.Log;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Tests.Store;

public class GraphStoreTailTests
{
    private static ValueMap Name(string name) => ValueMap.Of(("name", name));

    [Fact]
    public async Task A_waiting_tail_wakes_on_a_local_write_and_on_a_merge()
    {
        using var a = TestStores.Create("peer-a");
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot());
        using var tail = b.SubscribeFrom(b.CurrentCursor);
        var waiting = tail.NextBatchAsync(TimeSpan.FromSeconds(30), 100);
        Assert.False(waiting.IsCompleted);
        var local = b.AddNode("x", "person", "X", Name("x"));
        var batch = await waiting;
        Assert.Equal([local], batch.Entries.Select(e => e.Hash));

        waiting = tail.NextBatchAsync(TimeSpan.FromSeconds(30), 100);
        var remote = a.AddNode("y", "person", "Y", Name("y"));
        b.Merge(a.EntriesSince(null));
        batch = await waiting;
        Assert.Equal([remote], batch.Entries.Select(e => e.Hash));
        Assert.Equal(b.Heads, batch.Cursor);
    }

    [Fact]
    public async Task Concurrent_writers_and_merges_are_delivered_exactly_once_in_small_batches()
    {
        using var a = TestStores.Create("peer-a");
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot());
        using var tail = b.SubscribeFrom([]);
        var seen = new List<Hash>();
        var writers = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                b.AddNode($"b{i}", "person", "b", Name("b"));
                a.AddNode($"a{i}", "person", "a", Name("a"));
                if (i % 20 == 0) b.Merge(a.EntriesSince(null));
            }

            b.Merge(a.EntriesSince(null));
        });
        while (!writers.IsCompleted || seen.Count < b.EntryCount)
        {
            var batch = await tail.NextBatchAsync(TimeSpan.FromMilliseconds(200), maxCount: 7);
            seen.AddRange(batch.Entries.Select(e => e.Hash));
        }

        await writers;
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(b.EntriesSince(null).Select(e => e.Hash).ToHashSet(), seen.ToHashSet());
    }

    [Fact]
    public async Task Compaction_makes_old_cursors_stale()
    {
        using var store = TestStores.Create();
        store.AddNode("x", "person", "X", Name("x"));
        var cursor = store.CurrentCursor;
        store.Compact();
        using var tail = store.SubscribeFrom(cursor);
        await Assert.ThrowsAsync<TailCursorStaleException>(() => tail.NextBatchAsync(TimeSpan.Zero));
    }
}
