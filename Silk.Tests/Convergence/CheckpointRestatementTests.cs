using Silk.Core.Entries;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Tests.Convergence;

/// <summary>
/// Found by the convergence fuzz (seeds 5, 10, 23, 91 before the harness grew): compaction lost live
/// nodes. Under D3 a node's type comes from its oldest add, its subtype and label from its newest,
/// and each property from its newest writer, so a node re-added with another type can be live in a
/// shape that no single validated add_node restates; the checkpoint's replay then quarantined it.
/// </summary>
public sealed class CheckpointRestatementTests
{
    private static GraphStore Store() => GraphStore.Create("p0", FuzzSchema.Ontology);

    private static string Nodes(GraphStore store) =>
        string.Join("\n", store.AllNodes().Select(n => $"{n} {ValueJson.ToJson(Value.FromMap(n.Properties))}")
            .Concat(store.AllEdges().Select(e => $"{e} {ValueJson.ToJson(Value.FromMap(e.Properties))}")));

    private static void AssertCompactionKeepsTheGraph(GraphStore store)
    {
        var before = Nodes(store);
        Assert.True(store.VerifyCompactionSafe().Safe, string.Join("; ", store.VerifyCompactionSafe().Reasons));
        store.Compact();
        Assert.Equal(before, Nodes(store));
        Assert.Empty(store.Quarantined());
        using var bootstrapped = GraphStore.FromSnapshot("p1", Snapshot.Decode(store.ExportSnapshot().ToBytes()));
        Assert.Equal(before, Nodes(bootstrapped));
    }

    [Fact]
    public void A_node_whose_type_declares_subtypes_but_whose_newest_add_has_none_survives_compaction()
    {
        using var store = Store();
        store.AddNode("n", "tag", "T", ValueMap.Of(("name", "t"), ("shade", 3L)), "red");
        store.AddNode("n", "person", "P", ValueMap.Of(("name", "p"), ("age", 5L)));
        var node = store.GetNode("n")!;
        Assert.Equal(("tag", (string?)null, "P"), (node.NodeType, node.Subtype, node.Label));
        AssertCompactionKeepsTheGraph(store);
    }

    [Fact]
    public void A_property_only_a_newer_adds_type_allows_survives_compaction()
    {
        using var store = Store();
        store.AddNode("n", "person", "P", ValueMap.Of(("name", "p")));
        store.AddNode("n", "tag", "T", ValueMap.Of(("name", "t"), ("age", "old")), "blue");
        store.UpdateProperty("n", "name", "renamed");
        Assert.Equal("old", store.GetNode("n")!.Properties["age"].AsString);
        AssertCompactionKeepsTheGraph(store);
    }

    [Fact]
    public void A_node_restated_by_its_adds_can_be_compacted_again()
    {
        using var store = Store();
        store.AddNode("n", "tag", "T", ValueMap.Of(("name", "t"), ("shade", 3L)), "red");
        store.AddNode("n", "person", "P", ValueMap.Of(("name", "p"), ("age", 5L)));
        AssertCompactionKeepsTheGraph(store);
        store.AddNode("n", "server", "S", ValueMap.Of(("name", "s"), ("port", 80L)));
        AssertCompactionKeepsTheGraph(store);
        Assert.IsType<Checkpoint>(store.EntriesSince(null)[0].Payload);
    }

    // Edges are still restated by one add_edge: when that would lose a property, compaction says so
    // instead of losing it (remove or rewrite the edge, then compact).
    [Fact]
    public void Compaction_refuses_an_edge_it_cannot_restate_rather_than_lose_its_property()
    {
        using var store = Store();
        store.AddNode("a", "person", "A", ValueMap.Of(("name", "a")));
        store.AddNode("b", "person", "B", ValueMap.Of(("name", "b")));
        store.AddNode("s", "server", "S", ValueMap.Of(("name", "s")));
        store.AddEdge("e", "KNOWS", "a", "b");
        store.AddEdge("e", "RUNS_ON", "a", "s", ValueMap.Of(("since", "long ago")));
        Assert.Equal(("KNOWS", "long ago"), (store.GetEdge("e")!.EdgeType, store.GetEdge("e")!.Properties["since"].AsString));

        var (safe, reasons) = store.VerifyCompactionSafe();
        Assert.False(safe);
        Assert.Contains(reasons, r => r.Contains("would not restate the live state of edge 'e'", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => store.Compact());

        store.UpdateProperty("e", "since", 1999L);
        AssertCompactionKeepsTheGraph(store);
    }
}
