using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Log;

/// <summary>
/// One tail read (decision D4): the entries delivered, in arrival-sequence order; the new cursor, which is
/// the frontier of everything the consumer has now seen (sorted, never a single cut entry); and whether
/// nothing visible is left past that cursor.
/// </summary>
public sealed record TailRead(IReadOnlyList<Entry> Entries, IReadOnlyList<Hash> Cursor, bool UpToDate)
{
    /// <summary>Diagnostic: the read took the O(|cursor| + delivered) path (the cursor was a prefix frontier).</summary>
    internal bool UsedFastPath { get; init; }
}

/// <summary>A tail cursor names an entry the log does not hold (compacted away, or from another log).</summary>
public sealed class TailCursorStaleException : Exception
{
    public TailCursorStaleException(Hash missing)
        : base($"stale cursor: missing parent entry: {missing.ToHex()}")
    {
        Missing = missing;
    }

    /// <summary>The first cursor hash found missing.</summary>
    public Hash Missing { get; }
}

public sealed partial class OpLog
{
    /// <summary>Sequence of the newest entry (one below <see cref="NextSequence"/>).</summary>
    public long LastSequence => NextSequence - 1;

    /// <summary>Sequence of the oldest entry still held (the root, or the checkpoint that replaced the log).</summary>
    public long FirstSequence => _firstSequence;

    private Record RecordAt(long sequence) => _arrival[checked((int)(sequence - _firstSequence))];

    /// <summary>
    /// Sequence of the earliest child of a record, or <see cref="long.MaxValue"/> without children. Children
    /// are recorded as they arrive, so the list is in sequence order and its first element is the earliest.
    /// </summary>
    private long FirstChildSequence(Record record) =>
        record.Children is { Count: > 0 } children ? SequenceOf(children[0]) : long.MaxValue;

    /// <summary>
    /// Reads the tail after <paramref name="cursor"/> (decision D4): the entries not reachable from the
    /// cursor through parent links, in arrival-sequence order, only those with a sequence at or below
    /// <paramref name="visibleThroughSequence"/> (the durable watermark), at most <paramref name="maxCount"/>.
    /// The returned cursor is the frontier of (ancestors-or-self(cursor) ∪ delivered), so consecutive reads
    /// deliver every entry exactly once even when a batch is cut. An empty cursor reads from the beginning.
    /// A cursor that is the frontier of a sequence prefix (every cursor this method returns from such a
    /// cursor, and the log's heads at any moment) costs O(|cursor| + delivered); any other cursor costs a
    /// walk of its ancestors and a scan of the log.
    /// </summary>
    /// <exception cref="TailCursorStaleException">A cursor hash is not in the log.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is below 1.</exception>
    public TailRead ReadAfter(IReadOnlyCollection<Hash> cursor, int maxCount, long visibleThroughSequence)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);

        var frontier = new HashSet<Hash>(cursor.Count);
        var maxSequence = _firstSequence - 1;
        foreach (var hash in cursor)
        {
            if (!_records.TryGetValue(hash, out var record)) throw new TailCursorStaleException(hash);
            if (frontier.Add(hash) && SequenceOf(record) > maxSequence) maxSequence = SequenceOf(record);
        }

        var visibleEnd = Math.Min(visibleThroughSequence, LastSequence);
        return IsPrefixFrontier(frontier, maxSequence)
            ? ReadPrefixTail(frontier, maxSequence, maxCount, visibleEnd)
            : ReadGeneralTail(frontier, maxCount, visibleEnd);
    }

    /// <summary>
    /// True when <paramref name="cursor"/> (distinct, all known, largest sequence <paramref name="maxSequence"/>)
    /// is exactly the frontier of the prefix {sequence ≤ maxSequence}: the heads had as many members right after
    /// that append, and no member has a child inside the prefix. Then every member is a head of the prefix and
    /// the counts match, so the sets are equal. O(|cursor|).
    /// </summary>
    private bool IsPrefixFrontier(HashSet<Hash> cursor, long maxSequence)
    {
        if (cursor.Count == 0) return true;
        if (RecordAt(maxSequence).HeadCountAfter != cursor.Count) return false;
        foreach (var hash in cursor)
        {
            if (FirstChildSequence(_records[hash]) <= maxSequence) return false;
        }

        return true;
    }

    /// <summary>Fast path: everything past the prefix is the sequence range (maxSequence, visibleEnd].</summary>
    private TailRead ReadPrefixTail(HashSet<Hash> frontier, long maxSequence, int maxCount, long visibleEnd)
    {
        var available = visibleEnd - maxSequence;
        if (available <= 0) return new TailRead([], Sorted(frontier), true) { UsedFastPath = true };

        var count = (int)Math.Min(available, maxCount);
        var delivered = new Entry[count];
        for (var i = 0; i < count; i++)
        {
            var entry = RecordAt(maxSequence + 1 + i).Entry;
            delivered[i] = entry;
            Advance(frontier, entry);
        }

        return new TailRead(delivered, Sorted(frontier), count == available) { UsedFastPath = true };
    }

    /// <summary>
    /// General path: known = ancestors-or-self(cursor); deliver the rest in sequence order. Every parent of a
    /// delivered entry has a smaller sequence, so it is known or delivered earlier: known ∪ delivered stays
    /// ancestor-closed and its frontier can be grown one entry at a time.
    /// </summary>
    private TailRead ReadGeneralTail(HashSet<Hash> cursor, int maxCount, long visibleEnd)
    {
        var known = CausalPastOrSelf(cursor);

        // Normalize: drop cursor members that are ancestors of other members (they have a child in known).
        var frontier = new HashSet<Hash>(cursor.Count);
        foreach (var hash in cursor)
        {
            if (!_records[hash].Children.Any(child => known.Contains(child.Entry.Hash))) frontier.Add(hash);
        }

        var delivered = new List<Entry>();
        var upToDate = true;
        for (var sequence = _firstSequence; sequence <= visibleEnd; sequence++)
        {
            var entry = RecordAt(sequence).Entry;
            if (known.Contains(entry.Hash)) continue;
            if (delivered.Count == maxCount)
            {
                upToDate = false;
                break;
            }

            delivered.Add(entry);
            Advance(frontier, entry);
        }

        return new TailRead(delivered, Sorted(frontier), upToDate);
    }

    /// <summary>The frontier of an ancestor-closed set after adding <paramref name="entry"/>, whose parents are all in it.</summary>
    private static void Advance(HashSet<Hash> frontier, Entry entry)
    {
        var parents = entry.Next;
        for (var i = 0; i < parents.Count; i++) frontier.Remove(parents[i]);
        frontier.Add(entry.Hash);
    }

    /// <summary>
    /// The given hashes and their ancestors through parent links only. Refs are not followed: the frontier and
    /// the sequence order are defined over parent links, and a ref may name an entry that arrives later (or
    /// never), which would break the exactly-once bookkeeping.
    /// </summary>
    private HashSet<Hash> CausalPastOrSelf(IEnumerable<Hash> starts) => AncestorsOrSelf(starts, followRefs: false);

    /// <summary>
    /// The frontier (heads) of the prefix {sequence ≤ <paramref name="sequence"/>}, in hash order: what
    /// <see cref="Heads"/> was right after that append. At or past <see cref="LastSequence"/> it is the current
    /// heads; below <see cref="FirstSequence"/> it is empty. Costs O(distance) from whichever end is nearer.
    /// A store hands this out at its durable watermark as the "only new entries" cursor.
    /// </summary>
    public IReadOnlyList<Hash> FrontierThrough(long sequence)
    {
        var last = LastSequence;
        if (sequence >= last) return Heads;
        if (sequence < _firstSequence) return [];

        HashSet<Hash> frontier;
        if (last - sequence <= sequence - _firstSequence + 1)
        {
            // Undo appends from the newest: a parent is a head of the shorter prefix iff the removed entry
            // was its earliest child.
            frontier = new HashSet<Hash>(_heads);
            for (var s = last; s > sequence; s--)
            {
                var entry = RecordAt(s).Entry;
                frontier.Remove(entry.Hash);
                foreach (var parent in entry.NextSpan)
                {
                    if (FirstChildSequence(_records[parent]) >= s) frontier.Add(parent);
                }
            }
        }
        else
        {
            frontier = [];
            for (var s = _firstSequence; s <= sequence; s++) Advance(frontier, RecordAt(s).Entry);
        }

        return Sorted(frontier);
    }

    private static Hash[] Sorted(HashSet<Hash> set)
    {
        var array = set.ToArray();
        Array.Sort(array);
        return array;
    }
}
