using System.Text;
using Silk.Core.Wire;

namespace Silk.Core.Schema;

/// <summary>
/// Limits on values written through the local API (not on values arriving by sync, which were
/// accepted by their author): nesting below 64 levels, strings up to 1 MiB of UTF-8, lists and maps
/// up to 10,000 items.
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
        foreach (var (key, value) in properties)
        {
            CheckString(key, $"{what} key");
            Check(value, 1, $"{what}.{key}");
        }
    }

    public static void Check(Value value, string what = "value") => Check(value, 1, what);

    private static void Check(Value value, int depth, string path)
    {
        if (depth >= MaxDepth) throw Violation($"{path} nests {depth} levels deep; values must nest fewer than {MaxDepth} levels");
        switch (value.Kind)
        {
            case ValueKind.String:
                CheckString(value.AsString, path);
                break;
            case ValueKind.List:
                var items = value.AsList;
                if (items.Count > MaxItems) throw Violation($"{path} has {items.Count} items; the limit is {MaxItems}");
                for (var i = 0; i < items.Count; i++) Check(items[i], depth + 1, $"{path}[{i}]");
                break;
            case ValueKind.Map:
                var map = value.AsMap;
                if (map.Count > MaxItems) throw Violation($"{path} has {map.Count} entries; the limit is {MaxItems}");
                foreach (var (k, v) in map)
                {
                    CheckString(k, $"{path} key");
                    Check(v, depth + 1, $"{path}.{k}");
                }

                break;
        }
    }

    public static void CheckString(string s, string what)
    {
        // Cheap bound first: a UTF-16 char is at most 3 UTF-8 bytes.
        if (s.Length * 3 <= MaxStringBytes) return;
        var bytes = Encoding.UTF8.GetByteCount(s);
        if (bytes > MaxStringBytes) throw Violation($"{what} is {bytes} bytes of UTF-8; the limit is {MaxStringBytes}");
    }

    private static ValidationException Violation(string message) => new("value_limit", message);
}
