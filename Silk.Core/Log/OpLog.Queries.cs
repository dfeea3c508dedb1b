using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Log;

public sealed partial class OpLog
{
    /// <summary>Every entry in the original's topological order T(all).</summary>
    public IReadOnlyList<Entry> TopologicalOrder() => TopologicalOrderOf(null);

    /// <summary>
    /// The original's topological order of a subset: layered Kahn. The first layer is the subset's
    /// entries with no parent inside it, sorted by (physical, logical, hash bytes); then FIFO, and
    /// each popped entry's children that become ready are sorted by the same key and queued at the
    /// back. This is deliberately not a global priority order: replay results depend on it.
    /// </summary>
    public IReadOnlyList<Entry> TopologicalOrder(IReadOnlySet<Hash> subset)
    {
        ArgumentNullException.ThrowIfNull(subset);
        return TopologicalOrderOf(subset);
    }

    // Works on arrival indexes (arrays, no hashing) since this runs over the whole log for every
    // payload, snapshot and rebuild. A small subset (a delta payload) is ordered on its own records instead,
    // so that its cost does not grow with the log; both give the same order.
    private List<Entry> TopologicalOrderOf(IReadOnlySet<Hash>? subset) =>
        subset is not null && subset.Count < _arrival.Count / 16 ? TopologicalOrderOnRecords(subset) : TopologicalOrderOnArrays(subset);

    internal List<Entry> TopologicalOrderOnArrays(IReadOnlySet<Hash>? subset)
    {
        var count = _arrival.Count;
        bool[]? member = null;
        if (subset is not null)
        {
            member = new bool[count];
            foreach (var hash in subset)
            {
                if (_records.TryGetValue(hash, out var r)) member[r.Index] = true;
            }
        }

        var inDegree = new int[count];
        var ready = new List<Record>();
        var size = 0;
        for (var i = 0; i < count; i++)
        {
            if (member is not null && !member[i]) continue;
            size++;
            var record = _arrival[i];
            var parents = record.Entry.Next;
            var degree = 0;
            for (var p = 0; p < parents.Count; p++)
            {
                if (!_records.TryGetValue(parents[p], out var parent) || (member is not null && !member[parent.Index]) || RepeatsEarlier(parents, p)) continue;
                degree++;
            }

            inDegree[i] = degree;
            if (degree == 0) ready.Add(record);
        }

        ready.Sort(CompareForTopologicalOrder);
        var queue = new Queue<Record>(ready);
        var result = new List<Entry>(size);
        var layer = new List<Record>();
        while (queue.TryDequeue(out var record))
        {
            result.Add(record.Entry);
            var children = record.Children;
            if (children.Count == 0) continue;
            layer.Clear();
            foreach (var child in children)
            {
                if (member is not null && !member[child.Index]) continue;
                if (--inDegree[child.Index] == 0) layer.Add(child);
            }

            if (layer.Count > 1) layer.Sort(CompareForTopologicalOrder);
            foreach (var next in layer) queue.Enqueue(next);
        }

        return result;
    }

    /// <summary>The layered Kahn order of <see cref="TopologicalOrderOnArrays"/> over a subset's own records (a dictionary instead of arrays over the log).</summary>
    internal List<Entry> TopologicalOrderOnRecords(IReadOnlySet<Hash> subset)
    {
        var inDegree = new Dictionary<Record, int>(subset.Count);
        foreach (var hash in subset)
        {
            if (_records.TryGetValue(hash, out var record)) inDegree[record] = 0;
        }

        var ready = new List<Record>();
        foreach (var record in inDegree.Keys.ToList())
        {
            var parents = record.Entry.Next;
            var degree = 0;
            for (var p = 0; p < parents.Count; p++)
            {
                if (!_records.TryGetValue(parents[p], out var parent) || !inDegree.ContainsKey(parent) || RepeatsEarlier(parents, p)) continue;
                degree++;
            }

            inDegree[record] = degree;
            if (degree == 0) ready.Add(record);
        }

        ready.Sort(CompareForTopologicalOrder);
        var queue = new Queue<Record>(ready);
        var result = new List<Entry>(inDegree.Count);
        var layer = new List<Record>();
        while (queue.TryDequeue(out var record))
        {
            result.Add(record.Entry);
            var children = record.Children;
            if (children.Count == 0) continue;
            layer.Clear();
            foreach (var child in children)
            {
                if (!inDegree.TryGetValue(child, out var degree)) continue;
                inDegree[child] = --degree;
                if (degree == 0) layer.Add(child);
            }

            if (layer.Count > 1) layer.Sort(CompareForTopologicalOrder);
            foreach (var next in layer) queue.Enqueue(next);
        }

        return result;
    }

    private static bool RepeatsEarlier(IReadOnlyList<Hash> parents, int index)
    {
        for (var j = 0; j < index; j++)
        {
            if (parents[j] == parents[index]) return true;
        }

        return false;
    }

    private static int CompareForTopologicalOrder(Record a, Record b)
    {
        var c = a.Entry.Clock.CompareTime(b.Entry.Clock);
        return c != 0 ? c : a.Entry.Hash.CompareTo(b.Entry.Hash);
    }

    /// <summary>
    /// Everything not reachable from <paramref name="known"/>, in topological order; null gives the
    /// whole log. An unknown hash knows nothing, so everything is returned (as the original does).
    /// </summary>
    public IReadOnlyList<Entry> EntriesSince(Hash? known)
    {
        if (known is null) return TopologicalOrder();
        var seen = AncestorsOrSelf([known.Value]);
        return TopologicalOrder(_records.Keys.Where(h => !seen.Contains(h)).ToHashSet());
    }

    /// <summary>
    /// Everything not reachable from any cursor hash, in topological order. Every cursor hash must be
    /// known: an unknown one means the cursor is stale (compacted away or from another log).
    /// </summary>
    public IReadOnlyList<Entry> EntriesSinceHeads(IReadOnlyCollection<Hash> cursor)
    {
        foreach (var hash in cursor)
        {
            if (!_records.ContainsKey(hash)) throw OpLogException.MissingParent(hash);
        }

        if (cursor.Count == 0) return TopologicalOrder();
        var seen = AncestorsOrSelf(cursor);
        return TopologicalOrder(_records.Keys.Where(h => !seen.Contains(h)).ToHashSet());
    }

    /// <summary>Entries whose clock (physical, logical) is at or before the cut-off, in topological order.</summary>
    public IReadOnlyList<Entry> EntriesAsOf(ulong physicalMs, uint logical) =>
        TopologicalOrder(_arrival.Where(r => r.Entry.Clock.IsAtOrBefore(physicalMs, logical)).Select(r => r.Entry.Hash).ToHashSet());

    /// <summary>The given hashes and all their ancestors that are in the log (unknown starts are kept as themselves).</summary>
    public HashSet<Hash> AncestorsOrSelf(IEnumerable<Hash> starts) => AncestorsOrSelf(starts, followRefs: true);

    /// <summary>
    /// Entries that are not ancestors-or-self of <paramref name="starts"/> (what a log whose heads are
    /// those lacks), in arrival order. This runs for every delta payload, so it costs what lies between the
    /// two frontiers, not the log: see <see cref="NotAncestorsNearHeads"/>. Walks that would visit a large
    /// part of the log (a peer far behind) mark arrival indexes over the whole log instead, which is cheaper then.
    /// </summary>
    internal List<Entry> NotAncestorsOf(IEnumerable<Hash> starts)
    {
        var known = starts as IReadOnlyCollection<Hash> ?? starts.ToList();
        return (_entriesWithRefs == 0 ? NotAncestorsNearHeads(known, _arrival.Count / 8) : null) ?? NotAncestorsByMarking(known);
    }

    internal List<Entry> NotAncestorsByMarking(IEnumerable<Hash> starts)
    {
        var known = new bool[_arrival.Count];
        var stack = new Stack<Record>();
        void Visit(Hash hash)
        {
            if (_records.TryGetValue(hash, out var record) && !known[record.Index])
            {
                known[record.Index] = true;
                stack.Push(record);
            }
        }

        foreach (var start in starts) Visit(start);
        while (stack.TryPop(out var record))
        {
            foreach (var parent in record.Entry.Next) Visit(parent);
            foreach (var reference in record.Entry.Refs) Visit(reference);
        }

        var rest = new List<Entry>();
        for (var i = 0; i < known.Length; i++)
        {
            if (!known[i]) rest.Add(_arrival[i].Entry);
        }

        return rest;
    }

    [Flags]
    private enum Reach : byte
    {
        FromOurHeads = 1,
        FromStarts = 2,
    }

    /// <summary>
    /// The same set found from the top: one sweep down from our heads and from <paramref name="starts"/> together,
    /// in decreasing arrival sequence. A parent's sequence is below its child's, so when an entry is taken every
    /// descendant that reaches it has been taken before and its marks are final: reached from a start means the
    /// peer has it, reached from our heads only means it lacks it. The answer is closed under children and each of
    /// its entries hangs below one of our heads through answer entries only, so once no entry reached from our
    /// heads alone is waiting, nothing more can be found. Null when the sweep passes <paramref name="budget"/>
    /// entries. Only for logs without refs: a ref may name a later entry, so sequence order does not hold for them.
    /// </summary>
    internal List<Entry>? NotAncestorsNearHeads(IReadOnlyCollection<Hash> starts, int budget)
    {
        var marks = new Dictionary<Record, Reach>();
        var waiting = new PriorityQueue<Record, long>();
        var oursOnly = 0;
        void Mark(Record record, Reach reach)
        {
            if (marks.TryGetValue(record, out var had))
            {
                var now = had | reach;
                if (now == had) return;
                if (had == Reach.FromOurHeads) oursOnly--;
                marks[record] = now;
                return;
            }

            marks[record] = reach;
            if (reach == Reach.FromOurHeads) oursOnly++;
            waiting.Enqueue(record, -SequenceOf(record));
        }

        foreach (var head in _heads) Mark(_records[head], Reach.FromOurHeads);
        foreach (var start in starts)
        {
            if (_records.TryGetValue(start, out var record)) Mark(record, Reach.FromStarts);
        }

        var missing = new List<Record>();
        while (oursOnly > 0 && waiting.TryDequeue(out var record, out _))
        {
            if (marks.Count > budget) return null;
            var reach = marks[record];
            if (reach == Reach.FromOurHeads)
            {
                oursOnly--;
                missing.Add(record);
            }

            foreach (var parent in record.Entry.Next)
            {
                if (_records.TryGetValue(parent, out var parentRecord)) Mark(parentRecord, reach);
            }
        }

        missing.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        return missing.ConvertAll(static r => r.Entry);
    }

    private HashSet<Hash> AncestorsOrSelf(IEnumerable<Hash> starts, bool followRefs)
    {
        var visited = new HashSet<Hash>();
        var stack = new Stack<Hash>(starts);
        while (stack.TryPop(out var hash))
        {
            if (!visited.Add(hash)) continue;
            if (!_records.TryGetValue(hash, out var record)) continue;
            foreach (var parent in record.Entry.Next)
            {
                if (!visited.Contains(parent)) stack.Push(parent);
            }

            if (!followRefs) continue;
            foreach (var reference in record.Entry.Refs)
            {
                if (!visited.Contains(reference)) stack.Push(reference);
            }
        }

        return visited;
    }
}
