using System.Collections.Immutable;
using Silk.Core.Wire;

namespace Silk.Core.Schema;

/// <summary>
/// An ontology as a set of facts, so two peers can tell whether one schema extends the other
/// (advisory only: nothing on the sync path depends on it).
/// </summary>
internal static class OntologyFingerprint
{
    public const string VersionFact = "fingerprint_version:2";

    /// <summary>
    /// The ontology's facts, sorted in UTF-8 order. Grammar (version 2; <c>vt</c> is the lowercase value
    /// type, <c>req</c> is <c>required</c> or <c>optional</c>):
    /// <code>
    /// fingerprint_version:2
    /// type:T                              every node type
    /// type:T:parent:P                     T declares parent_type P
    /// prop:T:p:vt:req                     T's own property p
    /// inherited:T:p:vt:req                p reaches T from an ancestor and T does not override it
    /// subtype:T:S                         T declares subtype S
    /// subprop:T:S:p:vt:req                S's own property p
    /// constraint:T:p:enum:m               one fact per string member m of an enum (other members are ignored)
    /// constraint:T:p:c:json               the other enforced constraints c (min, max, min_exclusive,
    ///                                     max_exclusive, min_length, max_length, pattern), bound as compact
    ///                                     JSON: 0 and 0.0 differ, a pattern is a quoted JSON string
    /// constraint:T:S:p:…                  the same two forms for a subtype's property
    /// edge:E                              every edge type
    /// edge:E:src:T / edge:E:tgt:T         each allowed source / target type
    /// edgeprop:E:p:vt:req                 E's property p
    /// edgeconstraint:E:p:…                the two constraint forms for an edge property
    /// </code>
    /// The 0.2.4 fingerprint had the type, parent, prop, subtype, subprop, enum-constraint and edge forms;
    /// version 2 adds the version fact, inherited, the other constraints, edgeprop and edgeconstraint.
    /// Constraints prefixed <c>x_</c> are not enforced and give no fact.
    /// </summary>
    public static IReadOnlyList<string> Facts(Ontology ontology)
    {
        ArgumentNullException.ThrowIfNull(ontology);
        var rules = new OntologyRules(ontology);
        var facts = new List<string> { VersionFact };

        foreach (var (name, node) in ontology.NodeTypes)
        {
            facts.Add($"type:{name}");
            if (node.ParentType is { } parent) facts.Add($"type:{name}:parent:{parent}");
            AddProperties(facts, "prop", name, "constraint", name, node.Properties);
            foreach (var (property, def) in rules.EffectiveProperties(name))
            {
                if (!node.Properties.ContainsKey(property)) facts.Add($"inherited:{name}:{property}:{Describe(def)}");
            }

            foreach (var (subName, sub) in node.Subtypes ?? SortedMap.Empty<SubtypeDef>())
            {
                facts.Add($"subtype:{name}:{subName}");
                AddProperties(facts, "subprop", $"{name}:{subName}", "constraint", $"{name}:{subName}", sub.Properties);
            }
        }

        foreach (var (name, edge) in ontology.EdgeTypes)
        {
            facts.Add($"edge:{name}");
            facts.AddRange(edge.SourceTypes.Select(t => $"edge:{name}:src:{t}"));
            facts.AddRange(edge.TargetTypes.Select(t => $"edge:{name}:tgt:{t}"));
            AddProperties(facts, "edgeprop", name, "edgeconstraint", name, edge.Properties);
        }

        return facts.Distinct(StringComparer.Ordinal).Order(Utf8Order.Instance).ToImmutableArray();
    }

    /// <summary>
    /// Identical when the content hashes are equal (the facts are not looked at then) or the fact sets are;
    /// otherwise superset when the local facts include all foreign ones, subset when the reverse holds, else divergent.
    /// </summary>
    public static OntologyCompatibility Compare(Ontology local, string foreignHashHex, IReadOnlyCollection<string> foreignFacts)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(foreignFacts);
        if (string.Equals(local.ContentHash().ToHex(), foreignHashHex, StringComparison.OrdinalIgnoreCase)) return OntologyCompatibility.Identical;

        var mine = new HashSet<string>(Facts(local), StringComparer.Ordinal);
        var theirs = new HashSet<string>(foreignFacts, StringComparer.Ordinal);
        var includesTheirs = mine.IsSupersetOf(theirs);
        var withinTheirs = mine.IsSubsetOf(theirs);
        return (includesTheirs, withinTheirs) switch
        {
            (true, true) => OntologyCompatibility.Identical,
            (true, false) => OntologyCompatibility.Superset,
            (false, true) => OntologyCompatibility.Subset,
            _ => OntologyCompatibility.Divergent,
        };
    }

    private static void AddProperties(
        List<string> facts, string propertyTag, string scope, string constraintTag, string constraintScope,
        ImmutableSortedDictionary<string, PropertyDef> properties)
    {
        foreach (var (property, def) in properties)
        {
            facts.Add($"{propertyTag}:{scope}:{property}:{Describe(def)}");
            if (def.Constraints is null) continue;
            foreach (var (constraint, bound) in def.Constraints)
            {
                if (!PropertyConstraints.EnforcedNames.Contains(constraint, StringComparer.Ordinal)) continue;
                var prefix = $"{constraintTag}:{constraintScope}:{property}:{constraint}:";
                if (constraint == "enum")
                {
                    if (bound.Kind != ValueKind.List) continue;
                    facts.AddRange(bound.AsList.Where(m => m.Kind == ValueKind.String).Select(m => prefix + m.AsString));
                }
                else
                {
                    facts.Add(prefix + ValueJson.ToJson(bound));
                }
            }
        }
    }

    private static string Describe(PropertyDef def) =>
        $"{ValueTypeNames.ToWire(def.ValueType)}:{(def.Required ? "required" : "optional")}";
}
