using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Log;

public sealed partial class OpLog
{
    /// <summary>Every entry in the original's topological order T(all).</summary>
    public IReadOnlyList<Entry> TopologicalOrder() => TopologicalOrder(_records.Keys.ToHashSet());

    /// <summary>
    /// The original's topological order of a subset: layered Kahn. The first layer is the subset's
    /// entries with no parent inside it, sorted by (physical, logical, hash bytes); then FIFO, and
    /// each popped entry's children that become ready are sorted by the same key and queued at the
    /// back. This is deliberately not a global priority order: replay results depend on it.
    /// </summary>
    public IReadOnlyList<Entry> TopologicalOrder(IReadOnlySet<Hash> subset)
    {
        var inDegree = new Dictionary<Hash, int>(subset.Count);
        var ready = new List<Entry>();
        foreach (var hash in subset)
        {
            if (!_records.TryGetValue(hash, out var record)) continue;
            var degree = 0;
            var parents = record.Entry.Next;
            for (var i = 0; i < parents.Count; i++)
            {
                if (subset.Contains(parents[i]) && _records.ContainsKey(parents[i]) && !RepeatsEarlier(parents, i)) degree++;
            }

            inDegree[hash] = degree;
            if (degree == 0) ready.Add(record.Entry);
        }

        ready.Sort(CompareForTopologicalOrder);
        var queue = new Queue<Entry>(ready);
        var result = new List<Entry>(inDegree.Count);
        var layer = new List<Entry>();
        while (queue.TryDequeue(out var entry))
        {
            result.Add(entry);
            if (_records[entry.Hash].Children is not { } children) continue;
            layer.Clear();
            foreach (var child in children)
            {
                if (!inDegree.TryGetValue(child, out var degree)) continue;
                degree--;
                inDegree[child] = degree;
                if (degree == 0) layer.Add(_records[child].Entry);
            }

            layer.Sort(CompareForTopologicalOrder);
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

    private static int CompareForTopologicalOrder(Entry a, Entry b)
    {
        var c = a.Clock.CompareTime(b.Clock);
        return c != 0 ? c : a.Hash.CompareTo(b.Hash);
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
    public HashSet<Hash> AncestorsOrSelf(IEnumerable<Hash> starts)
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

            foreach (var reference in record.Entry.Refs)
            {
                if (!visited.Contains(reference)) stack.Push(reference);
            }
        }

        return visited;
    }
}
