using Silk.Core.Indexing;
using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>
/// Keeping the (node type, property) indexes current. Every apply path goes through <see cref="Apply(Entry)"/> or
/// <see cref="Rebuild"/>: a node an entry adds or removes, or whose indexed property an update changes, is marked,
/// and once the entry is folded in each marked node is refiled in each index (O(log n) for a changed value). With no
/// index declared the write path pays one count test per node touched. A rebuild (schema change, compaction, sync that
/// needs one) rebuilds the indexes too, against the new hierarchy.
/// </summary>
public sealed partial class MaterializedGraph
{
    private readonly PropertyIndexSet _indexes = new();
    private readonly HashSet<string> _unindexedNodes = new(StringComparer.Ordinal);

    /// <summary>The graph's indexes. Change them only through the store, under its write lock.</summary>
    public PropertyIndexSet Indexes => _indexes;

    private void MarkNodeForIndex(string nodeId)
    {
        if (_indexes.Count == 0) return;
        _unindexedNodes.Add(nodeId);
    }

    private void MarkPropertyForIndex(string nodeId, string key)
    {
        if (_indexes.Count == 0 || !_indexes.ReadsProperty(key)) return;
        _unindexedNodes.Add(nodeId);
    }

    private void SettleIndexes()
    {
        if (_unindexedNodes.Count == 0) return;
        var indexes = _indexes.All;
        foreach (var id in _unindexedNodes)
        {
            _nodes.TryGetValue(id, out var node);
            for (var i = 0; i < indexes.Count; i++) indexes[i].Refile(id, IndexedValue(indexes[i], node));
        }

        _unindexedNodes.Clear();
    }

    /// <summary>The value a node is filed under in the index: its property, when it is live, of a covered type and holds it.</summary>
    internal Value? IndexedValue(PropertyIndex index, string nodeId) => IndexedValue(index, _nodes.GetValueOrDefault(nodeId));

    private static Value? IndexedValue(PropertyIndex index, NodeState? node)
    {
        if (node is null || !node.Alive || !index.CoveredTypes.Contains(node.NodeType)) return null;
        return node.Properties.TryGetValue(index.Definition.Property, out var value) ? (Value?)value : null;
    }

    /// <summary>Adds an index in the building state: from now on changes are remembered for it until it is installed.</summary>
    internal PropertyIndex AddIndex(IndexDefinition definition)
    {
        var index = _indexes.Add(definition);
        index.CoveredTypes = CoveredTypes(definition.NodeType);
        return index;
    }

    internal bool RemoveIndex(string name) => _indexes.Remove(name);

    /// <summary>Ids of the nodes of the index's types (live or not), for a build to read in chunks.</summary>
    internal List<string> NodeIdsCoveredBy(PropertyIndex index)
    {
        var ids = new List<string>();
        foreach (var type in index.CoveredTypes)
        {
            if (_nodesByType.TryGetValue(type, out var set)) ids.AddRange(set);
        }

        return ids;
    }

    /// <summary>Builds every index again from the graph as it is now (after a rebuild), in place.</summary>
    private void RebuildIndexes()
    {
        _unindexedNodes.Clear();
        foreach (var index in _indexes.All)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            index.CoveredTypes = CoveredTypes(index.Definition.NodeType);
            var entries = new List<IndexEntry>();
            foreach (var id in NodeIdsCoveredBy(index))
            {
                if (IndexedValue(index, id) is { } value) entries.Add(new IndexEntry(value, id));
            }

            entries.Sort();
            index.StartBuild(entries.Count);
            index.BuildProgress(entries.Count);
            index.Install(entries, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private HashSet<string> CoveredTypes(string nodeType) => new(Rules.SelfAndDescendants(nodeType), StringComparer.Ordinal);
}
