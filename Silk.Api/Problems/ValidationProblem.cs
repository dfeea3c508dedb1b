using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Silk.Api.Problems;

/// <summary>
/// A request refused by a rule (422, or 409 for a missing edge endpoint): of the ontology, a value limit, or the sync
/// protocol (<c>sync_rejected</c>). <c>rule</c> names it, <c>detail</c> is the message, and the other members are there when they apply.
/// </summary>
public sealed class ValidationProblem : ProblemDetails
{
    /// <summary>The rule that refused the write, e.g. <c>unknown_node_type</c>, <c>missing_required_property</c>, <c>constraint_violation</c>, <c>value_limit</c>.</summary>
    public required string Rule { get; init; }

    /// <summary><c>value_limit</c>: the limit's name (<c>max_depth</c>, <c>max_string_bytes</c>, <c>max_items</c>, <c>max_id_bytes</c>, <c>max_key_bytes</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Limit { get; init; }

    /// <summary><c>value_limit</c>: the limit's value (levels, bytes or items).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? LimitValue { get; init; }

    /// <summary>The node or edge type at fault.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TypeName { get; init; }

    /// <summary>The offending node type of a source, target or binding problem, or a missing parent type.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NodeType { get; init; }

    /// <summary>The property at fault.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Property { get; init; }

    /// <summary>The constraint that failed (<c>pattern</c>, <c>enum</c>, <c>min</c>, …).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Constraint { get; init; }

    /// <summary>The value type the property requires (<c>string</c>, <c>int</c>, …).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Expected { get; init; }

    /// <summary>The kind of the value that had the wrong type.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Got { get; init; }

    /// <summary>Allowed subtypes, allowed endpoint types, or the enforced constraint names.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Allowed { get; init; }
}
