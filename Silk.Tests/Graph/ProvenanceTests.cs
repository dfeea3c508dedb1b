using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Log;
using Silk.Core.Wire;

namespace Silk.Tests.Graph;

/// <summary>entries_affecting (provenance): every entry naming an id, in topological order.</summary>
public class ProvenanceTests
{
    private static AlgorithmVectorGraph Vector => AlgorithmVectorGraph.Instance;

    private static List<int> Indexes(IReadOnlyList<Entry> entries) =>
        entries.Select(e => Vector.Entries.ToList().FindIndex(v => v.Hash == e.Hash)).ToList();

    [Fact]
    public void A_node_id_finds_its_adds_removes_and_the_edges_it_ends()
    {
        // auth: add_node (2), c1 api->auth (10), c3 auth->users_db (12), c5 billing->auth (14), c6 auth->cache (15).
        Assert.Equal([2, 10, 12, 14, 15], Indexes(Vector.Log.EntriesAffecting("auth")));
        // gone: add_node (9), c7 cache->gone (16), remove_node (19).
        Assert.Equal([9, 16, 19], Indexes(Vector.Log.EntriesAffecting("gone")));
    }

    [Fact]
    public void An_edge_id_finds_its_own_entries_only()
    {
        Assert.Equal([13], Indexes(Vector.Log.EntriesAffecting("c4")));
    }

    [Fact]
    public void Unknown_ids_and_schema_names_find_nothing()
    {
        Assert.Empty(Vector.Log.EntriesAffecting("nope"));
        Assert.Empty(Vector.Log.EntriesAffecting("svc"));
        Assert.Empty(Vector.Log.EntriesAffecting("CALLS"));
        Assert.Empty(Vector.Log.EntriesAffecting("x"));
    }

    [Fact]
    public void Updates_and_removes_are_found_in_causal_order_even_across_unrelated_entries()
    {
        var g = TestGraph.WithNodes("a", "b");
        var edge = g.Edge("a", "b", id: "e");
        var update = g.Update("e", "w", Value.FromInt(1));
        var nodeUpdate = g.Update("a", "n", Value.FromInt(1));
        // The remove's parent is the node update, outside the subset: it still comes after the edge update.
        var removeEdge = g.RemoveEdge("e");
        Assert.Equal([edge.Hash, update.Hash, removeEdge.Hash], g.Log.EntriesAffecting("e").Select(e => e.Hash));
        var a = g.Log.EntriesAffecting("a");
        Assert.Equal(3, a.Count);
        Assert.Equal(new AddNode("a", "thing", null, "a", ValueMap.Empty), a[0].Payload);
        Assert.Equal([edge.Hash, nodeUpdate.Hash], a.Skip(1).Select(e => e.Hash));
        Assert.Equal(g.Log.TopologicalOrder().Where(e => a.Contains(e)).Select(e => e.Hash), a.Select(e => e.Hash));
    }

    [Fact]
    public void Concurrent_branches_come_back_in_the_log_topological_order()
    {
        var g = TestGraph.WithNodes("a");
        var root = g.Log.Heads;
        var left = Entry.Create(new UpdateProperty("a", "n", Value.FromInt(1)), root, new ClockStamp("p", g.Time + 5, 0), "p");
        var right = Entry.Create(new UpdateProperty("a", "n", Value.FromInt(2)), root, new ClockStamp("q", g.Time + 3, 0), "q");
        g.Log.Append(left);
        g.Log.Append(right);
        var found = g.Log.EntriesAffecting("a").Select(e => e.Hash).ToList();
        Assert.Equal(3, found.Count);
        Assert.Equal([right.Hash, left.Hash], found.Skip(1));
    }

    [Fact]
    public void A_checkpoint_mentioning_the_id_is_returned()
    {
        var checkpoint = Entry.Create(
            new Checkpoint([new AddNode("a", "thing", null, "a", ValueMap.Empty), new AddEdge("e", "LINK", "a", "b", ValueMap.Empty)], [(1, 0), (2, 0)], 10, 0),
            [],
            new ClockStamp("t", 10, 0),
            "t");
        var log = new OpLog(checkpoint);
        var later = Entry.Create(new RemoveNode("b"), log.Heads, new ClockStamp("t", 11, 0), "t");
        log.Append(later);
        Assert.Equal([checkpoint.Hash], log.EntriesAffecting("a").Select(e => e.Hash));
        Assert.Equal([checkpoint.Hash, later.Hash], log.EntriesAffecting("b").Select(e => e.Hash));
        Assert.Equal([checkpoint.Hash], log.EntriesAffecting("e").Select(e => e.Hash));
        Assert.Empty(log.EntriesAffecting("thing"));
    }
}
