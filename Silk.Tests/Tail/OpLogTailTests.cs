using Silk.Core.Entries;
using Silk.Core.Log;
using Silk.Core.Wire;
using static Silk.Tests.Tail.TailDag;

namespace Silk.Tests.Tail;

public class OpLogTailTests
{
    /// <summary>
    /// Checks one read against the reference: entries in sequence order, visible, never delivered before; the new
    /// cursor is exactly the frontier of everything known so far, which is ancestor-closed.
    /// </summary>
    private static void CheckRead(OpLog log, TailRead read, HashSet<Hash> known, long watermark, int maxCount)
    {
        Assert.True(read.Entries.Count <= maxCount);
        long previous = long.MinValue;
        foreach (var entry in read.Entries)
        {
            var sequence = log.SequenceOf(entry.Hash);
            Assert.True(sequence > previous, "entries come in arrival order");
            Assert.True(sequence <= watermark, "an entry above the watermark was delivered");
            previous = sequence;
            Assert.True(known.Add(entry.Hash), $"delivered twice: {entry.Hash.ToHex()}");
        }

        var get = Getter(log);
        Assert.Equal(known.OrderBy(h => h), Closure(read.Cursor, get).OrderBy(h => h));
        Assert.Equal(FrontierOfClosedSet(known, get).Order(), read.Cursor);
        Assert.Equal(read.Cursor.Order(), read.Cursor);
        var undeliveredVisible = log.InArrivalOrder.Any(e => !known.Contains(e.Hash) && log.SequenceOf(e.Hash) <= watermark);
        Assert.Equal(!undeliveredVisible, read.UpToDate);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Polls_interleaved_with_appends_deliver_every_entry_exactly_once_through_the_fast_path(int seed)
    {
        var rng = new Random(seed);
        var genesis = Genesis();
        var dag = Random(rng, genesis, 150, authors: 2 + (seed % 4));
        var order = CausalShuffle(rng, dag, new HashSet<Hash> { genesis.Hash });
        var log = new OpLog(genesis);
        var watermark = log.LastSequence;
        IReadOnlyList<Hash> cursor = [];
        var known = new HashSet<Hash>();
        var appended = 0;
        var polls = 0;
        while (true)
        {
            switch (rng.Next(3))
            {
                case 0 when appended < order.Count:
                    for (var k = rng.Next(1, 6); k > 0 && appended < order.Count; k--) log.Append(order[appended++]);
                    break;
                case 1:
                    watermark = rng.NextInt64(watermark, log.LastSequence + 1);
                    break;
                default:
                    var maxCount = rng.Next(1, 8);
                    var read = log.ReadAfter(cursor, maxCount, watermark);
                    Assert.True(read.UsedFastPath, "a cursor returned from a prefix read must take the fast path");
                    CheckRead(log, read, known, watermark, maxCount);
                    cursor = read.Cursor;
                    polls++;
                    break;
            }

            if (appended == order.Count && watermark == log.LastSequence && known.Count == log.Count) break;
        }

        Assert.Equal(log.InArrivalOrder.Select(e => e.Hash).Order(), known.Order());
        Assert.Equal(log.Heads, cursor);
        Assert.True(polls > 10);
        var last = log.ReadAfter(cursor, 5, watermark);
        Assert.Empty(last.Entries);
        Assert.True(last.UpToDate);
        Assert.True(last.UsedFastPath);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    public void Any_cursor_delivers_the_complement_of_its_past_exactly_once(int seed)
    {
        var rng = new Random(seed);
        var genesis = Genesis();
        var dag = Random(rng, genesis, 120);
        var log = new OpLog(genesis);
        var headsAfter = new List<HashSet<Hash>> { log.Heads.ToHashSet() };
        foreach (var entry in CausalShuffle(rng, dag, new HashSet<Hash> { genesis.Hash }))
        {
            log.Append(entry);
            headsAfter.Add(log.Heads.ToHashSet());
        }

        var all = log.InArrivalOrder.ToList();
        var get = Getter(log);
        var fastSeen = 0;
        for (var trial = 0; trial < 25; trial++)
        {
            // Random cursors: arbitrary hashes (possibly one an ancestor of another, possibly repeated), or a
            // prefix frontier.
            IReadOnlyList<Hash> cursor = trial % 5 == 0
                ? headsAfter[rng.Next(headsAfter.Count)].ToArray()
                : Enumerable.Range(0, rng.Next(1, 5)).Select(_ => all[rng.Next(all.Count)].Hash).ToArray();
            var known = Closure(cursor, get);
            var expected = all.Select(e => e.Hash).Where(h => !known.Contains(h)).ToHashSet();
            var watermark = log.LastSequence;
            var delivered = new HashSet<Hash>();
            var first = true;
            while (true)
            {
                var set = cursor.ToHashSet();
                var isPrefixFrontier = set.Count == 0
                    || set.SetEquals(headsAfter[(int)set.Max(log.SequenceOf)]);
                var maxCount = rng.Next(1, 30);
                var read = log.ReadAfter(cursor, maxCount, watermark);
                Assert.Equal(isPrefixFrontier, read.UsedFastPath);
                if (first && read.UsedFastPath) fastSeen++;
                first = false;
                foreach (var e in read.Entries) delivered.Add(e.Hash);
                CheckRead(log, read, known, watermark, maxCount);
                cursor = read.Cursor;
                if (read.UpToDate) break;
            }

            Assert.Equal(expected.Order(), delivered.Order());
            Assert.Equal(log.Heads, cursor);
        }

        Assert.True(fastSeen >= 5);
    }

    [Fact]
    public void Cursor_from_the_middle_of_two_branches_takes_the_general_path_and_delivers_exactly_once()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var a = new List<Entry>();
        var b = new List<Entry>();
        for (var i = 0; i < 6; i++)
        {
            a.Add(Node($"a{i}", "alice", (ulong)(10 + i), i == 0 ? g : a[i - 1]));
            b.Add(Node($"b{i}", "bob", (ulong)(10 + i), i == 0 ? g : b[i - 1]));
            log.Append(a[i]);
            log.Append(b[i]);
        }

        var merge = Node("m", "alice", 30, a[^1], b[^1]);
        log.Append(merge);

        // a2 and b3: b3 is the newest, but a3 (a child of a2) arrived before it, so this is no prefix frontier.
        IReadOnlyList<Hash> cursor = [a[2].Hash, b[3].Hash];
        var expected = new[] { a[3], a[4], b[4], a[5], b[5], merge }.Select(e => e.Hash).ToList();
        var delivered = new List<Hash>();
        var read = log.ReadAfter(cursor, 2, log.LastSequence);
        Assert.False(read.UsedFastPath);
        Assert.Equal([a[3].Hash, a[4].Hash], read.Entries.Select(e => e.Hash));
        Assert.Equal(new[] { a[4].Hash, b[3].Hash }.Order(), read.Cursor);
        Assert.False(read.UpToDate);
        delivered.AddRange(read.Entries.Select(e => e.Hash));
        cursor = read.Cursor;
        while (!read.UpToDate)
        {
            read = log.ReadAfter(cursor, 1, log.LastSequence);
            delivered.AddRange(read.Entries.Select(e => e.Hash));
            cursor = read.Cursor;
        }

        Assert.Equal(expected, delivered);
        Assert.Equal([merge.Hash], cursor);
        Assert.True(log.ReadAfter(cursor, 1, log.LastSequence).UsedFastPath);
    }

    [Fact]
    public void Redundant_and_repeated_cursor_hashes_are_normalized_to_the_frontier()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var x = Node("x", "a", 2, g);
        var y = Node("y", "a", 3, x);
        var z = Node("z", "b", 3, g);
        foreach (var e in new[] { x, y, z }) log.Append(e);

        var read = log.ReadAfter([g.Hash, x.Hash, x.Hash], 10, log.LastSequence);
        Assert.False(read.UsedFastPath);
        Assert.Equal([y.Hash, z.Hash], read.Entries.Select(e => e.Hash));
        Assert.Equal(log.Heads, read.Cursor);

        var repeated = log.ReadAfter([x.Hash, x.Hash], 10, log.LastSequence);
        Assert.True(repeated.UsedFastPath, "{x} is the frontier of the prefix {g, x}");
        Assert.Equal([y.Hash, z.Hash], repeated.Entries.Select(e => e.Hash));
    }

    [Fact]
    public void Heads_and_one_behind_cursors_take_the_fast_path()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var previous = g;
        for (var i = 0; i < 50; i++)
        {
            previous = Node($"n{i}", "a", (ulong)(2 + i), previous);
            log.Append(previous);
        }

        var atHeads = log.ReadAfter(log.Heads, 1000, log.LastSequence);
        Assert.True(atHeads.UsedFastPath);
        Assert.Empty(atHeads.Entries);
        Assert.True(atHeads.UpToDate);
        Assert.Equal(log.Heads, atHeads.Cursor);

        // BASELINE W9: the consumer is one entry behind.
        var head = log.Get(log.Heads[0])!;
        var oneBehind = log.ReadAfter([head.Next[0]], 1000, log.LastSequence);
        Assert.True(oneBehind.UsedFastPath);
        Assert.Equal([head.Hash], oneBehind.Entries.Select(e => e.Hash));
        Assert.Equal([head.Hash], oneBehind.Cursor);

        var concurrent = Node("side", "b", 5, log.Get(head.Next[0])!);
        log.Append(concurrent);
        var afterSide = log.ReadAfter(oneBehind.Cursor, 1000, log.LastSequence);
        Assert.True(afterSide.UsedFastPath);
        Assert.Equal([concurrent.Hash], afterSide.Entries.Select(e => e.Hash));
        Assert.Equal(log.Heads, afterSide.Cursor);
        Assert.Equal(2, afterSide.Cursor.Count);
    }

    [Fact]
    public void Empty_cursor_reads_from_the_beginning()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var x = Node("x", "a", 2, g);
        log.Append(x);
        var read = log.ReadAfter([], 1, log.LastSequence);
        Assert.True(read.UsedFastPath);
        Assert.Equal([g.Hash], read.Entries.Select(e => e.Hash));
        Assert.Equal([g.Hash], read.Cursor);
        Assert.False(read.UpToDate);
        read = log.ReadAfter(read.Cursor, 1, log.LastSequence);
        Assert.Equal([x.Hash], read.Entries.Select(e => e.Hash));
        Assert.True(read.UpToDate);
    }

    [Fact]
    public void Watermark_hides_unacknowledged_entries_until_it_moves()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var x = Node("x", "a", 2, g);
        var y = Node("y", "b", 2, g);
        var durable = log.LastSequence;
        var read = log.ReadAfter([], 10, durable);
        Assert.Equal([g.Hash], read.Entries.Select(e => e.Hash));

        log.Append(x);
        log.Append(y);
        var hidden = log.ReadAfter(read.Cursor, 10, durable);
        Assert.Empty(hidden.Entries);
        Assert.True(hidden.UpToDate);
        Assert.Equal([g.Hash], hidden.Cursor);

        durable = log.SequenceOf(x.Hash);
        var partly = log.ReadAfter(hidden.Cursor, 10, durable);
        Assert.Equal([x.Hash], partly.Entries.Select(e => e.Hash));
        Assert.True(partly.UpToDate);

        durable = log.LastSequence;
        var rest = log.ReadAfter(partly.Cursor, 10, durable);
        Assert.Equal([y.Hash], rest.Entries.Select(e => e.Hash));
        Assert.Equal(log.Heads, rest.Cursor);

        // A cursor may name entries above the watermark (the live heads): they count as seen, nothing is delivered.
        var z = Node("z", "a", 3, x, y);
        log.Append(z);
        var ahead = log.ReadAfter([z.Hash], 10, durable);
        Assert.Empty(ahead.Entries);
        Assert.True(ahead.UpToDate);
    }

    [Fact]
    public void Stale_cursor_is_a_distinct_error_naming_the_hash()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var x = Node("x", "a", 2, g);
        log.Append(x);
        var missing = Node("gone", "a", 3, x).Hash;
        var ex = Assert.Throws<TailCursorStaleException>(() => log.ReadAfter([x.Hash, missing], 10, log.LastSequence));
        Assert.Equal($"stale cursor: missing parent entry: {missing.ToHex()}", ex.Message);
        Assert.Equal(missing, ex.Missing);
    }

    [Fact]
    public void Checkpoint_replacement_makes_old_cursors_stale_and_sequences_keep_growing()
    {
        var g = Genesis();
        var log = new OpLog(g);
        var before = log.ReadAfter([], 10, log.LastSequence);
        var checkpoint = Checkpoint(10);
        log.ReplaceWithCheckpoint(checkpoint);
        Assert.Throws<TailCursorStaleException>(() => log.ReadAfter(before.Cursor, 10, log.LastSequence));

        var x = Node("x", "a", 11, checkpoint);
        log.Append(x);
        Assert.Equal(1, log.FirstSequence);
        Assert.Equal(2, log.LastSequence);
        var fresh = log.ReadAfter([], 1, log.LastSequence);
        Assert.True(fresh.UsedFastPath);
        Assert.Equal([checkpoint.Hash], fresh.Entries.Select(e => e.Hash));
        var next = log.ReadAfter(fresh.Cursor, 10, log.LastSequence);
        Assert.True(next.UsedFastPath);
        Assert.Equal([x.Hash], next.Entries.Select(e => e.Hash));
        Assert.Empty(log.ReadAfter([], 10, 0).Entries);
    }

    [Fact]
    public void Max_count_must_be_at_least_one()
    {
        var log = new OpLog(Genesis());
        Assert.Throws<ArgumentOutOfRangeException>(() => log.ReadAfter([], 0, log.LastSequence));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.ReadAfter([], -1, log.LastSequence));
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public void Frontier_through_a_sequence_is_the_heads_right_after_that_append(int seed)
    {
        var rng = new Random(seed);
        var genesis = Genesis();
        var log = new OpLog(genesis);
        var headsAfter = new List<IReadOnlyList<Hash>> { log.Heads };
        foreach (var entry in CausalShuffle(rng, Random(rng, genesis, 80), new HashSet<Hash> { genesis.Hash }))
        {
            log.Append(entry);
            headsAfter.Add(log.Heads);
        }

        for (var s = 0; s < headsAfter.Count; s++)
        {
            Assert.Equal(headsAfter[s], log.FrontierThrough(s));
            var read = log.ReadAfter(headsAfter[s], 1, log.LastSequence);
            Assert.True(read.UsedFastPath);
        }

        Assert.Empty(log.FrontierThrough(-1));
        Assert.Equal(log.Heads, log.FrontierThrough(long.MaxValue));
    }
}
