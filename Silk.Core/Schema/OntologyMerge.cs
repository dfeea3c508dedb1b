using System.Collections.Immutable;

namespace Silk.Core.Schema;

/// <summary>
/// Monotonic ontology evolution: an extension may add node and edge types, add properties and subtypes
/// to node types, relax required properties, and add endpoints and properties to edge types; it can
/// never remove or tighten. Works on immutable values, so a refused merge leaves nothing half applied.
/// </summary>
internal static class OntologyMerge
{
    /// <summary>Checks in the original's order (the first failure wins), applies, then re-checks consistency.</summary>
    public static Ontology Apply(Ontology current, OntologyExtension extension)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(extension);
        var refusal = FirstRefusal(current, extension);
        if (refusal is not null) throw new SchemaException(refusal);

        var merged = Merged(current, extension);
        if (OntologySelfCheck.FirstProblem(merged) is { } problem)
        {
            throw new SchemaException(SchemaViolation.ValidationFailed(problem));
        }

        return merged;
    }

    private static SchemaViolation? FirstRefusal(Ontology current, OntologyExtension extension)
    {
        if (ChangesNothing(extension)) return SchemaViolation.EmptyExtension();

        foreach (var name in extension.NodeTypes.Keys)
        {
            if (current.NodeTypes.ContainsKey(name)) return SchemaViolation.DuplicateNodeType(name);
        }

        foreach (var name in extension.EdgeTypes.Keys)
        {
            if (current.EdgeTypes.ContainsKey(name)) return SchemaViolation.DuplicateEdgeType(name);
        }

        foreach (var (name, update) in extension.NodeTypeUpdates)
        {
            if (NodeUpdateRefusal(current, name, update) is { } refusal) return refusal;
        }

        foreach (var (name, update) in extension.EdgeTypeUpdates)
        {
            if (EdgeUpdateRefusal(current, extension, name, update) is { } refusal) return refusal;
        }

        return null;
    }

    // An extension whose every part is empty would write a log entry that changes nothing (0.4.0 refuses it).
    private static bool ChangesNothing(OntologyExtension extension) =>
        extension.NodeTypes.IsEmpty
        && extension.EdgeTypes.IsEmpty
        && extension.NodeTypeUpdates.Values.All(u => u.AddProperties.IsEmpty && u.RelaxProperties.IsEmpty && u.AddSubtypes.IsEmpty)
        && extension.EdgeTypeUpdates.Values.All(u => u.AddSourceTypes.IsEmpty && u.AddTargetTypes.IsEmpty && u.AddProperties.IsEmpty);

    private static SchemaViolation? NodeUpdateRefusal(Ontology current, string name, NodeTypeUpdate update)
    {
        if (!current.NodeTypes.TryGetValue(name, out var node)) return SchemaViolation.UpdateOfUnknownNodeType(name);

        // Only the type's own properties count: adding a property that a parent declares overrides it.
        foreach (var property in update.AddProperties.Keys)
        {
            if (node.Properties.ContainsKey(property)) return SchemaViolation.DuplicateProperty(name, property);
        }

        // Relaxing an already optional property is allowed (idempotent).
        foreach (var property in update.RelaxProperties)
        {
            if (!node.Properties.ContainsKey(property)) return SchemaViolation.UnknownProperty(name, property);
        }

        if (node.Subtypes is { } subtypes)
        {
            foreach (var subtype in update.AddSubtypes.Keys)
            {
                if (subtypes.ContainsKey(subtype)) return SchemaViolation.DuplicateProperty(name, $"subtype:{subtype}");
            }
        }

        return null;
    }

    private static SchemaViolation? EdgeUpdateRefusal(Ontology current, OntologyExtension extension, string name, EdgeTypeUpdate update)
    {
        if (!current.EdgeTypes.TryGetValue(name, out var edge)) return SchemaViolation.UpdateOfUnknownEdgeType(name);
        return BindingRefusal(current, extension, name, edge.SourceTypes, update.AddSourceTypes)
            ?? BindingRefusal(current, extension, name, edge.TargetTypes, update.AddTargetTypes)
            ?? PropertyRefusal(name, edge.Properties, update.AddProperties);
    }

    // A binding may name a node type the same extension introduces. Binding a type twice changes nothing.
    private static SchemaViolation? BindingRefusal(
        Ontology current, OntologyExtension extension, string edgeType, ImmutableArray<string> bound, ImmutableArray<string> added)
    {
        for (var i = 0; i < added.Length; i++)
        {
            var nodeType = added[i];
            if (!current.NodeTypes.ContainsKey(nodeType) && !extension.NodeTypes.ContainsKey(nodeType))
            {
                return SchemaViolation.UnknownBindingType(edgeType, nodeType);
            }

            if (bound.Contains(nodeType, StringComparer.Ordinal) || added[..i].Contains(nodeType, StringComparer.Ordinal))
            {
                return SchemaViolation.DuplicateBinding(edgeType, nodeType);
            }
        }

        return null;
    }

    private static SchemaViolation? PropertyRefusal(
        string typeName, ImmutableSortedDictionary<string, PropertyDef> existing, ImmutableSortedDictionary<string, PropertyDef> added)
    {
        foreach (var property in added.Keys)
        {
            if (existing.ContainsKey(property)) return SchemaViolation.DuplicateProperty(typeName, property);
        }

        return null;
    }

    private static Ontology Merged(Ontology current, OntologyExtension extension)
    {
        var nodeTypes = current.NodeTypes.SetItems(extension.NodeTypes);
        var edgeTypes = current.EdgeTypes.SetItems(extension.EdgeTypes);

        foreach (var (name, update) in extension.NodeTypeUpdates)
        {
            nodeTypes = nodeTypes.SetItem(name, Updated(nodeTypes[name], update));
        }

        foreach (var (name, update) in extension.EdgeTypeUpdates)
        {
            var edge = edgeTypes[name];
            edgeTypes = edgeTypes.SetItem(name, edge with
            {
                SourceTypes = edge.SourceTypes.AddRange(update.AddSourceTypes),
                TargetTypes = edge.TargetTypes.AddRange(update.AddTargetTypes),
                Properties = edge.Properties.SetItems(update.AddProperties),
            });
        }

        return new Ontology(nodeTypes, edgeTypes);
    }

    private static NodeTypeDef Updated(NodeTypeDef node, NodeTypeUpdate update)
    {
        var properties = node.Properties.SetItems(update.AddProperties);
        foreach (var name in update.RelaxProperties)
        {
            properties = properties.SetItem(name, properties[name] with { Required = false });
        }

        // Adding subtypes to a type without any creates the map, which makes a subtype mandatory from now on.
        var subtypes = update.AddSubtypes.IsEmpty
            ? node.Subtypes
            : (node.Subtypes ?? SortedMap.Empty<SubtypeDef>()).SetItems(update.AddSubtypes);
        return node with { Properties = properties, Subtypes = subtypes };
    }
}
