using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>
/// The two orders of query values. <see cref="Compare"/> is total, for sorting and indexes: by kind first
/// (null, bool, int, float, string, list, map), then by value (strings by UTF-8 bytes, lists and maps item by
/// item). <see cref="CompareForRange"/> is what <c>$gt</c> and friends use: ints and floats as numbers (so
/// 1.5 &lt; 2), strings by UTF-8 bytes, and no answer for any other pair (nor for NaN).
/// </summary>
public static class ValueOrder
{
    /// <summary>A comparer of values in the total order of <see cref="Compare"/>.</summary>
    public static IComparer<Value> Comparer { get; } = Comparer<Value>.Create(Compare);

    public static int Compare(Value x, Value y)
    {
        if (x.Kind != y.Kind) return ((byte)x.Kind).CompareTo((byte)y.Kind);
        switch (x.Kind)
        {
            case ValueKind.Null: return 0;
            case ValueKind.Bool: return x.AsBool.CompareTo(y.AsBool);
            case ValueKind.Int: return x.AsInt.CompareTo(y.AsInt);
            case ValueKind.Float: return x.AsFloat.CompareTo(y.AsFloat);
            case ValueKind.String: return Utf8Order.CompareStrings(x.AsString, y.AsString);
            case ValueKind.List:
            {
                var a = x.ListItems;
                var b = y.ListItems;
                for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
                {
                    var c = Compare(a[i], b[i]);
                    if (c != 0) return c;
                }

                return a.Length.CompareTo(b.Length);
            }

            default:
            {
                var a = x.AsMap;
                var b = y.AsMap;
                var ak = a.KeySpan;
                var av = a.ValueSpan;
                var bk = b.KeySpan;
                var bv = b.ValueSpan;
                for (var i = 0; i < Math.Min(ak.Length, bk.Length); i++)
                {
                    var c = Utf8Order.CompareStrings(ak[i], bk[i]);
                    if (c == 0) c = Compare(av[i], bv[i]);
                    if (c != 0) return c;
                }

                return ak.Length.CompareTo(bk.Length);
            }
        }
    }

    /// <summary>The order of the range operators: a sign, or null when the two cannot be ordered.</summary>
    public static int? CompareForRange(Value x, Value y)
    {
        switch (x.Kind, y.Kind)
        {
            case (ValueKind.Int, ValueKind.Int): return x.AsInt.CompareTo(y.AsInt);
            case (ValueKind.Float, ValueKind.Float):
                return double.IsNaN(x.AsFloat) || double.IsNaN(y.AsFloat) ? null : x.AsFloat.CompareTo(y.AsFloat);
            case (ValueKind.Int, ValueKind.Float): return CompareIntFloat(x.AsInt, y.AsFloat);
            case (ValueKind.Float, ValueKind.Int): return -CompareIntFloat(y.AsInt, x.AsFloat);
            case (ValueKind.String, ValueKind.String): return Utf8Order.CompareStrings(x.AsString, y.AsString);
            default: return null;
        }
    }

    /// <summary>Exact comparison of an int with a float (a cast to double would round ints above 2^53).</summary>
    private static int? CompareIntFloat(long i, double d)
    {
        if (double.IsNaN(d)) return null;
        if (d >= 9223372036854775808.0) return -1;
        if (d < -9223372036854775808.0) return 1;
        var floor = Math.Floor(d);
        var whole = (long)floor;
        if (i != whole) return i.CompareTo(whole);
        return floor == d ? 0 : -1;
    }
}
