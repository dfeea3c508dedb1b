using System.Globalization;
using System.Text;

namespace Silk.Core.Wire;

/// <summary>
/// Rust's <c>{:?}</c> (Debug) text for strings and string lists, which the original embeds in error
/// messages (e.g. <c>(allowed: ["a", "b"])</c>). Those messages become quarantine reasons, so they are
/// reproduced byte for byte.
/// </summary>
public static class RustDebug
{
    /// <summary>A quoted string with Rust's <c>escape_debug</c> rules.</summary>
    public static string String(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        AppendString(sb, value);
        return sb.ToString();
    }

    /// <summary><c>["a", "b"]</c>: a <c>Vec&lt;String&gt;</c> as Rust's Debug writes it.</summary>
    public static string StringList(IEnumerable<string> items)
    {
        var sb = new StringBuilder("[");
        var first = true;
        foreach (var item in items)
        {
            if (!first) sb.Append(", ");
            first = false;
            AppendString(sb, item);
        }

        return sb.Append(']').ToString();
    }

    public static void AppendString(StringBuilder sb, string value)
    {
        sb.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            int codePoint = value[i];
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                codePoint = char.ConvertToUtf32(value[i], value[i + 1]);
                i++;
            }

            AppendChar(sb, codePoint);
        }

        sb.Append('"');
    }

    private static void AppendChar(StringBuilder sb, int codePoint)
    {
        switch (codePoint)
        {
            case 0: sb.Append("\\0"); return;
            case '\t': sb.Append("\\t"); return;
            case '\r': sb.Append("\\r"); return;
            case '\n': sb.Append("\\n"); return;
            case '\\': sb.Append("\\\\"); return;
            case '"': sb.Append("\\\""); return;
        }

        if (IsEscaped(codePoint))
        {
            sb.Append("\\u{").Append(codePoint.ToString("x", CultureInfo.InvariantCulture)).Append('}');
            return;
        }

        sb.Append(char.ConvertFromUtf32(codePoint));
    }

    // Rust escapes what its printable table excludes (categories Cc Cf Cs Co Cn Zl Zp, and Zs except the
    // plain space) and grapheme extenders (combining marks). .NET's category data stands in for Rust's
    // tables; the two Unicode versions can differ on recently assigned characters. A lone surrogate
    // (impossible in Rust's UTF-8 strings) is escaped as well.
    private static bool IsEscaped(int codePoint)
    {
        if (codePoint is >= 0xD800 and <= 0xDFFF) return true;
        if (codePoint == ' ') return false;
        var category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        return category switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => true,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark => true,
            _ => IsOtherGraphemeExtend(codePoint),
        };
    }

    // Grapheme_Extend members outside Mn/Me that are otherwise printable.
    private static bool IsOtherGraphemeExtend(int codePoint) =>
        codePoint is (>= 0xFF9E and <= 0xFF9F) or (>= 0x1F3FB and <= 0x1F3FF);
}
