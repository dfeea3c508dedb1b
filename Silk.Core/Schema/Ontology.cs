using System.Collections.Immutable;
using Silk.Core.Wire;

namespace Silk.Core.Schema;

/// <summary>The declared kind of a property; written lowercase on the wire.</summary>
public enum ValueType
{
    String,
    Int,
    Float,
    Bool,
    List,
    Map,
    Any,
}

/// <summary>Maps keyed by type or property name, kept in UTF-8 byte order like the original's BTreeMaps.</summary>
public static class SortedMap
{
    public static ImmutableSortedDictionary<string, T> Empty<T>() => ImmutableSortedDictionary.Create<string, T>(Utf8Order.Instance);

    public static ImmutableSortedDictionary<string, T> From<T>(IEnumerable<KeyValuePair<string, T>> pairs)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, T>(Utf8Order.Instance);
        foreach (var (k, v) in pairs) builder[k] = v;
        return builder.ToImmutable();
    }
}

public sealed record PropertyDef(ValueType ValueType, bool Required = false, string? Description = null, ValueMap? Constraints = null);

public sealed record SubtypeDef(string? Description, ImmutableSortedDictionary<string, PropertyDef> Properties);

public sealed record NodeTypeDef(
    string? Description,
    ImmutableSortedDictionary<string, PropertyDef> Properties,
    ImmutableSortedDictionary<string, SubtypeDef>? Subtypes,
    string? ParentType);

public sealed record EdgeTypeDef(
    string? Description,
    ImmutableArray<string> SourceTypes,
    ImmutableArray<string> TargetTypes,
    ImmutableSortedDictionary<string, PropertyDef> Properties);

/// <summary>A typed schema: node types (with hierarchy and subtypes) and edge types.</summary>
public sealed record Ontology(
    ImmutableSortedDictionary<string, NodeTypeDef> NodeTypes,
    ImmutableSortedDictionary<string, EdgeTypeDef> EdgeTypes)
{
    /// <summary>BLAKE3 of the canonical JSON text, as the original's <c>content_hash</c>.</summary>
    public Hash ContentHash() => Hash.Compute(System.Text.Encoding.UTF8.GetBytes(OntologyJson.ToCanonicalJson(this)));
}

public sealed record NodeTypeUpdate(
    ImmutableSortedDictionary<string, PropertyDef> AddProperties,
    ImmutableArray<string> RelaxProperties,
    ImmutableSortedDictionary<string, SubtypeDef> AddSubtypes);

public sealed record EdgeTypeUpdate(
    ImmutableArray<string> AddSourceTypes,
    ImmutableArray<string> AddTargetTypes,
    ImmutableSortedDictionary<string, PropertyDef> AddProperties);

/// <summary>A monotonic schema change: new types and additive updates to existing ones.</summary>
public sealed record OntologyExtension(
    ImmutableSortedDictionary<string, NodeTypeDef> NodeTypes,
    ImmutableSortedDictionary<string, EdgeTypeDef> EdgeTypes,
    ImmutableSortedDictionary<string, NodeTypeUpdate> NodeTypeUpdates,
    ImmutableSortedDictionary<string, EdgeTypeUpdate> EdgeTypeUpdates);
