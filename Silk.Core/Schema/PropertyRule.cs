using Silk.Core.Wire;

namespace Silk.Core.Schema;

/// <summary>One declared property, ready to check values against: its type and compiled constraints.</summary>
internal sealed class PropertyRule
{
    public PropertyRule(string name, PropertyDef definition)
    {
        Name = name;
        Definition = definition;
        Constraints = PropertyConstraints.From(definition.Constraints);
    }

    public string Name { get; }

    public PropertyDef Definition { get; }

    public bool Required => Definition.Required;

    private PropertyConstraints Constraints { get; }

    /// <summary>Type check, then constraints; <paramref name="typeName"/> is the name the messages use.</summary>
    public SchemaViolation? Check(string typeName, Value value)
    {
        if (!Accepts(Definition.ValueType, value))
        {
            return SchemaViolation.WrongPropertyType(typeName, Name, Definition.ValueType, value.KindName);
        }

        return Constraints.Check(value) is var (constraint, detail)
            ? SchemaViolation.ConstraintViolation(typeName, Name, constraint, detail)
            : null;
    }

    // Null satisfies every declared type, `any` accepts everything, otherwise kinds must match exactly (Int ≠ Float).
    private static bool Accepts(ValueType declared, Value value) => value.Kind switch
    {
        ValueKind.Null => true,
        _ when declared == ValueType.Any => true,
        ValueKind.String => declared == ValueType.String,
        ValueKind.Int => declared == ValueType.Int,
        ValueKind.Float => declared == ValueType.Float,
        ValueKind.Bool => declared == ValueType.Bool,
        ValueKind.List => declared == ValueType.List,
        ValueKind.Map => declared == ValueType.Map,
        _ => false,
    };
}
