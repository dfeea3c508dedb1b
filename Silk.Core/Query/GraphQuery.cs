using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>
/// A fluent query as data (SPEC §19, the original's <c>Query</c> builder): a starting set of nodes or
/// edges, then steps applied in order, then an optional final limit; and (issue 20) a selector on the start set,
/// a sort, a cursor, a skip and a grouping, applied at the end in that order (grouping counts before paging).
/// </summary>
/// <param name="Start">The starting working set.</param>
/// <param name="Steps">Filters, hops and limits, applied in order.</param>
/// <param name="Limit">Keeps at most this many items at the end; null keeps all.</param>
public sealed record GraphQuery(QueryStart Start, IReadOnlyList<QueryStep> Steps, int? Limit = null)
{
    /// <summary>Keeps the start items it matches, before the steps; an index may serve it.</summary>
    public Selector? Where { get; init; }

    /// <summary>Orders the final items by these keys (then by id); empty keeps the working order.</summary>
    public IReadOnlyList<SortKey> Sort { get; init; } = [];

    /// <summary>Starts after this cursor (from a previous page's <see cref="QueryResult.Next"/>).</summary>
    public QueryCursor? After { get; init; }

    /// <summary>Leaves out this many items (after the cursor) before the limit.</summary>
    public int Skip { get; init; }

    /// <summary>Counts the final items (before paging) by this field or property.</summary>
    public QueryField? GroupBy { get; init; }

    /// <summary>False makes every query scan (to compare with what an index answers).</summary>
    public bool UseIndexes { get; init; } = true;
}

/// <summary>One sort key: a field or property, ascending unless <paramref name="Descending"/>.</summary>
public sealed record SortKey(QueryField Field, bool Descending = false);

/// <summary>The starting working set of a <see cref="GraphQuery"/>.</summary>
public abstract record QueryStart;

/// <summary>
/// <c>nodes(node_type, subtype)</c>: live nodes whose type is <paramref name="NodeType"/> or one of its
/// descendants (all types when null), optionally only those whose subtype is exactly <paramref name="Subtype"/>.
/// </summary>
public sealed record NodesStart(string? NodeType = null, string? Subtype = null) : QueryStart;

/// <summary><c>edges(edge_type)</c>: visible edges of exactly <paramref name="EdgeType"/> (all types when null).</summary>
public sealed record EdgesStart(string? EdgeType = null) : QueryStart;

/// <summary>One step of a <see cref="GraphQuery"/>.</summary>
public abstract record QueryStep;

/// <summary>
/// <c>where</c>: keeps the items the selector matches. From a property map (the original's <c>where(**equals)</c>):
/// items whose properties equal every given value (same kind and value, so Int 1 ≠ Float 1.0); a null value also
/// matches an absent property, as the original's <c>props.get(k) == None</c>.
/// </summary>
public sealed record WhereStep(Selector Selector) : QueryStep
{
    public WhereStep(ValueMap properties) : this(Selector.PropertyEquals(properties))
    {
    }
}

/// <summary>
/// <c>follow(edge_type, direction)</c>: replaces the working set with the distinct live nodes at the other end
/// of the working nodes' visible edges (of exactly <paramref name="EdgeType"/> when given), in discovery
/// order. Edges in the working set have no node id and contribute nothing, as in the original.
/// </summary>
public sealed record FollowStep(string? EdgeType = null, EdgeDirection Direction = EdgeDirection.Out) : QueryStep;

/// <summary><c>limit(n)</c>: keeps the first <paramref name="Count"/> items.</summary>
public sealed record LimitStep(int Count) : QueryStep;
