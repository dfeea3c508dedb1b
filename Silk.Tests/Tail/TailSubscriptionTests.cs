using Silk.Core.Entries;
using Silk.Core.Log;
using Silk.Core.Tail;
using Silk.Core.Wire;
using static Silk.Tests.Tail.TailDag;

namespace Silk.Tests.Tail;

public class TailSubscriptionTests
{
    /// <summary>Generous bound for "this completes", for a loaded 2-core box; never a performance assertion.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Long enough that a wait only ends through a ring or a close within the test.</summary>
    private static readonly TimeSpan Forever = TimeSpan.FromMinutes(10);

    /// <summary>A minimal store: the log under a lock, a durable watermark, and the bell rung after durability.</summary>
    private sealed class Store
    {
        private readonly Lock _gate = new();
        private long _durable;

        public Store(Entry root)
        {
            Log = new OpLog(root);
            _durable = Log.LastSequence;
            Source = new LogTailSource(Log, Bell, () => _durable, _gate);
        }

        public OpLog Log { get; }

        public Bell Bell { get; } = new();

        public LogTailSource Source { get; }

        /// <summary>Appends without acknowledging (not yet durable), no ring.</summary>
        public void AppendPending(params Entry[] entries)
        {
            lock (_gate)
            {
                foreach (var e in entries) Log.Append(e);
            }
        }

        /// <summary>Makes everything appended durable and rings.</summary>
        public void Acknowledge()
        {
            lock (_gate)
            {
                _durable = Log.LastSequence;
            }

            Bell.Ring();
        }

        public void Append(params Entry[] entries)
        {
            AppendPending(entries);
            Acknowledge();
        }

        public IReadOnlyList<Hash> DurableHeads()
        {
            lock (_gate)
            {
                return Log.FrontierThrough(_durable);
            }
        }
    }

    private static List<Entry> Chain(Entry from, int count, string author = "a")
    {
        var list = new List<Entry>();
        var previous = from;
        for (var i = 0; i < count; i++)
        {
            previous = Node($"{author}{i}", author, (ulong)(10 + i), previous);
            list.Add(previous);
        }

        return list;
    }

    [Fact]
    public async Task Replays_from_the_beginning_in_batches_and_advances_the_cursor()
    {
        var g = Genesis();
        var store = new Store(g);
        var chain = Chain(g, 7);
        store.Append([.. chain]);
        await using var sub = new TailSubscription(store.Source, []);
        Assert.Empty(sub.Cursor);

        var delivered = new List<Hash>();
        TailBatch batch;
        do
        {
            batch = await sub.NextBatchAsync(TimeSpan.Zero, 3);
            Assert.True(batch.Entries.Count <= 3);
            delivered.AddRange(batch.Entries.Select(e => e.Hash));
            Assert.Equal(batch.Cursor, sub.Cursor);
        }
        while (!batch.UpToDate);

        Assert.Equal(new[] { g }.Concat(chain).Select(e => e.Hash), delivered);
        Assert.Equal(store.Log.Heads, sub.Cursor);
        var empty = await sub.NextBatchAsync(TimeSpan.Zero);
        Assert.Empty(empty.Entries);
        Assert.True(empty.UpToDate);
    }

    [Fact]
    public async Task Zero_timeout_returns_an_empty_batch_at_once()
    {
        var g = Genesis();
        var store = new Store(g);
        using var sub = new TailSubscription(store.Source, store.Log.Heads);
        var task = sub.NextBatchAsync(TimeSpan.Zero);
        Assert.True(task.IsCompletedSuccessfully);
        var batch = await task;
        Assert.Empty(batch.Entries);
        Assert.True(batch.UpToDate);
    }

    [Fact]
    public async Task Short_timeout_returns_an_empty_batch()
    {
        var store = new Store(Genesis());
        using var sub = new TailSubscription(store.Source, store.Log.Heads);
        var batch = await sub.NextBatchAsync(TimeSpan.FromMilliseconds(30)).WaitAsync(Patience);
        Assert.Empty(batch.Entries);
        Assert.Equal(store.Log.Heads, batch.Cursor);
    }

    [Fact]
    public async Task A_waiting_batch_returns_the_entry_appended_and_rung_meanwhile()
    {
        var g = Genesis();
        var store = new Store(g);
        using var sub = new TailSubscription(store.Source, store.Log.Heads);
        var pending = sub.NextBatchAsync(Forever);
        Assert.False(pending.IsCompleted);

        var x = Node("x", "a", 2, g);
        store.Append(x);
        var batch = await pending.WaitAsync(Patience);
        Assert.Equal([x.Hash], batch.Entries.Select(e => e.Hash));
        Assert.Equal([x.Hash], sub.Cursor);
        Assert.True(batch.UpToDate);
    }

    [Fact]
    public async Task Unacknowledged_entries_stay_hidden_until_the_watermark_moves()
    {
        var g = Genesis();
        var store = new Store(g);
        using var sub = new TailSubscription(store.Source, store.DurableHeads());
        var x = Node("x", "a", 2, g);
        store.AppendPending(x);
        Assert.Empty((await sub.NextBatchAsync(TimeSpan.Zero)).Entries);
        Assert.Equal([g.Hash], store.DurableHeads());

        // A ring for something this read cannot see yet wakes the wait; the one re-read finds nothing.
        var pending = sub.NextBatchAsync(Forever);
        store.Bell.Ring();
        Assert.Empty((await pending.WaitAsync(Patience)).Entries);
        Assert.Equal([g.Hash], sub.Cursor);

        pending = sub.NextBatchAsync(Forever);
        store.Acknowledge();
        Assert.Equal([x.Hash], (await pending.WaitAsync(Patience)).Entries.Select(e => e.Hash));
    }

    [Fact]
    public async Task Close_wakes_a_waiting_batch_which_returns_empty_and_later_batches_are_empty()
    {
        var g = Genesis();
        var store = new Store(g);
        var sub = new TailSubscription(store.Source, store.Log.Heads);
        var pending = sub.NextBatchAsync(Forever);
        Assert.False(pending.IsCompleted);
        sub.Close();
        var batch = await pending.WaitAsync(Patience);
        Assert.Empty(batch.Entries);
        Assert.True(sub.IsClosed);

        sub.Close();
        await sub.DisposeAsync();
        store.Append(Node("x", "a", 2, g));
        var after = sub.NextBatchAsync(Forever);
        Assert.True(after.IsCompletedSuccessfully);
        Assert.Empty((await after).Entries);
        Assert.Equal([g.Hash], sub.Cursor);
    }

    [Fact]
    public async Task Close_from_many_threads_is_safe()
    {
        var store = new Store(Genesis());
        var sub = new TailSubscription(store.Source, store.Log.Heads);
        var pending = sub.NextBatchAsync(Forever);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(sub.Close))).WaitAsync(Patience);
        Assert.Empty((await pending.WaitAsync(Patience)).Entries);
    }

    [Fact]
    public async Task Close_of_one_subscription_does_not_wake_another()
    {
        var g = Genesis();
        var store = new Store(g);
        using var first = new TailSubscription(store.Source, store.Log.Heads);
        using var second = new TailSubscription(store.Source, store.Log.Heads);
        var waitingFirst = first.NextBatchAsync(Forever);
        var waitingSecond = second.NextBatchAsync(Forever);
        second.Close();
        Assert.Empty((await waitingSecond.WaitAsync(Patience)).Entries);
        Assert.False(waitingFirst.IsCompleted);
        var x = Node("x", "a", 2, g);
        store.Append(x);
        Assert.Equal([x.Hash], (await waitingFirst.WaitAsync(Patience)).Entries.Select(e => e.Hash));
    }

    [Fact]
    public async Task Concurrent_batches_on_one_subscription_are_refused()
    {
        var g = Genesis();
        var store = new Store(g);
        using var sub = new TailSubscription(store.Source, store.Log.Heads);
        var pending = sub.NextBatchAsync(Forever);
        await Assert.ThrowsAsync<InvalidOperationException>(() => sub.NextBatchAsync(TimeSpan.Zero));
        store.Append(Node("x", "a", 2, g));
        Assert.Single((await pending.WaitAsync(Patience)).Entries);
        // The refusal did not wedge the subscription.
        Assert.Empty((await sub.NextBatchAsync(TimeSpan.Zero)).Entries);
    }

    [Fact]
    public async Task Cancellation_throws_and_leaves_the_subscription_usable()
    {
        var g = Genesis();
        var store = new Store(g);
        using var sub = new TailSubscription(store.Source, store.Log.Heads);
        using var cts = new CancellationTokenSource();
        var pending = sub.NextBatchAsync(Forever, ct: cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Patience));
        Assert.False(sub.IsClosed);
        var x = Node("x", "a", 2, g);
        store.Append(x);
        Assert.Equal([x.Hash], (await sub.NextBatchAsync(TimeSpan.Zero)).Entries.Select(e => e.Hash));
    }

    [Fact]
    public async Task Stale_cursor_fails_the_batch()
    {
        var g = Genesis();
        var store = new Store(g);
        var unknown = Node("gone", "a", 2, g).Hash;
        using var sub = new TailSubscription(store.Source, [unknown]);
        var ex = await Assert.ThrowsAsync<TailCursorStaleException>(() => sub.NextBatchAsync(TimeSpan.Zero));
        Assert.Contains(unknown.ToHex(), ex.Message, StringComparison.Ordinal);
        Assert.Equal([unknown], sub.Cursor);
    }

    [Fact]
    public async Task Arguments_are_checked()
    {
        var store = new Store(Genesis());
        using var sub = new TailSubscription(store.Source, []);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sub.NextBatchAsync(TimeSpan.Zero, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sub.NextBatchAsync(TimeSpan.FromSeconds(-2)));
    }

    [Fact]
    public async Task Source_over_a_reader_writer_lock_reads_under_the_read_lock()
    {
        var g = Genesis();
        var log = new OpLog(g);
        using var gate = new ReaderWriterLockSlim();
        var bell = new Bell();
        var source = new LogTailSource(log, bell, () => log.LastSequence, gate);
        using var sub = new TailSubscription(source, []);
        Assert.Equal([g.Hash], (await sub.NextBatchAsync(TimeSpan.Zero)).Entries.Select(e => e.Hash));
        Assert.Same(bell, source.Bell);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    public async Task A_live_consumer_receives_every_entry_of_a_concurrent_writer_exactly_once(int seed)
    {
        var rng = new Random(seed);
        var g = Genesis();
        var store = new Store(g);
        var order = CausalShuffle(rng, Random(rng, g, 300), new HashSet<Hash> { g.Hash });
        var consumerRng = new Random(seed + 1000);
        await using var sub = new TailSubscription(store.Source, []);

        var writer = Task.Run(async () =>
        {
            var i = 0;
            while (i < order.Count)
            {
                var n = Math.Min(rng.Next(1, 10), order.Count - i);
                store.AppendPending([.. order.Skip(i).Take(n)]);
                i += n;
                if (rng.Next(3) > 0) store.Acknowledge();
                if (rng.Next(4) == 0) await Task.Yield();
            }

            store.Acknowledge();
        });

        var delivered = new Dictionary<Hash, Entry>();
        var consumer = Task.Run(async () =>
        {
            while (delivered.Count < order.Count + 1)
            {
                var batch = await sub.NextBatchAsync(TimeSpan.FromSeconds(5), consumerRng.Next(1, 20));
                foreach (var e in batch.Entries)
                {
                    Assert.True(e.Next.All(delivered.ContainsKey), "a parent comes before its child");
                    Assert.True(delivered.TryAdd(e.Hash, e), "delivered twice");
                }

                // The cursor is always the frontier of exactly what was delivered (parents are delivered first).
                var seen = delivered.Keys.ToHashSet();
                Assert.Equal(FrontierOfClosedSet(seen, h => delivered[h]).Order(), batch.Cursor);
            }
        });

        await Task.WhenAll(writer, consumer).WaitAsync(Patience);
        Assert.Equal(store.Log.InArrivalOrder.Select(e => e.Hash).Order(), delivered.Keys.Order());
        Assert.Equal(store.Log.Heads, sub.Cursor);
    }
}
