using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>
/// Live node and visible edge counts, in all and by type, kept as the graph changes so that reading them costs
/// the number of types, not a scan. Every entity an entry touches is marked; when the entry is folded in, each
/// marked entity's contribution (the type it counts under, or none) is compared with the one it had, and a node
/// whose liveness flipped marks its edges, whose visibility depends on both endpoints.
/// </summary>
public sealed partial class MaterializedGraph
{
    private readonly Dictionary<string, int> _liveNodesByType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _visibleEdgesByType = new(StringComparer.Ordinal);
    private readonly HashSet<string> _uncountedNodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _uncountedEdges = new(StringComparer.Ordinal);
    private int _liveNodeCount;
    private int _visibleEdgeCount;

    public int NodeCount => _liveNodeCount;

    public int EdgeCount => _visibleEdgeCount;

    /// <summary>Live nodes per materialized type (exact type, not counting descendants), types in ordinal (UTF-8 byte) order; types without live nodes are left out.</summary>
    public IReadOnlyDictionary<string, int> NodeCountsByType => Sorted(_liveNodesByType);

    /// <summary>Visible edges (live, both endpoints live) per edge type, in ordinal order; types without visible edges are left out.</summary>
    public IReadOnlyDictionary<string, int> EdgeCountsByType => Sorted(_visibleEdgesByType);

    /// <summary>The node's liveness or type may have changed: recount it when the current entry is folded in.</summary>
    private void MarkNodeForCount(string nodeId) => _uncountedNodes.Add(nodeId);

    private void MarkEdgeForCount(string edgeId) => _uncountedEdges.Add(edgeId);

    /// <summary>Brings the counts up to date with every marked entity (nodes first: they mark edges).</summary>
    private void SettleCounts()
    {
        foreach (var id in _uncountedNodes)
        {
            var node = _nodes[id];
            var type = node.Alive ? node.NodeType : null;
            var counted = node.CountedType;
            if (string.Equals(type, counted, StringComparison.Ordinal)) continue;
            Move(_liveNodesByType, ref _liveNodeCount, counted, type);
            node.CountedType = type;
            if ((counted is null) != (type is null)) MarkIncidentEdges(id);
        }

        _uncountedNodes.Clear();
        foreach (var id in _uncountedEdges)
        {
            var edge = _edges[id];
            var type = IsVisible(edge) ? edge.OldestAdd.EdgeType : null;
            var counted = edge.CountedType;
            if (string.Equals(type, counted, StringComparison.Ordinal)) continue;
            Move(_visibleEdgesByType, ref _visibleEdgeCount, counted, type);
            edge.CountedType = type;
        }

        _uncountedEdges.Clear();
    }

    /// <summary>Edges are indexed under the endpoints of their oldest add, the ones their visibility depends on.</summary>
    private void MarkIncidentEdges(string nodeId)
    {
        if (_outgoing.TryGetValue(nodeId, out var outgoing)) _uncountedEdges.UnionWith(outgoing);
        if (_incoming.TryGetValue(nodeId, out var incoming)) _uncountedEdges.UnionWith(incoming);
    }

    private static void Move(Dictionary<string, int> counts, ref int total, string? from, string? to)
    {
        if (from is not null)
        {
            total--;
            if (--counts[from] == 0) counts.Remove(from);
        }

        if (to is not null)
        {
            total++;
            counts[to] = counts.GetValueOrDefault(to) + 1;
        }
    }

    private void ClearCounts()
    {
        _liveNodesByType.Clear();
        _visibleEdgesByType.Clear();
        _uncountedNodes.Clear();
        _uncountedEdges.Clear();
        _liveNodeCount = 0;
        _visibleEdgeCount = 0;
    }

    private static SortedDictionary<string, int> Sorted(Dictionary<string, int> counts) => new(counts, Utf8Order.Instance);
}
