using System.Text.Json.Serialization;
using Silk.Api.Edges;
using Silk.Api.Nodes;
using Silk.Core.Query;
using Silk.Core.Wire;

namespace Silk.Api.Query;

/// <summary>
/// Body of <c>POST /query</c>: the fluent query builder as JSON. The working set starts as the nodes of
/// <c>nodes</c> (a type, including its subtypes in the hierarchy; <c>*</c> or omitted for every type) and
/// <c>subtype</c>, or, when <c>edges</c> is given, as the edges of that type (<c>*</c> for every type);
/// then each step applies in order; then <c>limit</c>.
/// </summary>
/// <param name="Nodes">Start from the nodes of this type (and its descendants); <c>*</c> or omitted for all nodes.</param>
/// <param name="Subtype">With a node start: only nodes with exactly this subtype.</param>
/// <param name="Edges">Start from the edges of this type instead (<c>*</c> for all edges).</param>
/// <param name="Steps">Filters (<c>where</c>), hops (<c>follow</c>) and cuts (<c>limit</c>), in order.</param>
/// <param name="Limit">Keep at most this many items at the end.</param>
/// <param name="Select">What to return: the items (<c>nodes</c>, the default), their <c>ids</c>, or only the <c>count</c>.</param>
public sealed record QueryRequest(
    string? Nodes = null,
    string? Subtype = null,
    string? Edges = null,
    IReadOnlyList<QueryStepRequest>? Steps = null,
    int? Limit = null,
    QuerySelect Select = QuerySelect.Nodes);

/// <summary>One step of a query: exactly one of <c>where</c>, <c>follow</c> or <c>limit</c>.</summary>
/// <param name="Where">Keep the items whose properties equal all of these values (a null also matches a missing property).</param>
/// <param name="Follow">Replace the working nodes by their distinct neighbours over edges of this type (<c>*</c> for every type).</param>
/// <param name="Direction">With <c>follow</c>: <c>out</c> (the default), <c>in</c> or <c>both</c>.</param>
/// <param name="Limit">Keep the first this many items.</param>
public sealed record QueryStepRequest(ValueMap? Where = null, string? Follow = null, EdgeDirection? Direction = null, int? Limit = null);

/// <summary>What <c>POST /query</c> returns.</summary>
public enum QuerySelect
{
    /// <summary>The node (or edge) dicts.</summary>
    Nodes,

    /// <summary>Only their ids.</summary>
    Ids,

    /// <summary>Only how many there are.</summary>
    Count,
}

/// <summary>The result of a query: always the count, and the items or ids as selected.</summary>
/// <param name="Count">How many items the query ended with.</param>
/// <param name="Nodes">The nodes, when the query ended on nodes and <c>select</c> is <c>nodes</c>.</param>
/// <param name="Edges">The edges, when the query started from edges, never followed, and <c>select</c> is <c>nodes</c>.</param>
/// <param name="Ids">The node or edge ids, when <c>select</c> is <c>ids</c>.</param>
public sealed record QueryResponse(
    int Count,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Node>? Nodes = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Edge>? Edges = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Ids = null);
