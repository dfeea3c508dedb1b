using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>Reads. Lists come back in ordinal id order (decision D6).</summary>
public sealed partial class MaterializedGraph : IGraphReader
{
    /// <summary>A live node, or null.</summary>
    public NodeView? GetNode(string nodeId) =>
        _nodes.TryGetValue(nodeId, out var node) && node.Alive ? View(node) : null;

    /// <summary>A live edge, or null. Like the original, endpoints are not checked here.</summary>
    public EdgeView? GetEdge(string edgeId) =>
        _edges.TryGetValue(edgeId, out var edge) && edge.Alive ? View(edge) : null;

    public IReadOnlyList<NodeView> AllNodes() =>
        SortedIds(_nodes.Values.Where(n => n.Alive).Select(n => n.Id)).Select(id => View(_nodes[id])).ToList();

    /// <summary>Live edges whose both endpoints are live.</summary>
    public IReadOnlyList<EdgeView> AllEdges() =>
        SortedIds(_edges.Values.Where(IsVisible).Select(e => e.Id)).Select(id => View(_edges[id])).ToList();

    /// <summary>Live edges leaving <paramref name="nodeId"/> whose target is live.</summary>
    public IReadOnlyList<EdgeView> OutgoingEdges(string nodeId) =>
        AdjacentEdges(_outgoing, nodeId, e => IsLiveNode(e.OldestAdd.TargetId));

    /// <summary>Live edges arriving at <paramref name="nodeId"/> whose source is live.</summary>
    public IReadOnlyList<EdgeView> IncomingEdges(string nodeId) =>
        AdjacentEdges(_incoming, nodeId, e => IsLiveNode(e.OldestAdd.SourceId));

    /// <summary>Targets of the outgoing edges, each once, in id order.</summary>
    public IReadOnlyList<string> Neighbors(string nodeId) =>
        SortedIds(OutgoingEdges(nodeId).Select(e => e.TargetId).Distinct(StringComparer.Ordinal)).ToList();

    /// <summary>Entries kept in the log but invisible to reads, in hash order.</summary>
    public IReadOnlyList<QuarantineRecord> Quarantined => _quarantine.Values.OrderBy(q => q.Hash).ToList();

    public bool IsQuarantined(Hash hash) => _quarantine.ContainsKey(hash);

    public int QuarantineCount => _quarantine.Count;

    /// <summary>Nodes that exist (a valid add) but whose newest remove wins.</summary>
    public IReadOnlyList<string> TombstonedNodeIds => SortedIds(_nodes.Values.Where(n => n.Tombstoned).Select(n => n.Id)).ToList();

    public IReadOnlyList<string> TombstonedEdgeIds => SortedIds(_edges.Values.Where(e => e.Tombstoned).Select(e => e.Id)).ToList();

    /// <summary>Live edges not shown because an endpoint is removed or was never added.</summary>
    public IReadOnlyList<string> EdgesHiddenByDeadEndpoint =>
        SortedIds(_edges.Values.Where(e => e.Alive && !IsVisible(e)).Select(e => e.Id)).ToList();

    private bool IsLiveNode(string nodeId) => _nodes.TryGetValue(nodeId, out var node) && node.Alive;

    private bool IsVisible(EdgeState edge) =>
        edge.Alive && IsLiveNode(edge.OldestAdd.SourceId) && IsLiveNode(edge.OldestAdd.TargetId);

    private IReadOnlyList<EdgeView> AdjacentEdges(Dictionary<string, HashSet<string>> index, string nodeId, Func<EdgeState, bool> otherEndLive)
    {
        if (!index.TryGetValue(nodeId, out var edgeIds) || edgeIds.Count == 0) return [];
        return SortedIds(edgeIds.Where(id => _edges[id].Alive && otherEndLive(_edges[id]))).Select(id => View(_edges[id])).ToList();
    }

    private static IEnumerable<string> SortedIds(IEnumerable<string> ids)
    {
        var array = ids.ToArray();
        Array.Sort(array, Utf8Order.Instance);
        return array;
    }

    private static NodeView View(NodeState node)
    {
        var newest = node.NewestAdd;
        return new NodeView(node.Id, node.NodeType, newest.Subtype, newest.Label, node.Properties.View);
    }

    private static EdgeView View(EdgeState edge)
    {
        var oldest = edge.OldestAdd;
        return new EdgeView(edge.Id, oldest.EdgeType, oldest.SourceId, oldest.TargetId, edge.Properties.View);
    }
}
