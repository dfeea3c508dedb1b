namespace Silk.Core.Indexing;

/// <summary>The indexes of one graph, by name, and the properties any of them reads (a one-lookup test on the write path).</summary>
public sealed class PropertyIndexSet
{
    private readonly Dictionary<string, PropertyIndex> _byName = new(StringComparer.Ordinal);
    private PropertyIndex[] _all = [];
    private readonly Dictionary<string, int> _properties = new(StringComparer.Ordinal);

    public int Count => _byName.Count;

    /// <summary>Every index (an array, so the write path walks it without allocating).</summary>
    public IReadOnlyList<PropertyIndex> All => _all;

    public PropertyIndex? Get(string name) => _byName.GetValueOrDefault(name);

    internal bool ReadsProperty(string property) => _properties.ContainsKey(property);

    internal PropertyIndex Add(IndexDefinition definition)
    {
        var index = new PropertyIndex(definition);
        _byName.Add(definition.Name, index);
        _all = [.. _all, index];
        _properties[definition.Property] = _properties.GetValueOrDefault(definition.Property) + 1;
        return index;
    }

    internal bool Remove(string name)
    {
        if (!_byName.Remove(name, out var index)) return false;
        _all = [.. _all.Where(i => i != index)];
        var property = index.Definition.Property;
        if (--_properties[property] == 0) _properties.Remove(property);
        return true;
    }

    /// <summary>A ready index on exactly this node type and property, or null.</summary>
    public PropertyIndex? ReadyFor(string nodeType, string property)
    {
        foreach (var index in _all)
        {
            if (index.State == IndexState.Ready
                && string.Equals(index.Definition.NodeType, nodeType, StringComparison.Ordinal)
                && string.Equals(index.Definition.Property, property, StringComparison.Ordinal))
            {
                return index;
            }
        }

        return null;
    }
}
