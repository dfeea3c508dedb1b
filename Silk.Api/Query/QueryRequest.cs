using System.Text.Json.Serialization;
using Silk.Api.Edges;
using Silk.Api.Nodes;
using Silk.Core.Query;
using Silk.Core.Wire;

namespace Silk.Api.Query;

/// <summary>
/// Body of <c>POST /query</c>: the fluent query builder as JSON, with selectors after CouchDB's Mango. The working
/// set starts as the nodes of <c>nodes</c> (a type, including its subtypes in the hierarchy; <c>*</c> or omitted for
/// every type) and <c>subtype</c>, or, when <c>edges</c> is given, as the edges of that type (<c>*</c> for every
/// type); <c>where</c> keeps the start items it matches (an index may serve it); then each step applies in order;
/// then the answer is shaped: <c>group_count</c> over every final item, then <c>sort</c>, <c>after</c>,
/// <c>skip</c> and <c>limit</c>, and <c>fields</c> on each item returned.
/// </summary>
/// <param name="Nodes">Start from the nodes of this type (and its descendants); <c>*</c> or omitted for all nodes.</param>
/// <param name="Subtype">With a node start: only nodes with exactly this subtype.</param>
/// <param name="Edges">Start from the edges of this type instead (<c>*</c> for all edges).</param>
/// <param name="Where">A selector on the start items: `{"status": "active", "score": {"$gte": 0.5}}`. See the README's query section for the operators.</param>
/// <param name="Steps">Filters (<c>where</c>, a selector), hops (<c>follow</c>) and cuts (<c>limit</c>), in order.</param>
/// <param name="Sort">Sort keys, each a name (ascending) or `{"name": "asc"|"desc"}`; a name is a field (`node_id`, `node_type`, `subtype`, `label`; for edges `edge_id`, `edge_type`, `source_id`, `target_id`) or else a property. Ordered by value kind (missing, null, bool, int, float, string, list, map) then value; ties by id.</param>
/// <param name="Fields">Return only these properties of each item (its id, type, subtype and label always come).</param>
/// <param name="Skip">Leave out this many items (after <c>after</c>).</param>
/// <param name="Limit">Keep at most this many items at the end; the answer's <c>next</c> then continues.</param>
/// <param name="After">Continue after this cursor: the <c>next</c> of the previous page of the same query.</param>
/// <param name="GroupCount">Also count the final items (before paging) by this field or property: `node_type`, `subtype`, or a property name.</param>
/// <param name="Explain">Also say how the start items were found (index or scan, candidates examined).</param>
/// <param name="Select">What to return: the items (<c>nodes</c>, the default), their <c>ids</c>, or only the <c>count</c>.</param>
public sealed record QueryRequest(
    string? Nodes = null,
    string? Subtype = null,
    string? Edges = null,
    ValueMap? Where = null,
    IReadOnlyList<QueryStepRequest>? Steps = null,
    IReadOnlyList<Value>? Sort = null,
    IReadOnlyList<string>? Fields = null,
    int? Skip = null,
    int? Limit = null,
    string? After = null,
    string? GroupCount = null,
    bool? Explain = null,
    QuerySelect Select = QuerySelect.Nodes);

/// <summary>One step of a query: exactly one of <c>where</c>, <c>follow</c> or <c>limit</c>.</summary>
/// <param name="Where">Keep the items this selector matches (plain values are equalities; a null also matches a missing property).</param>
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
/// <param name="Count">How many items this answer holds (after skip and limit).</param>
/// <param name="Nodes">The nodes, when the query ended on nodes and <c>select</c> is <c>nodes</c>.</param>
/// <param name="Edges">The edges, when the query started from edges, never followed, and <c>select</c> is <c>nodes</c>.</param>
/// <param name="Ids">The node or edge ids, when <c>select</c> is <c>ids</c>.</param>
/// <param name="Next">The cursor of the next page (pass it as <c>after</c> with the same query); only with a limit and when more follow.</param>
/// <param name="Groups">With <c>group_count</c>: each value and how many final items have it, in value order (null also counts items without it).</param>
/// <param name="Explain">With <c>explain</c>: how the start items were found.</param>
public sealed record QueryResponse(
    int Count,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Node>? Nodes = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Edge>? Edges = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Ids = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<QueryGroup>? Groups = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] QueryExplanation? Explain = null);

/// <summary>One group of <c>group_count</c>.</summary>
/// <param name="Value">The value (null also stands for a missing property or subtype).</param>
/// <param name="Count">How many items have it.</param>
public sealed record QueryGroup(Value Value, int Count);

/// <summary>How a query found its start items.</summary>
/// <param name="Strategy"><c>index</c> or <c>scan</c>.</param>
/// <param name="Index">The index read, with <c>index</c>.</param>
/// <param name="IndexUse">What it answered: <c>equality</c>, <c>in</c>, <c>range</c> or <c>prefix</c>.</param>
/// <param name="CandidatesExamined">Index entries read, or start items scanned, before the selector kept or dropped them.</param>
/// <param name="Note">Why it scanned, or how it read the index.</param>
/// <param name="Count">How many items the query answered.</param>
public sealed record QueryExplanation(
    string Strategy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IndexUse,
    long CandidatesExamined,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Note,
    int Count);
