namespace Silk.Core.Schema;

/// <summary>
/// A local write refused by one of <see cref="ValueLimits"/>; <see cref="Limit"/> names the limit
/// (<c>max_depth</c>, <c>max_string_bytes</c>, <c>max_items</c>, <c>max_id_bytes</c>, <c>max_key_bytes</c>)
/// so that a client can tell which one without parsing the message.
/// </summary>
public sealed class ValueLimitException(string limit, int bound, string message) : ValidationException(ValueLimits.Rule, message)
{
    /// <summary>The limit's name, in snake_case.</summary>
    public string Limit { get; } = limit;

    /// <summary>The limit's value (levels, bytes or items).</summary>
    public int Bound { get; } = bound;
}
