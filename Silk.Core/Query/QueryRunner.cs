using Silk.Core.Graph;
using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>
/// Evaluates a <see cref="GraphQuery"/> against one consistent graph state (the live graph under its read
/// lock, or a time-travel snapshot). Every list it starts from is in ordinal id order (decision D6), so
/// results are deterministic.
/// </summary>
public static class QueryRunner
{
    public static QueryResult Run(IGraphReader graph, GraphQuery query)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<NodeView>? nodes = null;
        IReadOnlyList<EdgeView>? edges = null;
        switch (query.Start)
        {
            case NodesStart s:
                nodes = s.NodeType is null ? graph.AllNodes() : graph.NodesByType(s.NodeType);
                if (s.Subtype is not null) nodes = nodes.Where(n => string.Equals(n.Subtype, s.Subtype, StringComparison.Ordinal)).ToList();
                break;
            case EdgesStart s:
                edges = graph.AllEdges();
                if (s.EdgeType is not null) edges = edges.Where(e => string.Equals(e.EdgeType, s.EdgeType, StringComparison.Ordinal)).ToList();
                break;
            default:
                throw new ArgumentException($"unknown query start {query.Start.GetType().Name}", nameof(query));
        }

        foreach (var step in query.Steps)
        {
            switch (step)
            {
                case WhereStep w:
                    if (nodes is not null) nodes = nodes.Where(n => Matches(n.Properties, w.Properties)).ToList();
                    else edges = edges!.Where(e => Matches(e.Properties, w.Properties)).ToList();
                    break;
                case FollowStep f:
                    nodes = nodes is null ? [] : Follow(graph, nodes, f);
                    edges = null;
                    break;
                case LimitStep l:
                    (nodes, edges) = Take(nodes, edges, l.Count);
                    break;
                default:
                    throw new ArgumentException($"unknown query step {step.GetType().Name}", nameof(query));
            }
        }

        if (query.Limit is { } limit) (nodes, edges) = Take(nodes, edges, limit);
        return new QueryResult(nodes, edges);
    }

    private static bool Matches(ValueMap properties, ValueMap equals)
    {
        foreach (var (key, expected) in equals)
        {
            if (properties.TryGetValue(key, out var actual))
            {
                if (!actual.Equals(expected)) return false;
            }
            else if (!expected.IsNull)
            {
                return false;
            }
        }

        return true;
    }

    private static List<NodeView> Follow(IGraphReader graph, IReadOnlyList<NodeView> from, FollowStep step)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var targets = new List<NodeView>();
        foreach (var node in from)
        {
            if (step.Direction is EdgeDirection.Out or EdgeDirection.Both)
            {
                foreach (var edge in graph.OutgoingEdges(node.NodeId)) Visit(edge, edge.TargetId);
            }

            if (step.Direction is EdgeDirection.In or EdgeDirection.Both)
            {
                foreach (var edge in graph.IncomingEdges(node.NodeId)) Visit(edge, edge.SourceId);
            }
        }

        return targets;

        void Visit(EdgeView edge, string otherEnd)
        {
            if (step.EdgeType is not null && !string.Equals(edge.EdgeType, step.EdgeType, StringComparison.Ordinal)) return;
            if (otherEnd.Length == 0 || seen.Contains(otherEnd)) return;
            if (graph.GetNode(otherEnd) is { } target)
            {
                targets.Add(target);
                seen.Add(otherEnd);
            }
        }
    }

    private static (IReadOnlyList<NodeView>?, IReadOnlyList<EdgeView>?) Take(IReadOnlyList<NodeView>? nodes, IReadOnlyList<EdgeView>? edges, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return (nodes?.Take(count).ToList(), edges?.Take(count).ToList());
    }
}
