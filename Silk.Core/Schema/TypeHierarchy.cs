using System.Collections.Immutable;

namespace Silk.Core.Schema;

/// <summary>
/// The parent_type hierarchy of an ontology, walked once. Chains stop after
/// <see cref="MaxDepth"/> steps, so a cycle (which ontologies are allowed to contain) only repeats
/// names instead of looping forever.
/// </summary>
internal sealed class TypeHierarchy
{
    public const int MaxDepth = 100;

    private readonly Dictionary<string, ImmutableArray<string>> _ancestorChains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _ancestorSets = new(StringComparer.Ordinal);
    // Stored as interfaces so queries hand out the same boxed list instead of boxing on every call.
    private readonly Dictionary<string, IReadOnlyList<string>> _selfAndDescendants = new(StringComparer.Ordinal);

    public TypeHierarchy(Ontology ontology)
    {
        var descendants = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var name in ontology.NodeTypes.Keys)
        {
            var chain = AncestorChain(ontology, name);
            _ancestorChains[name] = chain;
            var set = new HashSet<string>(chain, StringComparer.Ordinal);
            _ancestorSets[name] = set;

            // Keys are visited in UTF-8 order, so every descendant list comes out sorted.
            foreach (var ancestor in set)
            {
                if (string.Equals(ancestor, name, StringComparison.Ordinal)) continue;
                if (!descendants.TryGetValue(ancestor, out var list)) descendants[ancestor] = list = [];
                list.Add(name);
            }
        }

        foreach (var name in ontology.NodeTypes.Keys.Concat(descendants.Keys).Distinct(StringComparer.Ordinal))
        {
            var list = descendants.TryGetValue(name, out var found) ? found : [];
            _selfAndDescendants[name] = ImmutableArray.Create([name, .. list]);
        }
    }

    /// <summary>Parent, grandparent, … (nearest first); may name a type that does not exist, and may repeat in a cycle.</summary>
    public ImmutableArray<string> Ancestors(string nodeType) =>
        _ancestorChains.TryGetValue(nodeType, out var chain) ? chain : [];

    public bool IsSameOrDescendant(string nodeType, string ancestor) =>
        string.Equals(nodeType, ancestor, StringComparison.Ordinal)
        || (_ancestorSets.TryGetValue(nodeType, out var set) && set.Contains(ancestor));

    /// <summary>The type itself first, then every type that has it as an ancestor, in UTF-8 order.</summary>
    public IReadOnlyList<string> SelfAndDescendants(string nodeType) =>
        _selfAndDescendants.TryGetValue(nodeType, out var list) ? list : ImmutableArray.Create(nodeType);

    private static ImmutableArray<string> AncestorChain(Ontology ontology, string nodeType)
    {
        var chain = ImmutableArray.CreateBuilder<string>();
        var current = nodeType;
        for (var step = 0; step < MaxDepth; step++)
        {
            if (!ontology.NodeTypes.TryGetValue(current, out var def) || def.ParentType is not { } parent) break;
            chain.Add(parent);
            current = parent;
        }

        return chain.ToImmutable();
    }
}
