using System.Collections.Immutable;
using Silk.Core.Wire;

namespace Silk.Core.Schema;

/// <summary>
/// The validation rules of one ontology, precomputed: effective (inherited) property tables per node
/// type and subtype, compiled constraints, and the type hierarchy. Immutable and thread-safe; build one
/// per ontology version and share it.
/// </summary>
public sealed class OntologyRules
{
    private readonly TypeHierarchy _hierarchy;
    private readonly Dictionary<string, NodeRules> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EdgeRules> _edges = new(StringComparer.Ordinal);

    public OntologyRules(Ontology ontology)
    {
        ArgumentNullException.ThrowIfNull(ontology);
        Ontology = ontology;
        _hierarchy = new TypeHierarchy(ontology);
        foreach (var (name, def) in ontology.NodeTypes)
        {
            _nodes[name] = new NodeRules(def, EffectiveLayers(ontology, _hierarchy.Ancestors(name), def));
        }

        foreach (var (name, def) in ontology.EdgeTypes)
        {
            _edges[name] = new EdgeRules(def, def.Properties.Count == 0 ? PropertyTable.Empty : new PropertyTable(def.Properties));
        }
    }

    public Ontology Ontology { get; }

    /// <summary>enum, min, max, min_exclusive, max_exclusive, min_length, max_length, pattern — in checking order.</summary>
    public static IReadOnlyList<string> EnforcedConstraintNames { get; } = PropertyConstraints.EnforcedNames;

    public bool HasNodeType(string nodeType) => _nodes.ContainsKey(nodeType);

    public bool HasEdgeType(string edgeType) => _edges.ContainsKey(edgeType);

    /// <summary>True when the types are equal or <paramref name="ancestor"/> is on the parent_type chain of <paramref name="nodeType"/>.</summary>
    public bool IsSameOrDescendant(string nodeType, string ancestor) => _hierarchy.IsSameOrDescendant(nodeType, ancestor);

    /// <summary>The type itself first, then all its descendants in UTF-8 order: what a query for the type covers.</summary>
    public IReadOnlyList<string> SelfAndDescendants(string nodeType) => _hierarchy.SelfAndDescendants(nodeType);

    /// <summary>
    /// add_node: known type; a subtype when the type declares subtypes (an unknown subtype is accepted
    /// and checked against the type's own table); then the properties against inherited + own (+ subtype)
    /// definitions. <paramref name="skipRequired"/> is for checkpoint replay, whose nodes carry no properties.
    /// </summary>
    public SchemaViolation? ValidateNode(string nodeType, string? subtype, ValueMap properties, bool skipRequired = false)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (!_nodes.TryGetValue(nodeType, out var node)) return SchemaViolation.UnknownNodeType(nodeType);
        if (node.Definition.Subtypes is { } declared && subtype is null)
        {
            return SchemaViolation.MissingSubtype(nodeType, declared.Keys);
        }

        return node.TableFor(subtype).Validate(nodeType, properties, skipRequired);
    }

    /// <summary>
    /// add_edge: known edge type, source and target each equal to or descended from an allowed type,
    /// then the properties against the edge type's own definitions. <paramref name="skipRequired"/> is for
    /// checkpoint replay, whose edges carry no properties either (the original replays every inner op so).
    /// </summary>
    public SchemaViolation? ValidateEdge(string edgeType, string sourceType, string targetType, ValueMap properties, bool skipRequired = false)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (!_edges.TryGetValue(edgeType, out var edge)) return SchemaViolation.UnknownEdgeType(edgeType);
        if (!AllowsEndpoint(edge.Definition.SourceTypes, sourceType))
        {
            return SchemaViolation.InvalidSource(edgeType, sourceType, edge.Definition.SourceTypes);
        }

        if (!AllowsEndpoint(edge.Definition.TargetTypes, targetType))
        {
            return SchemaViolation.InvalidTarget(edgeType, targetType, edge.Definition.TargetTypes);
        }

        return edge.Table.Validate(edgeType, properties, skipRequired);
    }

    private bool AllowsEndpoint(ImmutableArray<string> allowed, string nodeType)
    {
        foreach (var type in allowed)
        {
            if (_hierarchy.IsSameOrDescendant(nodeType, type)) return true;
        }

        return false;
    }

    /// <summary>
    /// update_property on a node. Unknown types and keys are accepted. Only the type's OWN properties
    /// (plus a known subtype's) are checked — inherited ones are not, as in the original.
    /// </summary>
    public SchemaViolation? ValidatePropertyUpdate(string nodeType, string? subtype, string key, Value value)
    {
        if (!_nodes.TryGetValue(nodeType, out var node)) return null;
        return node.UpdateTableFor(subtype).ValidateOne(nodeType, key, value);
    }

    /// <summary>
    /// The stricter check for a LOCAL update_property: inherited (parent_type) properties count too.
    /// Refusing locally what a remote peer would accept cannot split peers: nothing is written.
    /// </summary>
    public SchemaViolation? ValidateLocalPropertyUpdate(string nodeType, string? subtype, string key, Value value)
    {
        if (!_nodes.TryGetValue(nodeType, out var node)) return null;
        return node.TableFor(subtype).ValidateOne(nodeType, key, value);
    }

    /// <summary>update_property on an edge: the edge type's properties; unknown types and keys are accepted.</summary>
    public SchemaViolation? ValidateEdgePropertyUpdate(string edgeType, string key, Value value)
    {
        if (!_edges.TryGetValue(edgeType, out var edge)) return null;
        return edge.Table.ValidateOne(edgeType, key, value);
    }

    /// <summary>
    /// Consistency of an ontology, checked in this order (the first problem is reported): edge endpoint
    /// types exist (edge types in order, sources before targets), parent types exist, and every constraint
    /// name is enforced or prefixed <c>x_</c> (node types with their subtypes, then edge types).
    /// </summary>
    public static SchemaViolation? ValidateSelf(Ontology ontology) => OntologySelfCheck.FirstProblem(ontology);

    /// <summary>
    /// Applies a monotonic extension and returns the new ontology; <paramref name="current"/> is never
    /// modified. A refused extension throws <see cref="SchemaException"/>.
    /// </summary>
    public static Ontology Merge(Ontology current, OntologyExtension extension) => OntologyMerge.Apply(current, extension);

    /// <inheritdoc cref="OntologyFingerprint.Facts"/>
    public static IReadOnlyList<string> Fingerprint(Ontology ontology) => OntologyFingerprint.Facts(ontology);

    /// <inheritdoc cref="OntologyFingerprint.Compare"/>
    public static OntologyCompatibility CheckCompatibility(Ontology local, string foreignHashHex, IReadOnlyCollection<string> foreignFacts) =>
        OntologyFingerprint.Compare(local, foreignHashHex, foreignFacts);

    /// <summary>The properties a node of the type is validated against without a subtype: inherited and own.</summary>
    internal ImmutableSortedDictionary<string, PropertyDef> EffectiveProperties(string nodeType) =>
        _nodes.TryGetValue(nodeType, out var node) ? node.TableFor(null).Definitions : SortedMap.Empty<PropertyDef>();

    /// <summary>Most general ancestor first, then each more specific type, the type itself last (as the original walks it).</summary>
    private static IEnumerable<ImmutableSortedDictionary<string, PropertyDef>> EffectiveLayers(
        Ontology ontology, ImmutableArray<string> ancestors, NodeTypeDef self)
    {
        for (var i = ancestors.Length - 1; i >= 0; i--)
        {
            if (ontology.NodeTypes.TryGetValue(ancestors[i], out var ancestor)) yield return ancestor.Properties;
        }

        yield return self.Properties;
    }

    private sealed class NodeRules
    {
        private readonly PropertyTable _base;
        private readonly PropertyTable _own;
        private readonly Dictionary<string, (PropertyTable Full, PropertyTable Own)> _subtypes = new(StringComparer.Ordinal);

        public NodeRules(NodeTypeDef definition, IEnumerable<ImmutableSortedDictionary<string, PropertyDef>> effectiveLayers)
        {
            Definition = definition;
            var layers = effectiveLayers.ToList();
            _base = PropertyTable.Layered(layers);
            _own = PropertyTable.Layered([definition.Properties]);
            foreach (var (name, sub) in definition.Subtypes ?? SortedMap.Empty<SubtypeDef>())
            {
                _subtypes[name] = (PropertyTable.Layered([.. layers, sub.Properties]), PropertyTable.Layered([definition.Properties, sub.Properties]));
            }
        }

        public NodeTypeDef Definition { get; }

        // Subtypes are open: an unknown one (or one given to a type without subtypes) uses the base table.
        public PropertyTable TableFor(string? subtype) =>
            subtype is not null && _subtypes.TryGetValue(subtype, out var tables) ? tables.Full : _base;

        public PropertyTable UpdateTableFor(string? subtype) =>
            subtype is not null && _subtypes.TryGetValue(subtype, out var tables) ? tables.Own : _own;
    }

    private sealed record EdgeRules(EdgeTypeDef Definition, PropertyTable Table);
}
