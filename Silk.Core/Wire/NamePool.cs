using System.Runtime.CompilerServices;
using System.Text;

namespace Silk.Core.Wire;

/// <summary>
/// Reuses the string instances of short names that repeat across entries (op tags, type names,
/// property keys, author and clock ids), so decoding thousands of entries does not allocate the
/// same few strings thousands of times and the decoded log holds one copy of each. A small
/// per-thread direct-mapped cache; a miss just decodes (strictly, invalid UTF-8 throws).
/// </summary>
internal static class NamePool
{
    public const int MaxPooledBytes = 32;
    private const int Slots = 512;

    [ThreadStatic] private static (byte[] Utf8, string Value)[]? t_slots;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxPooledBytes || utf8.Length == 0) return StrictUtf8.GetString(utf8);
        var slots = t_slots ??= new (byte[], string)[Slots];
        ref var slot = ref slots[Slot(utf8)];
        if (slot.Utf8 is { } known && utf8.SequenceEqual(known)) return slot.Value;
        var value = StrictUtf8.GetString(utf8);
        slot = (utf8.ToArray(), value);
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(ReadOnlySpan<byte> utf8)
    {
        var hash = 2166136261u;
        foreach (var b in utf8) hash = (hash ^ b) * 16777619u;
        return (int)(hash & (Slots - 1));
    }
}
