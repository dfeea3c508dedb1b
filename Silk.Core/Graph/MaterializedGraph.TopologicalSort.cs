using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>topological_sort and has_cycle (SPEC §11) over live nodes and visible edges.</summary>
public sealed partial class MaterializedGraph
{
    /// <summary>
    /// Kahn's algorithm: the nodes without incoming visible edges first, in ordinal id order; then each
    /// node freed by removing a node's outgoing edges (visited in neighbour id order) joins the back of
    /// the queue. Isolated nodes are included. Null when some nodes are never freed: a cycle, a
    /// self-loop included.
    /// </summary>
    public IReadOnlyList<string>? TopologicalSort()
    {
        var live = new List<NodeState>();
        var inDegree = new Dictionary<NodeState, int>();
        foreach (var node in _nodes.Values)
        {
            if (!node.Alive) continue;
            live.Add(node);
            inDegree[node] = 0;
        }

        foreach (var node in live)
        {
            foreach (ref readonly var next in Outgoing(node).AsSpan())
            {
                if (Visible(next)) inDegree[next.Other]++;
            }
        }

        var sources = new List<NodeState>();
        foreach (var node in live)
        {
            if (inDegree[node] == 0) sources.Add(node);
        }

        sources.Sort(static (x, y) => Utf8Order.CompareStrings(x.Id, y.Id));
        var queue = new Queue<NodeState>(sources);
        var order = new List<string>(live.Count);
        while (queue.TryDequeue(out var node))
        {
            order.Add(node.Id);
            foreach (ref readonly var next in Outgoing(node).AsSpan())
            {
                if (!Visible(next)) continue;
                var remaining = inDegree[next.Other] - 1;
                inDegree[next.Other] = remaining;
                if (remaining == 0) queue.Enqueue(next.Other);
            }
        }

        return order.Count == live.Count ? order : null;
    }

    public bool HasCycle() => TopologicalSort() is null;
}
