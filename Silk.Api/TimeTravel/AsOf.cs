using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Silk.Api.TimeTravel;

/// <summary>
/// The <c>as_of</c> query value: a clock reading <c>&lt;physical_ms&gt;[.&lt;logical&gt;]</c> (logical defaults to 0).
/// A read with it sees the graph as it was at that clock (SPEC §10).
/// </summary>
public readonly record struct AsOf(ulong PhysicalMs, uint Logical)
{
    public const string QueryName = "as_of";

    public const string Description =
        "Time travel: read the graph as it was at this clock, `<physical_ms>[.<logical>]` (logical defaults to 0). Omit for the current state.";

    public static bool TryParse([NotNullWhen(true)] string? value, IFormatProvider? provider, out AsOf result)
    {
        result = default;
        if (string.IsNullOrEmpty(value)) return false;
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var physical = dot < 0 ? value : value[..dot];
        var logical = dot < 0 ? "0" : value[(dot + 1)..];
        if (!ulong.TryParse(physical, NumberStyles.None, CultureInfo.InvariantCulture, out var p)
            || !uint.TryParse(logical, NumberStyles.None, CultureInfo.InvariantCulture, out var l))
        {
            return false;
        }

        result = new AsOf(p, l);
        return true;
    }

    public override string ToString() => $"{PhysicalMs}.{Logical}";
}
