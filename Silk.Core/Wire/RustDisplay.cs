using System.Globalization;
using System.Text;

namespace Silk.Core.Wire;

/// <summary>
/// Rust's <c>{}</c> (Display) text for numbers. Validation messages are stored as quarantine reasons and
/// compared byte for byte with the original's, so numbers in them must print exactly as Rust prints them.
/// </summary>
public static class RustDisplay
{
    /// <summary>
    /// An f64 as Rust's Display writes it: the shortest digits that round-trip, always in plain decimal
    /// (never exponent notation: 1e21 prints all 22 digits, 1e-300 prints 300 fraction digits), no
    /// <c>.0</c> on integral values (<c>2000</c>), <c>-0</c> for negative zero, and <c>NaN</c>,
    /// <c>inf</c>, <c>-inf</c> for the non-finite values.
    /// </summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";

        var (negative, digits, exponent) = ShortestDigits(value);

        // value = 0.digits × 10^point, i.e. the decimal point sits `point` places into the digits.
        var point = digits.Length + exponent;
        var sb = new StringBuilder(Math.Max(digits.Length, Math.Abs(point)) + 3);
        if (negative) sb.Append('-');
        if (exponent >= 0)
        {
            sb.Append(digits).Append('0', exponent);
        }
        else if (point > 0)
        {
            sb.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }
        else
        {
            sb.Append("0.").Append('0', -point).Append(digits);
        }

        return sb.ToString();
    }

    /// <summary>
    /// The shortest round-trip significant digits (no leading or trailing zeros) and the power of ten
    /// they are scaled by, so that |value| = digits × 10^exponent. .NET's "R" format yields the same
    /// shortest digits as Rust's Grisu/Ryu; only its layout differs, so it is taken apart here.
    /// </summary>
    private static (bool Negative, string Digits, int Exponent) ShortestDigits(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text[0] == '-';
        if (negative) text = text[1..];

        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            exponent -= text.Length - dot - 1;
            text = string.Concat(text.AsSpan(0, dot), text.AsSpan(dot + 1));
        }

        var digits = text.TrimStart('0');
        var significant = digits.TrimEnd('0');
        exponent += digits.Length - significant.Length;
        return (negative, significant, exponent);
    }
}
