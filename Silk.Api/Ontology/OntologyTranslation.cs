using System.Collections.Immutable;
using Silk.Core.Schema;
using CoreOntology = Silk.Core.Schema.Ontology;
using CoreValueType = Silk.Core.Schema.ValueType;

namespace Silk.Api.Ontology;

/// <summary>Between the core's ontology model and its JSON definitions.</summary>
public static class OntologyTranslation
{
    public static OntologyDefinition ToDefinition(CoreOntology ontology)
    {
        ArgumentNullException.ThrowIfNull(ontology);
        return new OntologyDefinition(
            Map(ontology.NodeTypes, n => new NodeTypeDefinition(n.Description, Props(n.Properties), n.Subtypes is null ? null : Map(n.Subtypes, Subtype), n.ParentType)),
            Map(ontology.EdgeTypes, e => new EdgeTypeDefinition(e.SourceTypes, e.TargetTypes, e.Description, Props(e.Properties))),
            ontology.ContentHash().ToHex(),
            OntologyRules.Fingerprint(ontology));
    }

    /// <summary>The hash and fingerprint of an ontology whose content hash is already known.</summary>
    public static OntologyFacts ToFacts(CoreOntology ontology, Silk.Core.Wire.Hash contentHash)
    {
        ArgumentNullException.ThrowIfNull(ontology);
        return new OntologyFacts(contentHash.ToHex(), OntologyRules.Fingerprint(ontology));
    }

    public static OntologyExtension ToExtension(OntologyExtensionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OntologyExtension(
            Sorted(request.NodeTypes, ToNodeType),
            Sorted(request.EdgeTypes, ToEdgeType),
            Sorted(request.NodeTypeUpdates, u => new NodeTypeUpdate(Sorted(u.AddProperties, ToProperty), [.. u.RelaxProperties ?? []], Sorted(u.AddSubtypes, ToSubtype))),
            Sorted(request.EdgeTypeUpdates, u => new EdgeTypeUpdate([.. u.AddSourceTypes ?? []], [.. u.AddTargetTypes ?? []], Sorted(u.AddProperties, ToProperty))));
    }

    private static NodeTypeDef ToNodeType(NodeTypeDefinition d) =>
        new(d.Description, Sorted(d.Properties, ToProperty), d.Subtypes is null ? null : Sorted(d.Subtypes, ToSubtype), d.ParentType);

    private static EdgeTypeDef ToEdgeType(EdgeTypeDefinition d) =>
        new(d.Description, [.. d.SourceTypes], [.. d.TargetTypes], Sorted(d.Properties, ToProperty));

    private static SubtypeDef ToSubtype(SubtypeDefinition d) => new(d.Description, Sorted(d.Properties, ToProperty));

    private static PropertyDef ToProperty(PropertyDefinition d) => new((CoreValueType)(int)d.ValueType, d.Required, d.Description, d.Constraints);

    private static SubtypeDefinition Subtype(SubtypeDef s) => new(s.Description, Props(s.Properties));

    private static Dictionary<string, PropertyDefinition> Props(ImmutableSortedDictionary<string, PropertyDef> properties) =>
        Map(properties, p => new PropertyDefinition((PropertyValueType)(int)p.ValueType, p.Required, p.Description, p.Constraints));

    private static Dictionary<string, TOut> Map<TIn, TOut>(ImmutableSortedDictionary<string, TIn> source, Func<TIn, TOut> map)
    {
        var result = new Dictionary<string, TOut>(source.Count, StringComparer.Ordinal);
        foreach (var (k, v) in source) result[k] = map(v);
        return result;
    }

    private static ImmutableSortedDictionary<string, TOut> Sorted<TIn, TOut>(IReadOnlyDictionary<string, TIn>? source, Func<TIn, TOut> map) =>
        source is null ? SortedMap.Empty<TOut>() : SortedMap.From(source.Select(p => new KeyValuePair<string, TOut>(p.Key, map(p.Value))));
}
