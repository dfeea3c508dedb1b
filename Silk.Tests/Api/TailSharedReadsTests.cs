using Silk.Api.Tail;
using Silk.Core.Log;
using Silk.Core.Tail;
using Silk.Core.Wire;
using Silk.Tests.Store;

namespace Silk.Tests.Api;

/// <summary>The tail reads shared between the server's streams: one log read per ring and cursor, never a missed ring.</summary>
public sealed class TailSharedReadsTests
{
    private static ValueMap Name(string name) => ValueMap.Of(("name", name));

    [Fact]
    public void Same_cursor_between_rings_gets_the_same_read_and_a_ring_makes_a_new_one()
    {
        using var store = TestStores.Create();
        var reads = new SharedTailReads(store);
        var cursor = store.CurrentCursor;
        var first = reads.Read(cursor, 100);
        Assert.Same(first, reads.Read(cursor.ToArray(), 100));
        Assert.NotSame(first, reads.Read(cursor, 99));
        Assert.Empty(first.Entries);

        var hash = store.AddNode("a", "person", "A", Name("a"));
        var after = reads.Read(cursor, 100);
        Assert.NotSame(first, after);
        Assert.Equal([hash], after.Entries.Select(e => e.Hash));
    }

    [Fact]
    public void Stale_cursors_throw_every_time()
    {
        using var store = TestStores.Create();
        var reads = new SharedTailReads(store);
        var unknown = new Hash(1, 2, 3, 4);
        Assert.Throws<TailCursorStaleException>(() => reads.Read([unknown], 10));
        Assert.Throws<TailCursorStaleException>(() => reads.Read([unknown], 10));
    }

    [Fact]
    public async Task Many_subscriptions_on_shared_reads_each_get_every_entry_once_under_concurrent_writes()
    {
        using var store = TestStores.Create();
        var reads = new SharedTailReads(store);
        var start = store.CurrentCursor;
        const int Subscribers = 20, Writes = 300;
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var consumers = Enumerable.Range(0, Subscribers).Select(i => Task.Run(async () =>
        {
            using var subscription = new TailSubscription(reads, start);
            var seen = new List<Hash>();
            while (seen.Count < Writes)
            {
                var batch = await subscription.NextBatchAsync(TimeSpan.FromSeconds(5), 1 + i % 7, done.Token);
                seen.AddRange(batch.Entries.Select(e => e.Hash));
            }

            return seen;
        })).ToList();

        var written = new List<Hash>();
        for (var i = 0; i < Writes; i++)
        {
            written.Add(store.AddNode($"n{i}", "person", "n", Name("n")));
            if (i % 50 == 0) await Task.Yield();
        }

        foreach (var seen in await Task.WhenAll(consumers)) Assert.Equal(written, seen);
    }
}
