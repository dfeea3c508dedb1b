using System.Diagnostics.CodeAnalysis;
using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>One indexed edge seen from a node: the edge and the node at its other end.</summary>
internal readonly record struct Adjacent(EdgeState Edge, NodeState Other);

/// <summary>
/// Adjacency for traversals: each node's indexed edges, sorted once by the other end's id (then the
/// edge id) so that neighbours are visited in ordinal order (decision D6) without sorting or
/// allocating per step. The arrays hold the structure only (which edges are indexed where);
/// liveness of edges and nodes is checked while traversing, so removes and re-adds never make them
/// stale. They are dropped when an edge is (re)indexed at the node, and rebuilt on the next traversal.
/// Node and edge states are never replaced outside a rebuild, which drops them all. Readers running
/// side by side (with no writer) may both build a node's array; they build equal arrays and either
/// reference may stay.
/// </summary>
public sealed partial class MaterializedGraph
{
    private Adjacent[] Outgoing(NodeState node) => node.SortedOutgoing ??= BuildAdjacency(_outgoing, node.Id, outgoing: true);

    private Adjacent[] Incoming(NodeState node) => node.SortedIncoming ??= BuildAdjacency(_incoming, node.Id, outgoing: false);

    /// <summary>Whether an indexed edge is visible from its node: live, with the other end live.</summary>
    private static bool Visible(in Adjacent adjacent) => adjacent.Edge.Alive && adjacent.Other.Alive;

    private Adjacent[] BuildAdjacency(Dictionary<string, HashSet<string>> index, string nodeId, bool outgoing)
    {
        if (!index.TryGetValue(nodeId, out var edgeIds) || edgeIds.Count == 0) return [];
        var result = new Adjacent[edgeIds.Count];
        var count = 0;
        foreach (var edgeId in edgeIds)
        {
            var edge = _edges[edgeId];
            if (edge.IndexedEndpoints is not var (source, target)) continue;
            if (_nodes.TryGetValue(outgoing ? target : source, out var other)) result[count++] = new Adjacent(edge, other);
        }

        if (count < result.Length) Array.Resize(ref result, count);
        Array.Sort(result, CompareAdjacent);
        return result;
    }

    private static int CompareAdjacent(Adjacent x, Adjacent y)
    {
        var c = Utf8Order.CompareStrings(x.Other.Id, y.Other.Id);
        return c != 0 ? c : Utf8Order.CompareStrings(x.Edge.Id, y.Edge.Id);
    }

    private void InvalidateAdjacency(string source, string target)
    {
        if (_nodes.TryGetValue(source, out var from)) from.SortedOutgoing = null;
        if (_nodes.TryGetValue(target, out var to)) to.SortedIncoming = null;
    }

    private bool TryGetLiveNode(string nodeId, [NotNullWhen(true)] out NodeState? node) =>
        _nodes.TryGetValue(nodeId, out node) && node.Alive;
}
