using Silk.Core.Wire;

namespace Silk.Api.Nodes;

/// <summary>The <c>property=key:value</c> filter of <c>GET /nodes</c>.</summary>
public static class PropertyFilter
{
    /// <summary>Splits at the first colon; the value is JSON when it parses as JSON, else the text itself. Returns an error message or null.</summary>
    public static string? TryParse(string text, out string key, out Value value)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        key = colon < 0 ? "" : text[..colon];
        value = Value.Null;
        if (colon <= 0) return $"property filter '{text}' must have the form key:value";
        var raw = text[(colon + 1)..];
        try
        {
            value = ValueJson.Parse(raw);
        }
        catch (WireFormatException)
        {
            value = Value.FromString(raw);
        }

        return null;
    }
}
