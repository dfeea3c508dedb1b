using System.Collections.Immutable;

namespace Silk.Core.Schema;

/// <summary>
/// Whether an ontology is internally consistent: run on every declared ontology and after every
/// extension merge. parent_type cycles are allowed (hierarchy walks are bounded instead).
/// </summary>
internal static class OntologySelfCheck
{
    /// <summary>Unenforced constraints must say so, so that a typo like "minimum" is not silently ignored.</summary>
    public const string UnenforcedPrefix = "x_";

    public static SchemaViolation? FirstProblem(Ontology ontology)
    {
        ArgumentNullException.ThrowIfNull(ontology);
        return DanglingEndpoint(ontology) ?? DanglingParent(ontology) ?? UnknownConstraint(ontology);
    }

    private static SchemaViolation? DanglingEndpoint(Ontology ontology)
    {
        foreach (var (edgeName, edge) in ontology.EdgeTypes)
        {
            foreach (var source in edge.SourceTypes)
            {
                if (!ontology.NodeTypes.ContainsKey(source))
                {
                    return SchemaViolation.InvalidSource(edgeName, source, ontology.NodeTypes.Keys);
                }
            }

            foreach (var target in edge.TargetTypes)
            {
                if (!ontology.NodeTypes.ContainsKey(target))
                {
                    return SchemaViolation.InvalidTarget(edgeName, target, ontology.NodeTypes.Keys);
                }
            }
        }

        return null;
    }

    private static SchemaViolation? DanglingParent(Ontology ontology)
    {
        foreach (var (name, node) in ontology.NodeTypes)
        {
            if (node.ParentType is { } parent && !ontology.NodeTypes.ContainsKey(parent))
            {
                return SchemaViolation.UnknownParentType(name, parent);
            }
        }

        return null;
    }

    private static SchemaViolation? UnknownConstraint(Ontology ontology)
    {
        foreach (var (name, node) in ontology.NodeTypes)
        {
            if (UnknownConstraint(name, node.Properties) is { } own) return own;
            foreach (var (subName, sub) in node.Subtypes ?? SortedMap.Empty<SubtypeDef>())
            {
                if (UnknownConstraint($"{name}:{subName}", sub.Properties) is { } inSubtype) return inSubtype;
            }
        }

        foreach (var (name, edge) in ontology.EdgeTypes)
        {
            if (UnknownConstraint(name, edge.Properties) is { } onEdge) return onEdge;
        }

        return null;
    }

    private static SchemaViolation? UnknownConstraint(string typeName, ImmutableSortedDictionary<string, PropertyDef> properties)
    {
        foreach (var (property, def) in properties)
        {
            if (def.Constraints is null) continue;
            foreach (var constraint in def.Constraints.Keys)
            {
                if (constraint.StartsWith(UnenforcedPrefix, StringComparison.Ordinal)) continue;
                if (PropertyConstraints.EnforcedNames.Contains(constraint, StringComparer.Ordinal)) continue;
                return SchemaViolation.UnknownConstraint(typeName, property, constraint, PropertyConstraints.EnforcedNames);
            }
        }

        return null;
    }
}
