namespace Silk.Core.Wire;

/// <summary>
/// Shares the sorted key arrays of small property maps: thousands of nodes of one type carry the same
/// keys, and a shared immutable array saves one allocation (and its memory) per map. A per-thread
/// direct-mapped cache; keys compare by content, so any equal key set is shared.
/// </summary>
internal static class KeySetPool
{
    private const int MaxKeys = 8;
    private const int Slots = 256;

    [ThreadStatic] private static string[]?[]? t_slots;

    public static string[] Intern(string[] keys)
    {
        if (keys.Length is 0 or > MaxKeys) return keys;
        var hash = 17;
        foreach (var key in keys) hash = unchecked((hash * 31) + key.GetHashCode(StringComparison.Ordinal));
        var slots = t_slots ??= new string[]?[Slots];
        ref var slot = ref slots[hash & (Slots - 1)];
        if (slot is { } known && known.AsSpan().SequenceEqual(keys)) return known;
        slot = keys;
        return keys;
    }
}
