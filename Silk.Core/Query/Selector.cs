using System.Text.RegularExpressions;
using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>
/// A parsed, validated selector (issue 20, after CouchDB's Mango): conditions on fields and properties
/// combined with and, or and not. Built by <see cref="SelectorParser"/>; <see cref="Matches"/> evaluates it.
/// </summary>
public abstract record Selector
{
    /// <summary>Matches everything (an empty <c>where</c>).</summary>
    public static Selector All { get; } = new AndSelector([]);

    /// <summary>The original's <c>where(**equals)</c>: every property equals its value (a null also matches a missing one).</summary>
    public static Selector PropertyEquals(ValueMap equals)
    {
        ArgumentNullException.ThrowIfNull(equals);
        var parts = new List<Selector>(equals.Count);
        foreach (var (key, value) in equals) parts.Add(new FieldSelector(QueryField.Property(key), new EqualsCondition(value)));
        return new AndSelector(parts);
    }

    public abstract bool Matches(QueryItem item);
}

/// <summary>Every part matches (<c>$and</c>, and the fields of one selector object).</summary>
public sealed record AndSelector(IReadOnlyList<Selector> Parts) : Selector
{
    public override bool Matches(QueryItem item)
    {
        foreach (var part in Parts)
        {
            if (!part.Matches(item)) return false;
        }

        return true;
    }
}

/// <summary>At least one part matches (<c>$or</c>).</summary>
public sealed record OrSelector(IReadOnlyList<Selector> Parts) : Selector
{
    public override bool Matches(QueryItem item)
    {
        foreach (var part in Parts)
        {
            if (part.Matches(item)) return true;
        }

        return false;
    }
}

/// <summary>The inner selector does not match (<c>$not</c>).</summary>
public sealed record NotSelector(Selector Inner) : Selector
{
    public override bool Matches(QueryItem item) => !Inner.Matches(item);
}

/// <summary>A condition on one field or property.</summary>
public sealed record FieldSelector(QueryField Field, Condition Condition) : Selector
{
    public override bool Matches(QueryItem item)
    {
        var present = Field.TryGet(item, out var value);
        return Condition.Holds(present, value);
    }
}

/// <summary>A condition on one value, which may be absent.</summary>
public abstract record Condition
{
    public abstract bool Holds(bool present, Value value);
}

/// <summary>Same kind and value (1 ≠ 1.0); a null operand also matches an absent value, as <c>where</c> always did.</summary>
public sealed record EqualsCondition(Value Operand) : Condition
{
    public override bool Holds(bool present, Value value) => present ? value.Equals(Operand) : Operand.IsNull;
}

/// <summary>Equal to one of the operands (<c>$in</c>).</summary>
public sealed record InCondition(IReadOnlyList<Value> Operands) : Condition
{
    public override bool Holds(bool present, Value value)
    {
        foreach (var operand in Operands)
        {
            if (present ? value.Equals(operand) : operand.IsNull) return true;
        }

        return false;
    }
}

/// <summary>The inner condition does not hold (<c>$ne</c>, <c>$nin</c>, a field's <c>$not</c>).</summary>
public sealed record NotCondition(Condition Inner) : Condition
{
    public override bool Holds(bool present, Value value) => !Inner.Holds(present, value);
}

/// <summary>Several conditions on the same value (<c>{"$gt": 1, "$lt": 5}</c>).</summary>
public sealed record AllConditions(IReadOnlyList<Condition> Parts) : Condition
{
    public override bool Holds(bool present, Value value)
    {
        foreach (var part in Parts)
        {
            if (!part.Holds(present, value)) return false;
        }

        return true;
    }
}

/// <summary>The value is there (even a null) or, with false, is not (<c>$exists</c>).</summary>
public sealed record ExistsCondition(bool Exists) : Condition
{
    public override bool Holds(bool present, Value value) => present == Exists;
}

public enum RangeOperator
{
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
}

/// <summary><c>$gt</c>, <c>$gte</c>, <c>$lt</c>, <c>$lte</c>: numbers as numbers, strings by UTF-8 bytes, any other pair never.</summary>
public sealed record RangeCondition(RangeOperator Operator, Value Operand) : Condition
{
    public override bool Holds(bool present, Value value)
    {
        if (!present || ValueOrder.CompareForRange(value, Operand) is not { } sign) return false;
        return Operator switch
        {
            RangeOperator.GreaterThan => sign > 0,
            RangeOperator.GreaterOrEqual => sign >= 0,
            RangeOperator.LessThan => sign < 0,
            _ => sign <= 0,
        };
    }
}

/// <summary>A string that starts with the operand (<c>$prefix</c>, ordinal).</summary>
public sealed record PrefixCondition(string Prefix) : Condition
{
    public override bool Holds(bool present, Value value) =>
        present && value.Kind == ValueKind.String && value.AsString.StartsWith(Prefix, StringComparison.Ordinal);
}

/// <summary>A list holding an item equal to the operand, or a string holding the operand string (<c>$contains</c>).</summary>
public sealed record ContainsCondition(Value Operand) : Condition
{
    public override bool Holds(bool present, Value value)
    {
        if (!present) return false;
        if (value.Kind == ValueKind.List)
        {
            foreach (var item in value.ListItems)
            {
                if (item.Equals(Operand)) return true;
            }

            return false;
        }

        return value.Kind == ValueKind.String && Operand.Kind == ValueKind.String
            && value.AsString.Contains(Operand.AsString, StringComparison.Ordinal);
    }
}

/// <summary>A string in which the pattern is found (<c>$regex</c>), with the linear-time engine of ontology patterns.</summary>
public sealed record RegexCondition(string Pattern, Regex Regex) : Condition
{
    public override bool Holds(bool present, Value value)
    {
        if (!present || value.Kind != ValueKind.String) return false;
        try
        {
            return Regex.IsMatch(value.AsString);
        }
        catch (RegexMatchTimeoutException)
        {
            // Linear time keeps this out of reach; should a huge value get there, it does not match.
            return false;
        }
    }
}
