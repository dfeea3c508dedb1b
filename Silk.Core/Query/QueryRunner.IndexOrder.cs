using Silk.Core.Graph;
using Silk.Core.Indexing;
using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>
/// A query sorted by its index's property alone, with no steps and no grouping, is answered by walking the index in
/// order from the cursor and stopping once the page is full: O(log n + examined), whatever the size of the graph.
/// </summary>
public static partial class QueryRunner
{
    private static bool ServesOrder(IndexPlan plan, GraphQuery query) =>
        query.Steps.Count == 0
        && query.GroupBy is null
        && query.Sort.Count == 1
        && query.Sort[0].Field.IsProperty
        && string.Equals(query.Sort[0].Field.Name, plan.Index.Definition.Property, StringComparison.Ordinal)
        && query.After is null or KeyCursor { SortValues.Count: 1 };

    private static QueryResult RunInIndexOrder(IGraphReader graph, GraphQuery query, NodesStart start, IndexPlan plan)
    {
        var descending = query.Sort[0].Descending;
        var cursor = query.After as KeyCursor;
        // Every entry has the property. A cursor at an item without it (which sorts first) resumes at the start when
        // ascending, and has nothing after it when descending.
        var resume = cursor?.SortValues[0] is { } at ? new IndexEntry(at, cursor.Id) : (IndexEntry?)null;
        if (descending && cursor is not null && resume is null) return new QueryResult([], null) { Plan = Used(plan, 0) };
        var wanted = query.Limit is { } limit ? (long)query.Skip + limit + 1 : long.MaxValue;
        var matches = new List<NodeView>();
        long examined = 0;
        var ranges = descending ? plan.Ranges.Reverse() : plan.Ranges;
        foreach (var range in ranges)
        {
            if (matches.Count >= wanted) break;
            var walk = range.Walk(plan.Index.Tree, descending, resume);
            foreach (var entry in descending ? EqualValuesById(walk) : walk)
            {
                examined++;
                if (descending && resume is { } r && ValueOrder.Compare(entry.Value, r.Value) == 0 && Utf8Order.CompareStrings(entry.NodeId, r.NodeId) <= 0) continue;
                if (Candidate(graph, entry.NodeId, start, query.Where!) is { } node) matches.Add(node);
                if (matches.Count >= wanted) break;
            }
        }

        var skip = (int)Math.Min(query.Skip, matches.Count);
        var take = Math.Min(query.Limit ?? int.MaxValue, matches.Count - skip);
        var page = matches.GetRange(skip, take);
        QueryCursor? next = null;
        if (query.Limit is not null && take > 0 && skip + take < matches.Count)
        {
            var last = page[^1];
            next = new KeyCursor([last.Properties[plan.Index.Definition.Property]], last.NodeId);
        }

        return new QueryResult(page, null) { Next = next, Plan = Used(plan, examined) with { Note = "read in index order (sort on the indexed property)" } };
    }

    /// <summary>A descending walk meets equal values in descending id order; a stable sort keeps them in ascending id order.</summary>
    private static IEnumerable<IndexEntry> EqualValuesById(IEnumerable<IndexEntry> descending)
    {
        var run = new List<IndexEntry>();
        foreach (var entry in descending)
        {
            if (run.Count > 0 && ValueOrder.Compare(run[0].Value, entry.Value) != 0)
            {
                for (var i = run.Count - 1; i >= 0; i--) yield return run[i];
                run.Clear();
            }

            run.Add(entry);
        }

        for (var i = run.Count - 1; i >= 0; i--) yield return run[i];
    }
}
