using System.Text;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Schema;

/// <summary>
/// Limits on values written through the local API (not on values arriving by sync, which were
/// accepted by their author): nesting below 64 levels, strings up to 1 MiB of UTF-8, lists and maps
/// up to 10,000 items; node, edge and entity ids and property keys up to 1,024 bytes of UTF-8 (they are
/// index keys and path segments, not payload). Runs on every write, so it allocates nothing unless a
/// limit is broken. A broken limit is a <see cref="ValueLimitException"/> naming it.
/// </summary>
public static class ValueLimits
{
    public const string Rule = "value_limit";
    public const int MaxDepth = 64;
    public const int MaxStringBytes = 1_048_576;
    public const int MaxItems = 10_000;
    public const int MaxIdBytes = 1_024;
    public const int MaxKeyBytes = 1_024;

    /// <summary>The ids, property keys and label of a local operation; its property values are checked by the other overloads.</summary>
    public static void CheckIdentifiers(GraphOp op)
    {
        switch (op)
        {
            case AddNode n:
                CheckId(n.NodeId, "node id");
                CheckString(n.Label, "label");
                CheckKeys(n.Properties);
                break;
            case AddEdge e:
                CheckId(e.EdgeId, "edge id");
                CheckId(e.SourceId, "source id");
                CheckId(e.TargetId, "target id");
                CheckKeys(e.Properties);
                break;
            case UpdateProperty u:
                CheckId(u.EntityIdValue, "entity id");
                CheckKey(u.Key);
                break;
            case RemoveNode rn:
                CheckId(rn.NodeId, "node id");
                break;
            case RemoveEdge re:
                CheckId(re.EdgeId, "edge id");
                break;
        }
    }

    public static void CheckId(string id, string what)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!Fits(id, MaxIdBytes)) throw new ValueLimitException("max_id_bytes", MaxIdBytes, $"{what} is {Encoding.UTF8.GetByteCount(id)} bytes of UTF-8; the limit is {MaxIdBytes}");
    }

    public static void CheckKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Fits(key, MaxKeyBytes)) throw new ValueLimitException("max_key_bytes", MaxKeyBytes, $"property key is {Encoding.UTF8.GetByteCount(key)} bytes of UTF-8; the limit is {MaxKeyBytes}");
    }

    private static void CheckKeys(ValueMap properties)
    {
        foreach (var key in properties.KeySpan) CheckKey(key);
    }

    public static void Check(ValueMap properties, string what = "properties")
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (properties.Count > MaxItems) throw new ValueLimitException("max_items", MaxItems, $"{what} has {properties.Count} entries; the limit is {MaxItems}");
        var keys = properties.KeySpan;
        var values = properties.ValueSpan;
        for (var i = 0; i < keys.Length; i++)
        {
            CheckKey(keys[i]);
            if (Problem(values[i], 1) is { } problem) throw Violation(problem, $"{what}.{keys[i]}");
        }
    }

    public static void Check(Value value, string what = "value")
    {
        if (Problem(value, 1) is { } problem) throw Violation(problem, what);
    }

    public static void CheckString(string s, string what)
    {
        if (!FitsString(s)) throw new ValueLimitException("max_string_bytes", MaxStringBytes, $"{what} is {Encoding.UTF8.GetByteCount(s)} bytes of UTF-8; the limit is {MaxStringBytes}");
    }

    /// <summary>A broken limit found inside a value: its name and bound, and what is wrong.</summary>
    private readonly record struct Broken(string Limit, int Bound, string Message);

    /// <summary>Null when the value fits; else what is wrong (built only then).</summary>
    private static Broken? Problem(Value value, int depth)
    {
        if (depth >= MaxDepth) return new Broken("max_depth", MaxDepth, $"nests {depth} levels deep; values must nest fewer than {MaxDepth} levels");
        switch (value.Kind)
        {
            case ValueKind.String:
                return FitsString(value.AsString) ? null : new Broken("max_string_bytes", MaxStringBytes, $"a string of {Encoding.UTF8.GetByteCount(value.AsString)} bytes of UTF-8 exceeds {MaxStringBytes}");
            case ValueKind.List:
                var items = value.ListItems;
                if (items.Length > MaxItems) return new Broken("max_items", MaxItems, $"a list of {items.Length} items exceeds {MaxItems}");
                foreach (var item in items)
                {
                    if (Problem(item, depth + 1) is { } inner) return inner;
                }

                return null;
            case ValueKind.Map:
                var map = value.AsMap;
                if (map.Count > MaxItems) return new Broken("max_items", MaxItems, $"a map of {map.Count} entries exceeds {MaxItems}");
                var keys = map.KeySpan;
                var values = map.ValueSpan;
                for (var i = 0; i < keys.Length; i++)
                {
                    if (!FitsString(keys[i])) return new Broken("max_string_bytes", MaxStringBytes, $"a map key exceeds {MaxStringBytes} bytes of UTF-8");
                    if (Problem(values[i], depth + 1) is { } inner) return inner;
                }

                return null;
            default:
                return null;
        }
    }

    private static bool FitsString(string s) => Fits(s, MaxStringBytes);

    // Cheap bound first: a UTF-16 char is at most 3 UTF-8 bytes.
    private static bool Fits(string s, int maxBytes) => s.Length * 3 <= maxBytes || (s.Length <= maxBytes && Encoding.UTF8.GetByteCount(s) <= maxBytes);

    private static ValueLimitException Violation(Broken broken, string where) => new(broken.Limit, broken.Bound, $"{where}: {broken.Message}");
}
