using System.Runtime.InteropServices;
using Silk.Core.Query;
using Silk.Core.Wire;

namespace Silk.Core.Indexing;

/// <summary>
/// One (node type, property) index: a <see cref="IndexTree"/> of (value, node id) and, per indexed node, the value
/// it is filed under (to find its entry when the value changes). Covers live nodes of the type or a descendant that
/// hold the property. Changed by the graph as it applies entries, under the store's write lock.
/// </summary>
public sealed class PropertyIndex
{
    private Dictionary<string, Value> _filed = new(StringComparer.Ordinal);
    private long _buildDone;
    private long _buildTotal;

    internal PropertyIndex(IndexDefinition definition)
    {
        Definition = definition;
    }

    public IndexDefinition Definition { get; }

    public IndexState State { get; private set; } = IndexState.Building;

    public IndexTree Tree { get; private set; } = new();

    /// <summary>Node types whose nodes it covers (the type and its descendants in the current ontology).</summary>
    internal HashSet<string> CoveredTypes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>While building: nodes changed since the build started, refiled once it is installed.</summary>
    internal HashSet<string>? Pending { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Bumped whenever the contents are replaced, so that a background build that lost the race is discarded.</summary>
    internal int Generation { get; private set; }

    internal double? BuildMilliseconds { get; private set; }

    public IndexStatus Status() =>
        new(Definition, State, State == IndexState.Ready ? Tree.Count : 0, Interlocked.Read(ref _buildDone), Interlocked.Read(ref _buildTotal), BuildMilliseconds);

    internal void StartBuild(long total)
    {
        Interlocked.Exchange(ref _buildTotal, total);
        Interlocked.Exchange(ref _buildDone, 0);
    }

    internal void BuildProgress(long done) => Interlocked.Add(ref _buildDone, done);

    /// <summary>Installs built contents (sorted, distinct entries) and makes the index ready; pending nodes are then refiled by the caller.</summary>
    internal IReadOnlyCollection<string> Install(IReadOnlyList<IndexEntry> sorted, double milliseconds)
    {
        Tree = IndexTree.FromSorted(sorted);
        _filed = new Dictionary<string, Value>(sorted.Count, StringComparer.Ordinal);
        foreach (var entry in sorted) _filed[entry.NodeId] = entry.Value;
        var pending = (IReadOnlyCollection<string>?)Pending ?? [];
        Pending = null;
        State = IndexState.Ready;
        Generation++;
        BuildMilliseconds = milliseconds;
        return pending;
    }

    /// <summary>Files the node under <paramref name="value"/>, or takes it out with null: O(log n) when it changed, a lookup when not.</summary>
    internal void Refile(string nodeId, Value? value)
    {
        if (Pending is { } pending)
        {
            pending.Add(nodeId);
            return;
        }

        if (value is { } now)
        {
            // One hash lookup whether the node is new to the index or moves in it.
            ref var filed = ref CollectionsMarshal.GetValueRefOrAddDefault(_filed, nodeId, out var had);
            if (had)
            {
                if (ValueOrder.Compare(filed, now) == 0) return;
                Tree.Remove(new IndexEntry(filed, nodeId));
            }

            Tree.Insert(new IndexEntry(now, nodeId));
            filed = now;
        }
        else if (_filed.Remove(nodeId, out var old))
        {
            Tree.Remove(new IndexEntry(old, nodeId));
        }
    }
}
