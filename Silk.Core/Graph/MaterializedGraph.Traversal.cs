namespace Silk.Core.Graph;

/// <summary>
/// Traversals (SPEC §11): bfs, dfs, shortest_path, impact_analysis, subgraph. They follow visible
/// edges only and visit neighbours in ordinal id order (D6) through the sorted adjacency arrays;
/// visited sets hold node states (reference identity), so no id is hashed or compared per step.
/// </summary>
public sealed partial class MaterializedGraph
{
    public IReadOnlyList<string> Bfs(string start, int? maxDepth = null, string? edgeType = null) =>
        BreadthFirst(start, maxDepth, edgeType, outgoing: true);

    public IReadOnlyList<string> ImpactAnalysis(string nodeId, int? maxDepth = null) =>
        BreadthFirst(nodeId, maxDepth, edgeType: null, outgoing: false);

    public IReadOnlyList<string> Dfs(string start, int? maxDepth = null, string? edgeType = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        var limit = DepthLimit(maxDepth);
        if (!TryGetLiveNode(start, out var origin)) return [];
        var result = new List<string>();
        var visited = new HashSet<NodeState> { origin };
        var stack = new Stack<(NodeState Node, int Depth)>();
        stack.Push((origin, 0));
        while (stack.TryPop(out var item))
        {
            result.Add(item.Node.Id);
            if (item.Depth >= limit) continue;
            var adjacent = Outgoing(item.Node);
            // Pushed in reverse so that neighbours are popped (visited) in ordinal order.
            for (var i = adjacent.Length - 1; i >= 0; i--)
            {
                ref readonly var next = ref adjacent[i];
                if (Follows(next, edgeType) && visited.Add(next.Other)) stack.Push((next.Other, item.Depth + 1));
            }
        }

        return result;
    }

    public IReadOnlyList<string>? ShortestPath(string from, string to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (!TryGetLiveNode(from, out var origin) || !TryGetLiveNode(to, out var goal)) return null;
        if (ReferenceEquals(origin, goal)) return [origin.Id];
        var parents = new Dictionary<NodeState, NodeState> { [origin] = origin };
        var queue = new Queue<NodeState>();
        queue.Enqueue(origin);
        while (queue.TryDequeue(out var current))
        {
            foreach (ref readonly var next in Outgoing(current).AsSpan())
            {
                if (!Visible(next) || !parents.TryAdd(next.Other, current)) continue;
                if (ReferenceEquals(next.Other, goal)) return PathTo(goal, parents);
                queue.Enqueue(next.Other);
            }
        }

        return null;
    }

    public SubgraphView Subgraph(string start, int hops)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentOutOfRangeException.ThrowIfNegative(hops);
        if (!TryGetLiveNode(start, out var origin)) return SubgraphView.Empty;
        var nodes = new HashSet<NodeState> { origin };
        var edges = new HashSet<EdgeState>();
        var queue = new Queue<(NodeState Node, int Depth)>();
        queue.Enqueue((origin, 0));
        while (queue.TryDequeue(out var item))
        {
            if (item.Depth >= hops) continue;
            Expand(Outgoing(item.Node), item.Depth + 1, nodes, edges, queue);
            Expand(Incoming(item.Node), item.Depth + 1, nodes, edges, queue);
        }

        return new SubgraphView(
            SortedIds(nodes.Select(n => n.Id)).ToList(),
            SortedIds(edges.Select(e => e.Id)).ToList());
    }

    /// <summary>Records the visible edges of one side of a subgraph node and queues their unseen other ends.</summary>
    private static void Expand(Adjacent[] adjacent, int depth, HashSet<NodeState> nodes, HashSet<EdgeState> edges, Queue<(NodeState, int)> queue)
    {
        foreach (ref readonly var next in adjacent.AsSpan())
        {
            if (!Visible(next)) continue;
            edges.Add(next.Edge);
            if (nodes.Add(next.Other)) queue.Enqueue((next.Other, depth));
        }
    }

    /// <summary>Breadth-first over outgoing or incoming visible edges; see <see cref="IGraphReader.Bfs"/>.</summary>
    private List<string> BreadthFirst(string start, int? maxDepth, string? edgeType, bool outgoing)
    {
        ArgumentNullException.ThrowIfNull(start);
        var limit = DepthLimit(maxDepth);
        if (!TryGetLiveNode(start, out var origin)) return [];
        var result = new List<string>();
        var visited = new HashSet<NodeState> { origin };
        var queue = new Queue<(NodeState Node, int Depth)>();
        queue.Enqueue((origin, 0));
        while (queue.TryDequeue(out var item))
        {
            result.Add(item.Node.Id);
            if (item.Depth >= limit) continue;
            foreach (ref readonly var next in (outgoing ? Outgoing(item.Node) : Incoming(item.Node)).AsSpan())
            {
                if (Follows(next, edgeType) && visited.Add(next.Other)) queue.Enqueue((next.Other, item.Depth + 1));
            }
        }

        return result;
    }

    private static bool Follows(in Adjacent adjacent, string? edgeType) =>
        Visible(adjacent)
        && (edgeType is null || string.Equals(adjacent.Edge.OldestAdd.EdgeType, edgeType, StringComparison.Ordinal));

    private static int DepthLimit(int? maxDepth)
    {
        if (maxDepth is not { } depth) return int.MaxValue;
        ArgumentOutOfRangeException.ThrowIfNegative(depth, nameof(maxDepth));
        return depth;
    }

    private static List<string> PathTo(NodeState goal, Dictionary<NodeState, NodeState> parents)
    {
        var path = new List<string>();
        for (var node = goal; ; node = parents[node])
        {
            path.Add(node.Id);
            if (ReferenceEquals(parents[node], node)) break;
        }

        path.Reverse();
        return path;
    }
}
