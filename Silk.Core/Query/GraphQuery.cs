using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>
/// A fluent query as data (SPEC §19, the original's <c>Query</c> builder): a starting set of nodes or
/// edges, then steps applied in order, then an optional final limit.
/// </summary>
/// <param name="Start">The starting working set.</param>
/// <param name="Steps">Filters, hops and limits, applied in order.</param>
/// <param name="Limit">Keeps at most this many items at the end; null keeps all.</param>
public sealed record GraphQuery(QueryStart Start, IReadOnlyList<QueryStep> Steps, int? Limit = null);

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
/// <c>where(**equals)</c>: keeps items whose properties equal every given value (same kind and value, so
/// Int 1 ≠ Float 1.0). A null value also matches an absent property, as the original's <c>props.get(k) == None</c>.
/// </summary>
public sealed record WhereStep(ValueMap Properties) : QueryStep;

/// <summary>
/// <c>follow(edge_type, direction)</c>: replaces the working set with the distinct live nodes at the other end
/// of the working nodes' visible edges (of exactly <paramref name="EdgeType"/> when given), in discovery
/// order. Edges in the working set have no node id and contribute nothing, as in the original.
/// </summary>
public sealed record FollowStep(string? EdgeType = null, EdgeDirection Direction = EdgeDirection.Out) : QueryStep;

/// <summary><c>limit(n)</c>: keeps the first <paramref name="Count"/> items.</summary>
public sealed record LimitStep(int Count) : QueryStep;
