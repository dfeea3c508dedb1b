using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Api.Ontology;

/// <summary>The kind of value a property holds.</summary>
public enum PropertyValueType
{
    String,
    Int,
    Float,
    Bool,
    List,
    Map,
    Any,
}

/// <summary>An ontology: node types (with hierarchy and subtypes) and edge types, with its hash and fingerprint.</summary>
/// <param name="NodeTypes">Node types by name.</param>
/// <param name="EdgeTypes">Edge types by name.</param>
/// <param name="Hash">Content hash of the ontology (BLAKE3 of its canonical JSON; descriptions count), as in <c>GET /info</c>.</param>
/// <param name="Fingerprint">The ontology as sorted facts (<c>fingerprint_version:2</c>, <c>type:T</c>, <c>prop:T:p:vt:required|optional</c>, <c>edge:E:src:T</c>, …); compare two with <c>POST /ontology/compatibility</c>.</param>
public sealed record OntologyDefinition(
    IReadOnlyDictionary<string, NodeTypeDefinition> NodeTypes,
    IReadOnlyDictionary<string, EdgeTypeDefinition> EdgeTypes,
    string Hash,
    IReadOnlyList<string> Fingerprint);

/// <summary>An ontology's identity: its content hash and fingerprint (body of <c>POST /ontology/compatibility</c>, answer of <c>GET /sync/ontology</c>).</summary>
/// <param name="Hash">Content hash of the ontology, 64 hex digits.</param>
/// <param name="Fingerprint">Its facts, as <c>GET /ontology</c> lists them (order does not matter).</param>
public sealed record OntologyFacts(string Hash, IReadOnlyList<string> Fingerprint);

/// <summary>Answer of <c>POST /ontology/compatibility</c>.</summary>
/// <param name="Verdict"><c>identical</c> (same hash, or same facts), <c>superset</c> (this store knows every fact of the other and more), <c>subset</c> (the other knows more) or <c>divergent</c> (each has facts the other lacks).</param>
/// <param name="LocalHash">The content hash of this store's ontology it was compared with.</param>
public sealed record CompatibilityVerdict(OntologyCompatibility Verdict, string LocalHash);

/// <summary>A node type.</summary>
/// <param name="Description">What it is.</param>
/// <param name="Properties">Its own properties (a type also has its ancestors' properties).</param>
/// <param name="Subtypes">Its subtypes by name; when it has any, every node of the type names one.</param>
/// <param name="ParentType">The type it inherits properties from, if any.</param>
public sealed record NodeTypeDefinition(
    string? Description = null,
    IReadOnlyDictionary<string, PropertyDefinition>? Properties = null,
    IReadOnlyDictionary<string, SubtypeDefinition>? Subtypes = null,
    string? ParentType = null);

/// <summary>A subtype of a node type.</summary>
/// <param name="Description">What it is.</param>
/// <param name="Properties">Properties of nodes of this subtype, on top of the type's.</param>
public sealed record SubtypeDefinition(string? Description = null, IReadOnlyDictionary<string, PropertyDefinition>? Properties = null);

/// <summary>An edge type.</summary>
/// <param name="SourceTypes">Node types an edge may leave (their descendants too).</param>
/// <param name="TargetTypes">Node types an edge may arrive at (their descendants too).</param>
/// <param name="Description">What it means.</param>
/// <param name="Properties">Its properties.</param>
public sealed record EdgeTypeDefinition(
    IReadOnlyList<string> SourceTypes,
    IReadOnlyList<string> TargetTypes,
    string? Description = null,
    IReadOnlyDictionary<string, PropertyDefinition>? Properties = null);

/// <summary>A property of a node type, subtype or edge type.</summary>
/// <param name="ValueType">The kind of value it holds.</param>
/// <param name="Required">Whether every node or edge of the type must have it.</param>
/// <param name="Description">What it means.</param>
/// <param name="Constraints">Checks on its values by name (e.g. <c>enum</c>, <c>min</c>, <c>max</c>, <c>pattern</c>); names starting with <c>x_</c> are kept but not enforced.</param>
public sealed record PropertyDefinition(
    PropertyValueType ValueType,
    bool Required = false,
    string? Description = null,
    ValueMap? Constraints = null);

/// <summary>Body of <c>POST /ontology/extensions</c>: a monotonic change, new types and additions to existing ones.</summary>
/// <param name="NodeTypes">New node types.</param>
/// <param name="EdgeTypes">New edge types.</param>
/// <param name="NodeTypeUpdates">Additions to existing node types, by name.</param>
/// <param name="EdgeTypeUpdates">Additions to existing edge types, by name.</param>
public sealed record OntologyExtensionRequest(
    IReadOnlyDictionary<string, NodeTypeDefinition>? NodeTypes = null,
    IReadOnlyDictionary<string, EdgeTypeDefinition>? EdgeTypes = null,
    IReadOnlyDictionary<string, NodeTypeUpdateDefinition>? NodeTypeUpdates = null,
    IReadOnlyDictionary<string, EdgeTypeUpdateDefinition>? EdgeTypeUpdates = null);

/// <summary>Additions to an existing node type.</summary>
/// <param name="AddProperties">New optional properties.</param>
/// <param name="RelaxProperties">Required properties that become optional.</param>
/// <param name="AddSubtypes">New subtypes.</param>
public sealed record NodeTypeUpdateDefinition(
    IReadOnlyDictionary<string, PropertyDefinition>? AddProperties = null,
    IReadOnlyList<string>? RelaxProperties = null,
    IReadOnlyDictionary<string, SubtypeDefinition>? AddSubtypes = null);

/// <summary>Additions to an existing edge type.</summary>
/// <param name="AddSourceTypes">More node types the edge may leave.</param>
/// <param name="AddTargetTypes">More node types the edge may arrive at.</param>
/// <param name="AddProperties">New optional properties.</param>
public sealed record EdgeTypeUpdateDefinition(
    IReadOnlyList<string>? AddSourceTypes = null,
    IReadOnlyList<string>? AddTargetTypes = null,
    IReadOnlyDictionary<string, PropertyDefinition>? AddProperties = null);
