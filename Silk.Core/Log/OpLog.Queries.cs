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
    // payload, snapshot and rebuild.
    private List<Entry> TopologicalOrderOf(IReadOnlySet<Hash>? subset)
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
    /// those lacks), in arrival order. Marks arrival indexes instead of building a set of hashes: this
    /// runs over the whole log for every delta payload.
    /// </summary>
    internal List<Entry> NotAncestorsOf(IEnumerable<Hash> starts)
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
