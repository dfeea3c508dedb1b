using System.Text;
using Silk.Core.Wire;

namespace Silk.Core.Schema;

/// <summary>
/// Limits on values written through the local API (not on values arriving by sync, which were
/// accepted by their author): nesting below 64 levels, strings up to 1 MiB of UTF-8, lists and maps
/// up to 10,000 items. Runs on every write, so it allocates nothing unless a limit is broken.
/// </summary>
public static class ValueLimits
{
    public const int MaxDepth = 64;
    public const int MaxStringBytes = 1_048_576;
    public const int MaxItems = 10_000;

    public static void Check(ValueMap properties, string what = "properties")
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (properties.Count > MaxItems) throw Violation($"{what} has {properties.Count} entries; the limit is {MaxItems}");
        var keys = properties.KeySpan;
        var values = properties.ValueSpan;
        for (var i = 0; i < keys.Length; i++)
        {
            if (!FitsString(keys[i])) throw Violation($"a key of {what} is longer than {MaxStringBytes} bytes of UTF-8");
            if (Problem(values[i], 1) is { } problem) throw Violation($"{what}.{keys[i]}: {problem}");
        }
    }

    public static void Check(Value value, string what = "value")
    {
        if (Problem(value, 1) is { } problem) throw Violation($"{what}: {problem}");
    }

    public static void CheckString(string s, string what)
    {
        if (!FitsString(s)) throw Violation($"{what} is {Encoding.UTF8.GetByteCount(s)} bytes of UTF-8; the limit is {MaxStringBytes}");
    }

    /// <summary>Null when the value fits; else what is wrong (built only then).</summary>
    private static string? Problem(Value value, int depth)
    {
        if (depth >= MaxDepth) return $"nests {depth} levels deep; values must nest fewer than {MaxDepth} levels";
        switch (value.Kind)
        {
            case ValueKind.String:
                return FitsString(value.AsString) ? null : $"a string of {Encoding.UTF8.GetByteCount(value.AsString)} bytes of UTF-8 exceeds {MaxStringBytes}";
            case ValueKind.List:
                var items = value.ListItems;
                if (items.Length > MaxItems) return $"a list of {items.Length} items exceeds {MaxItems}";
                foreach (var item in items)
                {
                    if (Problem(item, depth + 1) is { } inner) return inner;
                }

                return null;
            case ValueKind.Map:
                var map = value.AsMap;
                if (map.Count > MaxItems) return $"a map of {map.Count} entries exceeds {MaxItems}";
                var keys = map.KeySpan;
                var values = map.ValueSpan;
                for (var i = 0; i < keys.Length; i++)
                {
                    if (!FitsString(keys[i])) return $"a map key exceeds {MaxStringBytes} bytes of UTF-8";
                    if (Problem(values[i], depth + 1) is { } inner) return inner;
                }

                return null;
            default:
                return null;
        }
    }

    // Cheap bound first: a UTF-16 char is at most 3 UTF-8 bytes.
    private static bool FitsString(string s) => s.Length * 3 <= MaxStringBytes || Encoding.UTF8.GetByteCount(s) <= MaxStringBytes;

    private static ValidationException Violation(string message) => new("value_limit", message);
}
