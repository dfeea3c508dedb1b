using System.Globalization;
using System.Text;

namespace Silk.Core.Wire;

/// <summary>
/// Compact JSON text exactly as serde_json writes it: no whitespace, only the mandatory escapes,
/// non-ASCII kept raw, floats in Rust's ryu form. The ontology content hash is taken over this text,
/// so every byte matters.
/// </summary>
public sealed class JsonText
{
    private readonly StringBuilder _sb = new();
    private readonly Stack<bool> _first = new();
    private bool _afterName;

    public override string ToString() => _sb.ToString();

    public JsonText StartObject()
    {
        BeforeValue();
        _sb.Append('{');
        _first.Push(true);
        return this;
    }

    public JsonText EndObject()
    {
        _first.Pop();
        _sb.Append('}');
        return this;
    }

    public JsonText StartArray()
    {
        BeforeValue();
        _sb.Append('[');
        _first.Push(true);
        return this;
    }

    public JsonText EndArray()
    {
        _first.Pop();
        _sb.Append(']');
        return this;
    }

    public JsonText Name(string name)
    {
        Separate();
        AppendString(_sb, name);
        _sb.Append(':');
        _afterName = true;
        return this;
    }

    public JsonText String(string? value)
    {
        if (value is null) return Null();
        BeforeValue();
        AppendString(_sb, value);
        return this;
    }

    public JsonText Null()
    {
        BeforeValue();
        _sb.Append("null");
        return this;
    }

    public JsonText Bool(bool value)
    {
        BeforeValue();
        _sb.Append(value ? "true" : "false");
        return this;
    }

    public JsonText Int(long value)
    {
        BeforeValue();
        _sb.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public JsonText UInt(ulong value)
    {
        BeforeValue();
        _sb.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>A float in ryu form; non-finite values become null, as serde_json writes them.</summary>
    public JsonText Float(double value)
    {
        BeforeValue();
        _sb.Append(double.IsFinite(value) ? FormatFloat(value) : "null");
        return this;
    }

    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        Separate();
    }

    private void Separate()
    {
        if (_first.Count == 0) return;
        if (_first.Peek())
        {
            _first.Pop();
            _first.Push(false);
        }
        else
        {
            _sb.Append(',');
        }
    }

    public static void AppendString(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case < ' ': sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }

        sb.Append('"');
    }

    /// <summary>
    /// Formats a finite double the way Rust's ryu crate does: the shortest round-trip digits, plain
    /// notation for decimal exponents from -5 to 16 (always with a fractional part), otherwise
    /// <c>d.ddde±x</c> with no plus sign.
    /// </summary>
    public static string FormatFloat(double value)
    {
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";

        // "E16" is not shortest; "R" is shortest round-trip on .NET Core 3.0+. Parse its digits and exponent.
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = r[0] == '-';
        if (negative) r = r[1..];
        var exponent = 0;
        var ePos = r.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exponent = int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        string digits;
        if (dot >= 0)
        {
            digits = r[..dot] + r[(dot + 1)..];
            exponent -= r.Length - dot - 1;
        }
        else
        {
            digits = r;
        }

        digits = digits.TrimStart('0');
        var trailing = digits.Length - digits.TrimEnd('0').Length;
        digits = digits.TrimEnd('0');
        exponent += trailing;

        // value = digits × 10^exponent; kk is the position of the decimal point relative to the digits.
        var length = digits.Length;
        var kk = length + exponent;
        var sb = new StringBuilder(32);
        if (negative) sb.Append('-');
        if (exponent >= 0 && kk <= 16)
        {
            sb.Append(digits).Append('0', exponent).Append(".0");
        }
        else if (kk > 0 && kk <= 16)
        {
            sb.Append(digits, 0, kk).Append('.').Append(digits, kk, length - kk);
        }
        else if (kk > -5 && kk <= 0)
        {
            sb.Append("0.").Append('0', -kk).Append(digits);
        }
        else if (length == 1)
        {
            sb.Append(digits).Append('e').Append((kk - 1).ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append(digits[0]).Append('.').Append(digits, 1, length - 1).Append('e')
                .Append((kk - 1).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
