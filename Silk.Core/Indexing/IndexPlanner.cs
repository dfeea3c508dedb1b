using Silk.Core.Query;
using Silk.Core.Wire;

namespace Silk.Core.Indexing;

/// <summary>How an index serves a query: which index, and the ranges of it that hold every possible match.</summary>
/// <param name="Index">The index used.</param>
/// <param name="Ranges">Ranges in index order, not overlapping.</param>
/// <param name="Use">What the index answers: <c>equality</c>, <c>in</c>, <c>range</c> or <c>prefix</c>.</param>
public sealed record IndexPlan(PropertyIndex Index, IReadOnlyList<IndexRange> Ranges, string Use);

/// <summary>
/// Picks an index for a selector over the nodes of one type: a ready index on that exact type whose property the
/// selector constrains, at the top level (a condition every match must meet), by equality to a non-null value,
/// <c>$in</c> of non-null values, a range or a prefix. Equality is preferred, then <c>$in</c>, then ranges and prefixes.
/// </summary>
public static class IndexPlanner
{
    public static IndexPlan? Plan(Selector? where, string? nodeType, PropertyIndexSet? indexes)
    {
        if (where is null || nodeType is null || indexes is null || indexes.Count == 0) return null;
        IndexPlan? best = null;
        foreach (var (property, conditions) in TopLevelConditions(where))
        {
            if (indexes.ReadyFor(nodeType, property) is not { } index) continue;
            if (Candidate(index, conditions) is not { } plan) continue;
            if (best is null || Rank(plan.Use) < Rank(best.Use)) best = plan;
        }

        return best;
    }

    /// <summary>The conditions every match must meet, grouped by property.</summary>
    private static Dictionary<string, List<Condition>> TopLevelConditions(Selector where)
    {
        var byProperty = new Dictionary<string, List<Condition>>(StringComparer.Ordinal);
        Collect(where);
        return byProperty;

        void Collect(Selector selector)
        {
            switch (selector)
            {
                case AndSelector and:
                    foreach (var part in and.Parts) Collect(part);
                    break;
                case FieldSelector { Field.IsProperty: true } field:
                    if (!byProperty.TryGetValue(field.Field.Name, out var list)) byProperty[field.Field.Name] = list = [];
                    AddCondition(list, field.Condition);
                    break;
            }
        }

        static void AddCondition(List<Condition> list, Condition condition)
        {
            if (condition is AllConditions all)
            {
                foreach (var part in all.Parts) AddCondition(list, part);
            }
            else
            {
                list.Add(condition);
            }
        }
    }

    private static IndexPlan? Candidate(PropertyIndex index, List<Condition> conditions)
    {
        foreach (var c in conditions)
        {
            if (c is EqualsCondition { Operand.IsNull: false } eq) return new IndexPlan(index, [IndexRange.Point(eq.Operand)], "equality");
        }

        foreach (var c in conditions)
        {
            if (c is InCondition @in && @in.Operands.All(v => !v.IsNull))
            {
                var points = @in.Operands.Distinct().OrderBy(v => v, ValueOrder.Comparer).Select(IndexRange.Point).ToList();
                return new IndexPlan(index, points, "in");
            }
        }

        var ranges = conditions.OfType<RangeCondition>().ToList();
        if (ranges.Count > 0) return new IndexPlan(index, RangesFor(ranges), "range");
        foreach (var c in conditions)
        {
            if (c is PrefixCondition prefix) return new IndexPlan(index, [new IndexRange(ValueKind.String, Value.FromString(prefix.Prefix), null, prefix.Prefix)], "prefix");
        }

        return null;
    }

    private static int Rank(string use) => use switch
    {
        "equality" => 0,
        "in" => 1,
        _ => 2,
    };

    /// <summary>
    /// The ranges that hold every value meeting all the range conditions: strings between string bounds, or ints and
    /// floats between numeric bounds (an int range and a float range, bounds widened to whole numbers). Conditions
    /// that mix strings and numbers, or a NaN bound, meet nothing.
    /// </summary>
    private static IReadOnlyList<IndexRange> RangesFor(List<RangeCondition> conditions)
    {
        var strings = conditions.Count(c => c.Operand.Kind == ValueKind.String);
        if (strings == conditions.Count)
        {
            Value? low = null, high = null;
            foreach (var c in conditions)
            {
                if (c.Operator is RangeOperator.GreaterThan or RangeOperator.GreaterOrEqual) low = Max(low, c.Operand);
                else high = Min(high, c.Operand);
            }

            return [new IndexRange(ValueKind.String, low, high)];
        }

        if (strings > 0 || conditions.Any(c => c.Operand.Kind == ValueKind.Float && double.IsNaN(c.Operand.AsFloat))) return [];
        Value? intLow = null, intHigh = null, floatLow = null, floatHigh = null;
        foreach (var c in conditions)
        {
            var lower = c.Operator is RangeOperator.GreaterThan or RangeOperator.GreaterOrEqual;
            var asInt = c.Operand.Kind == ValueKind.Int ? c.Operand : Value.FromInt(ToLong(lower ? Math.Floor(c.Operand.AsFloat) : Math.Ceiling(c.Operand.AsFloat)));
            var asFloat = c.Operand.Kind == ValueKind.Float
                ? c.Operand
                : Value.FromFloat(lower ? Math.BitDecrement((double)c.Operand.AsInt) : Math.BitIncrement((double)c.Operand.AsInt));
            if (lower)
            {
                intLow = Max(intLow, asInt);
                floatLow = Max(floatLow, asFloat);
            }
            else
            {
                intHigh = Min(intHigh, asInt);
                floatHigh = Min(floatHigh, asFloat);
            }
        }

        return [new IndexRange(ValueKind.Int, intLow, intHigh), new IndexRange(ValueKind.Float, floatLow, floatHigh)];
    }

    private static long ToLong(double d) => d >= 9223372036854775807.0 ? long.MaxValue : d <= -9223372036854775808.0 ? long.MinValue : (long)d;

    private static Value Max(Value? a, Value b) => a is { } x && ValueOrder.Compare(x, b) >= 0 ? x : b;

    private static Value Min(Value? a, Value b) => a is { } x && ValueOrder.Compare(x, b) <= 0 ? x : b;
}
