using System.Diagnostics.CodeAnalysis;
using Silk.Core.Query;

namespace Silk.Api.Nodes;

/// <summary>
/// The <c>direction</c> query value: exactly <c>out</c>, <c>in</c> or <c>both</c> (the framework's enum binding
/// would want <c>Out</c> and also take numbers).
/// </summary>
public readonly record struct Direction(EdgeDirection Value)
{
    public static IReadOnlyList<string> Names { get; } = ["out", "in", "both"];

    public static bool TryParse([NotNullWhen(true)] string? value, IFormatProvider? provider, out Direction result)
    {
        var index = value is null ? -1 : Names.ToList().IndexOf(value);
        result = index < 0 ? default : new Direction((EdgeDirection)index);
        return index >= 0;
    }

    public override string ToString() => Names[(int)Value];
}
