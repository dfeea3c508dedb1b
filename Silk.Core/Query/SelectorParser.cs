using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>
/// Reads a selector from its JSON form (already parsed to values). Keys of a selector object are fields or
/// properties, ANDed, or <c>$and</c> / <c>$or</c> (a non-empty list of selectors) or <c>$not</c> (a selector).
/// A field's value is either a value to equal or an object of operators (every key starting with <c>$</c>):
/// <c>$eq $ne $gt $gte $lt $lte $in $nin $exists $prefix $contains $regex $not</c>. An object without any
/// <c>$</c> key is a map to equal, as <c>where</c> always read it. Every refusal names where it is (a JSON pointer).
/// </summary>
public static class SelectorParser
{
    /// <summary>Deeper nesting than this is refused (it would only serve to exhaust the stack).</summary>
    public const int MaxDepth = 32;

    /// <summary>More values in one <c>$in</c> / <c>$nin</c> than this are refused.</summary>
    public const int MaxListOperands = 10_000;

    public static Selector Parse(ValueMap selector, QueryTarget target, string path = "")
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(path);
        return ParseObject(selector, target, path, 0);
    }

    private static Selector ParseObject(ValueMap selector, QueryTarget target, string path, int depth)
    {
        if (depth > MaxDepth) throw new SelectorException(path, $"selectors nest deeper than {MaxDepth} levels");
        var parts = new List<Selector>(selector.Count);
        foreach (var (key, value) in selector)
        {
            var at = SelectorException.Child(path, key);
            parts.Add(key switch
            {
                "$and" => new AndSelector(ParseList(value, target, at, depth)),
                "$or" => new OrSelector(ParseList(value, target, at, depth)),
                "$not" => new NotSelector(ParseObject(AsSelector(value, at), target, at, depth + 1)),
                _ when key.StartsWith('$') => throw new SelectorException(at, $"unknown operator '{key}' where a field or property is expected (selector operators: $and, $or, $not)"),
                _ => new FieldSelector(QueryField.Of(key, target), ParseCondition(value, at, depth + 1)),
            });
        }

        return parts.Count == 1 ? parts[0] : new AndSelector(parts);
    }

    private static List<Selector> ParseList(Value value, QueryTarget target, string path, int depth)
    {
        if (value.Kind != ValueKind.List || value.AsList.Count == 0) throw new SelectorException(path, $"expects a non-empty list of selectors, got {Describe(value)}");
        var items = value.AsList;
        var parts = new List<Selector>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var at = SelectorException.Child(path, i);
            parts.Add(ParseObject(AsSelector(items[i], at), target, at, depth + 1));
        }

        return parts;
    }

    private static ValueMap AsSelector(Value value, string path) =>
        value.Kind == ValueKind.Map ? value.AsMap : throw new SelectorException(path, $"expects a selector object, got {Describe(value)}");

    /// <summary>A plain value is an equality; an object of operators is their conjunction.</summary>
    private static Condition ParseCondition(Value value, string path, int depth)
    {
        if (depth > MaxDepth) throw new SelectorException(path, $"selectors nest deeper than {MaxDepth} levels");
        if (!IsOperatorObject(value, path)) return new EqualsCondition(value);
        var operators = value.AsMap;
        var conditions = new List<Condition>(operators.Count);
        foreach (var (op, operand) in operators) conditions.Add(ParseOperator(op, operand, SelectorException.Child(path, op), depth));
        return conditions.Count == 1 ? conditions[0] : new AllConditions(conditions);
    }

    private static bool IsOperatorObject(Value value, string path)
    {
        if (value.Kind != ValueKind.Map || value.AsMap.Count == 0) return false;
        var operators = 0;
        foreach (var key in value.AsMap.Keys)
        {
            if (key.StartsWith('$')) operators++;
        }

        if (operators == 0) return false;
        if (operators != value.AsMap.Count)
        {
            throw new SelectorException(path, "mixes operators ($…) and plain keys; use {\"$eq\": {...}} to match a map value");
        }

        return true;
    }

    private static Condition ParseOperator(string op, Value operand, string path, int depth) => op switch
    {
        "$eq" => new EqualsCondition(operand),
        "$ne" => new NotCondition(new EqualsCondition(operand)),
        "$gt" => Range(RangeOperator.GreaterThan, operand, path),
        "$gte" => Range(RangeOperator.GreaterOrEqual, operand, path),
        "$lt" => Range(RangeOperator.LessThan, operand, path),
        "$lte" => Range(RangeOperator.LessOrEqual, operand, path),
        "$in" => new InCondition(Operands(operand, path)),
        "$nin" => new NotCondition(new InCondition(Operands(operand, path))),
        "$exists" => operand.Kind == ValueKind.Bool ? new ExistsCondition(operand.AsBool) : throw Expects(path, "true or false", operand),
        "$prefix" => operand.Kind == ValueKind.String ? new PrefixCondition(operand.AsString) : throw Expects(path, "a string", operand),
        "$contains" => new ContainsCondition(operand),
        "$regex" => Regex(operand, path),
        "$not" => IsOperatorObject(operand, path)
            ? new NotCondition(ParseCondition(operand, path, depth + 1))
            : throw Expects(path, "an object of operators", operand),
        _ => throw new SelectorException(path, $"unknown operator '{op}' (known: $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists, $prefix, $contains, $regex, $not)"),
    };

    private static RangeCondition Range(RangeOperator op, Value operand, string path)
    {
        if (operand.Kind is not (ValueKind.Int or ValueKind.Float or ValueKind.String)) throw Expects(path, "a number or a string", operand);
        return new RangeCondition(op, operand);
    }

    private static Value[] Operands(Value operand, string path)
    {
        if (operand.Kind != ValueKind.List) throw Expects(path, "a list of values", operand);
        if (operand.AsList.Count > MaxListOperands) throw new SelectorException(path, $"lists at most {MaxListOperands} values, got {operand.AsList.Count}");
        return [.. operand.AsList];
    }

    private static RegexCondition Regex(Value operand, string path)
    {
        if (operand.Kind != ValueKind.String) throw Expects(path, "a string (a regular expression)", operand);
        var regex = PatternMatcher.TryCompile(operand.AsString, out var error);
        return regex is null
            ? throw new SelectorException(path, $"invalid regular expression '{operand.AsString}': {error}")
            : new RegexCondition(operand.AsString, regex);
    }

    private static SelectorException Expects(string path, string what, Value got) => new(path, $"expects {what}, got {Describe(got)}");

    private static string Describe(Value value) => value.Kind switch
    {
        ValueKind.Null => "null",
        ValueKind.Map => "an object",
        ValueKind.List => "a list",
        _ => $"{value.KindName} {ValueJson.ToJson(value)}",
    };
}
