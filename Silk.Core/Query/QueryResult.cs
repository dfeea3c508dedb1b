using Silk.Core.Graph;
using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>The final working set of a <see cref="GraphQuery"/>: nodes, or edges when it started from edges and never followed.</summary>
public sealed record QueryResult(IReadOnlyList<NodeView>? Nodes, IReadOnlyList<EdgeView>? Edges)
{
    public bool IsEdges => Edges is not null;

    /// <summary>The <c>collect_ids()</c> form: node ids or edge ids, in working-set order.</summary>
    public IReadOnlyList<string> Ids => Nodes is not null ? Nodes.Select(n => n.NodeId).ToList() : Edges!.Select(e => e.EdgeId).ToList();

    /// <summary>The <c>count()</c> form.</summary>
    public int Count => Nodes?.Count ?? Edges!.Count;

    /// <summary>The cursor of the next page; null when nothing follows (or no limit was set).</summary>
    public QueryCursor? Next { get; init; }

    /// <summary>With a grouping: how many final items (before paging) have each value, in value order.</summary>
    public IReadOnlyList<GroupCount>? Groups { get; init; }

    /// <summary>How the start set was found.</summary>
    public QueryPlan Plan { get; init; } = QueryPlan.Scan(0, null);
}

/// <summary>Items whose grouped field or property has <paramref name="Value"/> (null also counts items without it).</summary>
public sealed record GroupCount(Value Value, int Count);

/// <summary>
/// What a query did to find its start items: read them from an index (which, and for what) or scan the start type,
/// and how many candidates it examined before the selector kept or dropped them.
/// </summary>
public sealed record QueryPlan(string Strategy, string? Index, string? IndexUse, long CandidatesExamined, string? Note)
{
    public const string IndexStrategy = "index";
    public const string ScanStrategy = "scan";

    public static QueryPlan Scan(long examined, string? note) => new(ScanStrategy, null, null, examined, note);
}
