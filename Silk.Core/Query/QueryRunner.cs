using Silk.Core.Graph;
using Silk.Core.Indexing;

namespace Silk.Core.Query;

/// <summary>
/// Evaluates a <see cref="GraphQuery"/> against one consistent graph state (the live graph under its read
/// lock, or a time-travel snapshot). Every list it starts from is in ordinal id order (decision D6), so
/// results are deterministic. The start set comes from an index when one serves the query's selector (live graph
/// only: a snapshot has none and scans), else from a scan of the start type; then the steps, then the shape
/// (grouping, sort, cursor, skip, limit).
/// </summary>
public static partial class QueryRunner
{
    public static QueryResult Run(IGraphReader graph, GraphQuery query)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(query);
        var indexes = query.UseIndexes ? (graph as MaterializedGraph)?.Indexes : null;
        var nodeStart = query.Start as NodesStart;
        var plan = nodeStart is null ? null : IndexPlanner.Plan(query.Where, nodeStart.NodeType, indexes);
        if (plan is not null && ServesOrder(plan, query)) return RunInIndexOrder(graph, query, nodeStart!, plan);

        IReadOnlyList<NodeView>? nodes = null;
        IReadOnlyList<EdgeView>? edges = null;
        QueryPlan how;
        switch (query.Start)
        {
            case NodesStart s:
                (nodes, how) = plan is null ? ScanNodes(graph, s, query.Where, indexes) : IndexedNodes(graph, s, query.Where!, plan);
                break;
            case EdgesStart s:
                edges = graph.AllEdges();
                if (s.EdgeType is not null) edges = edges.Where(e => string.Equals(e.EdgeType, s.EdgeType, StringComparison.Ordinal)).ToList();
                how = QueryPlan.Scan(edges.Count, null);
                if (query.Where is { } where) edges = edges.Where(e => where.Matches(new QueryItem(null, e))).ToList();
                break;
            default:
                throw new ArgumentException($"unknown query start {query.Start.GetType().Name}", nameof(query));
        }

        var idOrder = true;
        foreach (var step in query.Steps)
        {
            switch (step)
            {
                case WhereStep w:
                    if (nodes is not null) nodes = nodes.Where(n => w.Selector.Matches(new QueryItem(n, null))).ToList();
                    else edges = edges!.Where(e => w.Selector.Matches(new QueryItem(null, e))).ToList();
                    break;
                case FollowStep f:
                    nodes = nodes is null ? [] : Follow(graph, nodes, f);
                    edges = null;
                    idOrder = false;
                    break;
                case LimitStep l:
                    (nodes, edges) = Take(nodes, edges, l.Count);
                    break;
                default:
                    throw new ArgumentException($"unknown query step {step.GetType().Name}", nameof(query));
            }
        }

        return Shape(nodes, edges, query, idOrder) with { Plan = how };
    }

    private static (IReadOnlyList<NodeView>, QueryPlan) ScanNodes(IGraphReader graph, NodesStart s, Selector? where, PropertyIndexSet? indexes)
    {
        IReadOnlyList<NodeView> nodes = s.NodeType is null ? graph.AllNodes() : graph.NodesByType(s.NodeType);
        var examined = nodes.Count;
        if (s.Subtype is not null) nodes = nodes.Where(n => string.Equals(n.Subtype, s.Subtype, StringComparison.Ordinal)).ToList();
        if (where is not null) nodes = nodes.Where(n => where.Matches(new QueryItem(n, null))).ToList();
        return (nodes, QueryPlan.Scan(examined, ScanNote(s, where, indexes)));
    }

    /// <summary>Why no index served: none on the type, one still building, or none the selector can use.</summary>
    private static string ScanNote(NodesStart s, Selector? where, PropertyIndexSet? indexes)
    {
        if (indexes is null) return "no index on this graph (time travel reads, and queries told not to use indexes, scan)";
        if (where is null) return "no selector on the start set";
        if (s.NodeType is null) return "indexes serve queries that start from one node type";
        var building = indexes.All.Where(i => i.State == IndexState.Building && i.Definition.NodeType == s.NodeType).Select(i => i.Definition.Name).ToList();
        if (building.Count > 0) return $"index {string.Join(", ", building)} on {s.NodeType} is still building";
        return $"no ready index on {s.NodeType} serves this selector (indexes serve equality, $in, ranges and $prefix at the top level)";
    }

    /// <summary>The start nodes from the index's ranges, checked against the whole selector, in id order.</summary>
    private static (IReadOnlyList<NodeView>, QueryPlan) IndexedNodes(IGraphReader graph, NodesStart s, Selector where, IndexPlan plan)
    {
        var matches = new List<NodeView>();
        long examined = 0;
        foreach (var range in plan.Ranges)
        {
            foreach (var entry in range.Walk(plan.Index.Tree, descending: false))
            {
                examined++;
                if (Candidate(graph, entry.NodeId, s, where) is { } node) matches.Add(node);
            }
        }

        matches.Sort(static (x, y) => Wire.Utf8Order.CompareStrings(x.NodeId, y.NodeId));
        return (matches, Used(plan, examined));
    }

    private static NodeView? Candidate(IGraphReader graph, string nodeId, NodesStart s, Selector where)
    {
        if (graph.GetNode(nodeId) is not { } node) return null;
        if (s.Subtype is not null && !string.Equals(node.Subtype, s.Subtype, StringComparison.Ordinal)) return null;
        return where.Matches(new QueryItem(node, null)) ? node : null;
    }

    private static QueryPlan Used(IndexPlan plan, long examined) =>
        new(QueryPlan.IndexStrategy, plan.Index.Definition.Name, plan.Use, examined, null);

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
