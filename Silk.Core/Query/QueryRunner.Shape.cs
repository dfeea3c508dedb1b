using Silk.Core.Graph;
using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>
/// The shape of the answer: grouping (over every final item), then sort, cursor, skip and limit. A sorted list is in
/// the order of its keys then its ids, an unsorted one in id order (or discovery order after a follow), so a cursor
/// names one place in it and paging gives each item once while nothing changes.
/// </summary>
public static partial class QueryRunner
{
    private const string AfterPath = "/after";

    private static QueryResult Shape(IReadOnlyList<NodeView>? nodes, IReadOnlyList<EdgeView>? edges, GraphQuery query, bool idOrder)
    {
        var items = new List<QueryItem>(nodes?.Count ?? edges!.Count);
        if (nodes is not null) foreach (var n in nodes) items.Add(new QueryItem(n, null));
        else foreach (var e in edges!) items.Add(new QueryItem(null, e));

        var groups = query.GroupBy is { } by ? Group(items, by) : null;
        var keyed = items.Select(i => (Item: i, Keys: SortValues(i, query.Sort))).ToList();
        if (query.Sort.Count > 0) keyed.Sort((x, y) => CompareKeyed(x.Keys, x.Item.Id, y.Keys, y.Item.Id, query.Sort));
        var ordered = idOrder || query.Sort.Count > 0;

        var start = query.After switch
        {
            null => 0,
            KeyCursor k when ordered => FirstAfter(keyed, Checked(k, query), query.Sort),
            OffsetCursor o when !ordered => Math.Min(o.Offset, keyed.Count),
            _ => throw new SelectorException(AfterPath, "belongs to another query: pass the `next` value of the previous page of this query"),
        };
        start = (int)Math.Min(keyed.Count, (long)start + query.Skip);
        var take = Math.Min(query.Limit ?? int.MaxValue, keyed.Count - start);
        var page = keyed.GetRange(start, take);
        QueryCursor? next = null;
        if (query.Limit is not null && take > 0 && start + take < keyed.Count)
        {
            var last = page[^1];
            next = ordered ? new KeyCursor(last.Keys, last.Item.Id) : new OffsetCursor(start + take);
        }

        var result = nodes is not null
            ? new QueryResult(page.Select(p => p.Item.Node!).ToList(), null)
            : new QueryResult(null, page.Select(p => p.Item.Edge!).ToList());
        return result with { Next = next, Groups = groups };
    }

    private static KeyCursor Checked(KeyCursor cursor, GraphQuery query) =>
        cursor.SortValues.Count == query.Sort.Count
            ? cursor
            : throw new SelectorException(AfterPath, $"was made for a sort of {cursor.SortValues.Count} keys, this query sorts by {query.Sort.Count}");

    internal static Value?[] SortValues(QueryItem item, IReadOnlyList<SortKey> sort)
    {
        if (sort.Count == 0) return [];
        var values = new Value?[sort.Count];
        for (var i = 0; i < values.Length; i++) values[i] = sort[i].Field.TryGet(item, out var v) ? (Value?)v : null;
        return values;
    }

    /// <summary>By each key (an item without the value first, ascending), descending keys reversed, then by id.</summary>
    internal static int CompareKeyed(IReadOnlyList<Value?> x, string xId, IReadOnlyList<Value?> y, string yId, IReadOnlyList<SortKey> sort)
    {
        for (var i = 0; i < sort.Count; i++)
        {
            var c = CompareOptional(x[i], y[i]);
            if (c != 0) return sort[i].Descending ? -c : c;
        }

        return Utf8Order.CompareStrings(xId, yId);
    }

    internal static int CompareOptional(Value? x, Value? y) => (x, y) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        _ => ValueOrder.Compare(x.Value, y.Value),
    };

    private static int FirstAfter(List<(QueryItem Item, Value?[] Keys)> keyed, KeyCursor cursor, IReadOnlyList<SortKey> sort)
    {
        int lo = 0, hi = keyed.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (CompareKeyed(keyed[mid].Keys, keyed[mid].Item.Id, cursor.SortValues, cursor.Id, sort) <= 0) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    private static List<GroupCount> Group(List<QueryItem> items, QueryField by)
    {
        var counts = new Dictionary<Value, int>();
        foreach (var item in items)
        {
            var value = by.TryGet(item, out var v) ? v : Value.Null;
            counts[value] = counts.GetValueOrDefault(value) + 1;
        }

        return counts.Select(c => new GroupCount(c.Key, c.Value)).OrderBy(g => g.Value, ValueOrder.Comparer).ToList();
    }
}
