using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>One page of a list in ordinal id order, and the cursor for the next one (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>
/// Cursor paging over lists sorted by id in ordinal (UTF-8 byte) order, as every graph list is (D6): the
/// cursor is the last id the client has seen, so a page never repeats or skips an item that existed on
/// both requests, whatever was added or removed in between.
/// </summary>
public static class CursorPaging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The items after <paramref name="after"/> (from the start when null), at most <paramref name="limit"/> of them.</summary>
    public static Page<T> PageOf<T>(IReadOnlyList<T> sortedById, Func<T, string> id, string? after, int limit)
    {
        ArgumentNullException.ThrowIfNull(sortedById);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var start = after is null ? 0 : FirstAfter(sortedById, id, after);
        var count = Math.Min(limit, sortedById.Count - start);
        var items = new T[count];
        for (var i = 0; i < count; i++) items[i] = sortedById[start + i];
        var next = start + count < sortedById.Count && count > 0 ? id(items[^1]) : null;
        return new Page<T>(items, next);
    }

    // Binary search for the first id ordinally greater than the cursor.
    private static int FirstAfter<T>(IReadOnlyList<T> sorted, Func<T, string> id, string after)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Utf8Order.CompareStrings(id(sorted[mid]), after) <= 0) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }
}
