namespace Silk.Core.Wire;

/// <summary>
/// The one exception every Silk decoder throws for bytes or text it cannot accept:
/// truncated, wrong shape, wrong type, over a limit. Callers map it to a 400-class answer.
/// </summary>
public sealed class WireFormatException : Exception
{
    public WireFormatException(string message) : base(message) { }

    public WireFormatException(string message, Exception inner) : base(message, inner) { }
}
