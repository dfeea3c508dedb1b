namespace Silk.Core.Wire;

/// <summary>
/// Orders strings by their UTF-8 bytes (= Unicode code points), the order of Rust's BTreeMap and of
/// the original's id comparisons. Plain ordinal UTF-16 order differs for characters above U+E000
/// versus surrogate pairs, which would change map key order and therefore hashes.
/// </summary>
public sealed class Utf8Order : IComparer<string>
{
    public static readonly Utf8Order Instance = new();

    private Utf8Order() { }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        return CompareStrings(x, y);
    }

    public static int CompareStrings(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        var common = Math.Min(x.Length, y.Length);
        var mismatch = x[..common].CommonPrefixLength(y[..common]);
        if (mismatch == common)
        {
            return x.Length.CompareTo(y.Length);
        }

        return Fixup(x[mismatch]).CompareTo(Fixup(y[mismatch]));
    }

    /// <summary>Binary search in keys sorted by this order: the index, or the complement of the insertion point.</summary>
    public static int BinarySearch(ReadOnlySpan<string> sortedKeys, string key)
    {
        int lo = 0, hi = sortedKeys.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = CompareStrings(sortedKeys[mid], key);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }

        return ~lo;
    }

    // Surrogates (D800-DFFF) encode code points above FFFF, so they must sort after E000-FFFF.
    private static int Fixup(char c) => c switch
    {
        >= '\uE000' => c - 0x800,
        >= '\uD800' => c + 0x2000,
        _ => c,
    };
}
