using System.Globalization;

namespace Silk.Core.Wire;

public enum ValueKind : byte
{
    Null,
    Bool,
    Int,
    Float,
    String,
    List,
    Map,
}

/// <summary>
/// A property value: null, bool, 64-bit int, double, UTF-8 string, list or string-keyed map.
/// Int and Float are distinct kinds (1 ≠ 1.0), as in the original. 16 bytes, no allocation for scalars.
/// </summary>
public readonly struct Value : IEquatable<Value>
{
    private readonly long _bits;
    private readonly object? _ref;

    private Value(ValueKind kind, long bits, object? reference)
    {
        Kind = kind;
        _bits = bits;
        _ref = reference;
    }

    public ValueKind Kind { get; }

    public static Value Null => default;

    public static Value True { get; } = new(ValueKind.Bool, 1, null);

    public static Value False { get; } = new(ValueKind.Bool, 0, null);

    public static Value FromBool(bool value) => value ? True : False;

    public static Value FromInt(long value) => new(ValueKind.Int, value, null);

    public static Value FromFloat(double value) => new(ValueKind.Float, BitConverter.DoubleToInt64Bits(value), null);

    public static Value FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(ValueKind.String, 0, value);
    }

    public static Value FromList(Value[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new(ValueKind.List, 0, items);
    }

    public static Value FromMap(ValueMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return new(ValueKind.Map, 0, map);
    }

    public static implicit operator Value(long value) => FromInt(value);

    public static implicit operator Value(double value) => FromFloat(value);

    public static implicit operator Value(string value) => FromString(value);

    public static implicit operator Value(bool value) => FromBool(value);

    public bool IsNull => Kind == ValueKind.Null;

    public bool AsBool => Kind == ValueKind.Bool ? _bits != 0 : throw WrongKind(ValueKind.Bool);

    public long AsInt => Kind == ValueKind.Int ? _bits : throw WrongKind(ValueKind.Int);

    public double AsFloat => Kind == ValueKind.Float ? BitConverter.Int64BitsToDouble(_bits) : throw WrongKind(ValueKind.Float);

    public string AsString => Kind == ValueKind.String ? (string)_ref! : throw WrongKind(ValueKind.String);

    public IReadOnlyList<Value> AsList => Kind == ValueKind.List ? (Value[])_ref! : throw WrongKind(ValueKind.List);

    public ValueMap AsMap => Kind == ValueKind.Map ? (ValueMap)_ref! : throw WrongKind(ValueKind.Map);

    /// <summary>Int or Float as a double, for numeric constraints; null for other kinds.</summary>
    public double? AsNumber => Kind switch
    {
        ValueKind.Int => _bits,
        ValueKind.Float => BitConverter.Int64BitsToDouble(_bits),
        _ => null,
    };

    internal Value[] ListItems => (Value[])_ref!;

    /// <summary>Kind-and-value equality; floats compare as IEEE doubles (NaN ≠ NaN, 0.0 = -0.0), as Rust's PartialEq does.</summary>
    public bool Equals(Value other)
    {
        if (Kind != other.Kind) return false;
        switch (Kind)
        {
            case ValueKind.Null: return true;
            case ValueKind.Bool:
            case ValueKind.Int: return _bits == other._bits;
            case ValueKind.Float: return BitConverter.Int64BitsToDouble(_bits) == BitConverter.Int64BitsToDouble(other._bits);
            case ValueKind.String: return string.Equals((string)_ref!, (string)other._ref!, StringComparison.Ordinal);
            case ValueKind.List:
                var a = (Value[])_ref!;
                var b = (Value[])other._ref!;
                if (a.Length != b.Length) return false;
                for (var i = 0; i < a.Length; i++)
                {
                    if (!a[i].Equals(b[i])) return false;
                }

                return true;
            case ValueKind.Map: return ((ValueMap)_ref!).Equals((ValueMap)other._ref!);
            default: return false;
        }
    }

    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    public override int GetHashCode() => Kind switch
    {
        ValueKind.Null => 0,
        ValueKind.Bool or ValueKind.Int => HashCode.Combine(Kind, _bits),
        ValueKind.Float => HashCode.Combine(Kind, AsFloat == 0 ? 0 : _bits),
        ValueKind.String => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode((string)_ref!)),
        ValueKind.List => HashCode.Combine(Kind, ((Value[])_ref!).Length),
        _ => HashCode.Combine(Kind, ((ValueMap)_ref!).Count),
    };

    public static bool operator ==(Value left, Value right) => left.Equals(right);

    public static bool operator !=(Value left, Value right) => !left.Equals(right);

    /// <summary>The kind name used in validation messages ("int", "float", …).</summary>
    public string KindName => Kind switch
    {
        ValueKind.Null => "null",
        ValueKind.Bool => "bool",
        ValueKind.Int => "int",
        ValueKind.Float => "float",
        ValueKind.String => "string",
        ValueKind.List => "list",
        _ => "map",
    };

    public override string ToString() => Kind switch
    {
        ValueKind.Null => "null",
        ValueKind.Bool => AsBool ? "true" : "false",
        ValueKind.Int => AsInt.ToString(CultureInfo.InvariantCulture),
        _ => ValueJson.ToJson(this),
    };

    private InvalidOperationException WrongKind(ValueKind wanted) =>
        new($"value is {Kind}, not {wanted}");
}
