using Silk.Core.Query;
using Silk.Core.Wire;

namespace Silk.Core.Indexing;

/// <summary>
/// A stretch of an index holding values of one kind between optional inclusive bounds (and, for <c>$prefix</c>,
/// strings that start with a prefix). Ranges are supersets of what a selector matches: the query checks every
/// candidate against the whole selector, so bounds converted between ints and floats may be generous.
/// </summary>
public sealed record IndexRange(ValueKind Kind, Value? Low, Value? High, string? Prefix = null)
{
    /// <summary>True for entries before the range (monotone along the index order).</summary>
    public bool IsBefore(IndexEntry entry)
    {
        var kind = entry.Value.Kind;
        if (kind != Kind) return kind < Kind;
        return Low is { } low && ValueOrder.Compare(entry.Value, low) < 0;
    }

    /// <summary>True for entries after the range (monotone along the index order).</summary>
    public bool IsPast(IndexEntry entry)
    {
        var kind = entry.Value.Kind;
        if (kind != Kind) return kind > Kind;
        if (High is { } high && ValueOrder.Compare(entry.Value, high) > 0) return true;
        return Prefix is { } prefix && Utf8Order.CompareStrings(entry.Value.AsString, prefix) > 0 && !entry.Value.AsString.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// The entries of the range in index order, or in reverse. <paramref name="resume"/> continues a walk: ascending,
    /// after that entry; descending, from the last entry whose value is at most its value (the caller drops the ids
    /// it has seen among equal values).
    /// </summary>
    public IEnumerable<IndexEntry> Walk(IndexTree tree, bool descending, IndexEntry? resume = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (!descending)
        {
            var start = resume is { } after ? tree.Seek(e => IsBefore(e) || e.CompareTo(after) <= 0) : tree.Seek(IsBefore);
            for (var p = start; p.HasValue && !IsPast(p.Entry); p = p.Next()) yield return p.Entry;
            yield break;
        }

        var past = resume is { } from
            ? tree.Seek(e => !(IsPast(e) || ValueOrder.Compare(e.Value, from.Value) > 0))
            : tree.Seek(e => !IsPast(e));
        for (var p = past.HasValue ? past.Previous() : tree.Last(); p.HasValue && !IsBefore(p.Entry); p = p.Previous()) yield return p.Entry;
    }

    /// <summary>One value exactly.</summary>
    public static IndexRange Point(Value value) => new(value.Kind, value, value);
}
