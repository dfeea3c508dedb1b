using System.Collections.Immutable;
using Silk.Core.Wire;

namespace Silk.Core.Schema;

/// <summary>
/// The properties that apply to one node type (with inheritance and possibly a subtype) or one edge
/// type, merged once so that validating a value is a lookup.
/// </summary>
internal sealed class PropertyTable
{
    public static readonly PropertyTable Empty = new(SortedMap.Empty<PropertyDef>());

    private readonly Dictionary<string, PropertyRule> _byName;
    private readonly ImmutableArray<PropertyRule> _required;

    /// <param name="definitions">Key order is the order required properties are reported in.</param>
    public PropertyTable(ImmutableSortedDictionary<string, PropertyDef> definitions)
    {
        Definitions = definitions;
        _byName = new Dictionary<string, PropertyRule>(definitions.Count, StringComparer.Ordinal);
        var required = ImmutableArray.CreateBuilder<PropertyRule>();
        foreach (var (name, def) in definitions)
        {
            var rule = new PropertyRule(name, def);
            _byName.Add(name, rule);
            if (def.Required) required.Add(rule);
        }

        _required = required.ToImmutable();
    }

    public ImmutableSortedDictionary<string, PropertyDef> Definitions { get; }

    /// <summary>Later layers override earlier ones property by property (child over parent, subtype over type).</summary>
    public static PropertyTable Layered(IEnumerable<ImmutableSortedDictionary<string, PropertyDef>> layers)
    {
        var merged = ImmutableSortedDictionary.CreateBuilder<string, PropertyDef>(Utf8Order.Instance);
        foreach (var layer in layers)
        {
            foreach (var (name, def) in layer) merged[name] = def;
        }

        return merged.Count == 0 ? Empty : new PropertyTable(merged.ToImmutable());
    }

    /// <summary>
    /// All required properties present first (a present null counts), then each given property in key
    /// order; the first failure wins. Properties the table does not declare are accepted unchecked.
    /// </summary>
    public SchemaViolation? Validate(string typeName, ValueMap values, bool skipRequired)
    {
        if (!skipRequired)
        {
            foreach (var rule in _required)
            {
                if (!values.ContainsKey(rule.Name)) return SchemaViolation.MissingRequiredProperty(typeName, rule.Name);
            }
        }

        if (_byName.Count == 0) return null;
        var keys = values.KeySpan;
        var items = values.ValueSpan;
        for (var i = 0; i < keys.Length; i++)
        {
            if (_byName.TryGetValue(keys[i], out var rule) && rule.Check(typeName, items[i]) is { } violation)
            {
                return violation;
            }
        }

        return null;
    }

    /// <summary>One property value on its own (update_property): unknown keys are accepted.</summary>
    public SchemaViolation? ValidateOne(string typeName, string key, Value value) =>
        _byName.TryGetValue(key, out var rule) ? rule.Check(typeName, value) : null;
}
