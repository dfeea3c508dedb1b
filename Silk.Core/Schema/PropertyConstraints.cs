using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Silk.Core.Wire;

namespace Silk.Core.Schema;

/// <summary>
/// The enforced constraints of one property, read once from the declaration's JSON values so that
/// checking a value does no parsing. Bounds of the wrong JSON kind are ignored, as in the original.
/// </summary>
internal sealed class PropertyConstraints
{
    /// <summary>The constraint names that are checked, in the order they are checked.</summary>
    public static readonly ImmutableArray<string> EnforcedNames =
        ["enum", "min", "max", "min_exclusive", "max_exclusive", "min_length", "max_length", "pattern"];

    public static readonly PropertyConstraints None = new();

    private ImmutableArray<string>? _enumMembers;
    private double? _min;
    private double? _max;
    private double? _minExclusive;
    private double? _maxExclusive;
    private long? _minLength;
    private long? _maxLength;
    private string? _pattern;

    private PropertyConstraints() { }

    public static PropertyConstraints From(ValueMap? declared)
    {
        if (declared is null || declared.Count == 0) return None;
        return new PropertyConstraints
        {
            // Only string members count; an enum that is not a list is ignored.
            _enumMembers = declared.TryGetValue("enum", out var e) && e.Kind == ValueKind.List
                ? e.AsList.Where(m => m.Kind == ValueKind.String).Select(m => m.AsString).ToImmutableArray()
                : null,
            _min = Number(declared, "min"),
            _max = Number(declared, "max"),
            _minExclusive = Number(declared, "min_exclusive"),
            _maxExclusive = Number(declared, "max_exclusive"),
            _minLength = Length(declared, "min_length"),
            _maxLength = Length(declared, "max_length"),
            _pattern = declared.TryGetValue("pattern", out var p) && p.Kind == ValueKind.String ? p.AsString : null,
        };
    }

    private static double? Number(ValueMap declared, string name) =>
        declared.TryGetValue(name, out var v) ? v.AsNumber : null;

    // A length bound must be a non-negative JSON integer (serde's as_u64); anything else is ignored.
    private static long? Length(ValueMap declared, string name) =>
        declared.TryGetValue(name, out var v) && v.Kind == ValueKind.Int && v.AsInt >= 0 ? v.AsInt : null;

    /// <summary>The first failed constraint as (name, detail), or null. Null values are never constrained.</summary>
    public (string Name, string Detail)? Check(Value value)
    {
        if (ReferenceEquals(this, None) || value.IsNull) return null;
        return value.Kind switch
        {
            ValueKind.String => CheckString(value.AsString),
            ValueKind.Int or ValueKind.Float => CheckNumber(value.AsNumber!.Value),
            _ => null,
        };
    }

    private (string, string)? CheckNumber(double n)
    {
        if (n < _min) return ("min", $"value {Show(n)} is less than minimum {Show(_min.Value)}");
        if (n > _max) return ("max", $"value {Show(n)} exceeds maximum {Show(_max.Value)}");
        if (n <= _minExclusive) return ("min_exclusive", $"value {Show(n)} must be greater than {Show(_minExclusive.Value)}");
        if (n >= _maxExclusive) return ("max_exclusive", $"value {Show(n)} must be less than {Show(_maxExclusive.Value)}");
        return null;
    }

    private (string, string)? CheckString(string s)
    {
        if (_enumMembers is { } members && !members.Contains(s, StringComparer.Ordinal))
        {
            return ("enum", $"value '{s}' not in allowed set {RustDebug.StringList(members)}");
        }

        if (_minLength is not null || _maxLength is not null)
        {
            // Lengths are UTF-8 bytes, as Rust's str::len.
            long length = Encoding.UTF8.GetByteCount(s);
            if (length < _minLength) return ("min_length", $"string length {Show(length)} is less than minimum {Show(_minLength.Value)}");
            if (length > _maxLength) return ("max_length", $"string length {Show(length)} exceeds maximum {Show(_maxLength.Value)}");
        }

        if (_pattern is not null && PatternMatcher.Check(_pattern, s) is { } failure)
        {
            return ("pattern", failure);
        }

        return null;
    }

    private static string Show(double n) => RustDisplay.Float(n);

    private static string Show(long n) => n.ToString(CultureInfo.InvariantCulture);
}
