using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>Node queries by type, subtype and property (SPEC §3.3), in ordinal id order (D6).</summary>
public sealed partial class MaterializedGraph
{
    public IReadOnlyList<NodeView> NodesByType(string nodeType) => Views(LiveNodesOfType(nodeType));

    public IReadOnlyList<NodeView> NodesBySubtype(string subtype)
    {
        ArgumentNullException.ThrowIfNull(subtype);
        var matches = new List<NodeState>();
        foreach (var node in _nodes.Values)
        {
            if (node.Alive && string.Equals(node.NewestAdd.Subtype, subtype, StringComparison.Ordinal)) matches.Add(node);
        }

        SortById(matches);
        return Views(matches);
    }

    public IReadOnlyList<NodeView> NodesByProperty(string key, Value value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var matches = new List<NodeState>();
        foreach (var node in _nodes.Values)
        {
            if (node.Alive && node.Properties.TryGetValue(key, out var current) && current.Equals(value)) matches.Add(node);
        }

        SortById(matches);
        return Views(matches);
    }

    /// <summary>
    /// Live nodes whose materialized type is <paramref name="nodeType"/> or one of its descendants in
    /// the current ontology, sorted by id.
    /// </summary>
    private List<NodeState> LiveNodesOfType(string nodeType)
    {
        ArgumentNullException.ThrowIfNull(nodeType);
        var matches = new List<NodeState>();
        foreach (var type in Rules.SelfAndDescendants(nodeType))
        {
            if (!_nodesByType.TryGetValue(type, out var ids)) continue;
            foreach (var id in ids)
            {
                if (_nodes.TryGetValue(id, out var node) && node.Alive) matches.Add(node);
            }
        }

        SortById(matches);
        return matches;
    }

    private static void SortById(List<NodeState> nodes) => nodes.Sort(static (x, y) => Utf8Order.CompareStrings(x.Id, y.Id));

    /// <summary>Views of nodes already in id order.</summary>
    private static List<NodeView> Views(List<NodeState> nodes)
    {
        var views = new List<NodeView>(nodes.Count);
        foreach (var node in nodes) views.Add(View(node));
        return views;
    }
}
