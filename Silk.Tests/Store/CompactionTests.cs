using Silk.Core.Entries;
using Silk.Core.Store;
using Silk.Core.Wire;
using Silk.Tests.Graph;

namespace Silk.Tests.Store;

public class CompactionTests
{
    private static ValueMap Name(string name) => ValueMap.Of(("name", name));

    private static GraphStore Busy()
    {
        var store = TestStores.Create();
        store.AddNode("a", "person", "A", Name("a"));
        store.AddNode("b", "person", "B", Name("b"));
        store.AddNode("gone", "person", "G", Name("g"));
        store.AddNode("s", "server", "S", Name("s"));
        store.AddEdge("k", "KNOWS", "a", "b", ValueMap.Of(("since", 1999L)));
        store.AddEdge("r", "RUNS_ON", "gone", "s");
        store.UpdateProperty("a", "age", 41L);
        store.UpdateProperty("k", "since", 2001L);
        store.RemoveNode("gone");
        return store;
    }

    private static string Visible(GraphStore store) => store.ReadGraph(g =>
        string.Join("\n", g.AllNodes().Select(n => $"{n.NodeId}:{n.NodeType}:{n.Label}:{ValueJson.ToJson(Value.FromMap(n.Properties))}")
            .Concat(g.AllEdges().Select(e => $"{e.EdgeId}:{e.SourceId}->{e.TargetId}:{ValueJson.ToJson(Value.FromMap(e.Properties))}"))));

    [Fact]
    public void Compaction_keeps_the_visible_state_in_a_single_checkpoint()
    {
        using var store = Busy();
        var before = Visible(store);
        var hash = store.Compact();
        Assert.Equal(1, store.EntryCount);
        Assert.Equal([hash], store.Heads);
        Assert.IsType<Checkpoint>(store.GetEntry(hash)!.Payload);
        Assert.Equal(before, Visible(store));
        Assert.Empty(store.VerifyIntegrity());

        // The checkpoint replays to the same state on a fresh peer.
        using var fresh = TestStores.Create("peer-f");
        fresh.Merge(store.ExportSnapshot().Entries);
        Assert.Equal(before, Visible(fresh));
        store.AddNode("after", "person", "X", Name("x"));
        Assert.NotNull(store.GetNode("after"));
    }

    [Fact]
    public void Non_finite_and_negative_zero_floats_are_restated_bit_for_bit()
    {
        using var store = TestStores.Create();
        store.AddNode("f", "person", "F", ValueMap.Of(("name", "f"), ("nan", double.NaN), ("inf", double.NegativeInfinity), ("minus_zero", -0.0)));
        Assert.True(store.VerifyCompactionSafe().Safe, string.Join("; ", store.VerifyCompactionSafe().Reasons));
        var before = ValueCodec.Encode(Value.FromMap(store.GetNode("f")!.Properties));
        store.Compact();
        Assert.Equal(before, ValueCodec.Encode(Value.FromMap(store.GetNode("f")!.Properties)));
    }

    [Fact]
    public void Quarantined_entries_survive_compaction()
    {
        using var a = TestStores.Create("peer-a");
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot());
        var bad = Entry.Create(new AddNode("r", "robot", null, "R", ValueMap.Empty), a.Heads, a.Clock with { Id = "peer-a", PhysicalMs = a.Clock.PhysicalMs + 1 }, "peer-a");
        b.Merge([bad]);
        Assert.Single(b.Quarantined());
        b.Compact();
        Assert.Equal(2, b.EntryCount);
        var carried = Assert.Single(b.Quarantined());
        Assert.Equal("add_node", carried.OpKind);
        Assert.Equal("unknown node type: 'robot'", carried.Reason);
    }

    [Fact]
    public void Unsafe_compaction_is_refused_with_reasons()
    {
        using var store = Busy();
        store.Peers.Register("never", "http://127.0.0.1:1");
        var heads = store.Heads;
        store.RegisterSubscriberCursor(heads);
        var (safe, reasons) = store.VerifyCompactionSafe();
        Assert.False(safe);
        Assert.Equal(["peer 'never' has never synced"], reasons);

        store.Peers.Unregister("never");
        store.AddNode("z", "person", "Z", Name("z"));
        (safe, reasons) = store.VerifyCompactionSafe();
        Assert.Equal(["subscriber cursor #0 is behind current heads"], reasons);
        var ex = Assert.Throws<InvalidOperationException>(() => store.Compact());
        Assert.StartsWith("compaction is unsafe: subscriber cursor #0 is behind current heads", ex.Message);

        store.UnregisterSubscriberCursor(heads);
        Assert.True(store.VerifyCompactionSafe().Safe);
        var count = store.EntryCount;
        store.Compact(safe: false);
        Assert.True(store.EntryCount < count);
    }

    [Fact]
    public void TryCompact_compacts_only_when_safe_and_names_the_kind_and_subject_of_each_blocker()
    {
        using var store = Busy();
        store.Peers.Register("never", "http://127.0.0.1:1");
        var heads = store.Heads;
        store.RegisterSubscriberCursor(heads);
        store.AddNode("z", "person", "Z", Name("z"));
        var count = store.EntryCount;

        var refused = store.TryCompact();

        Assert.False(refused.Compacted);
        Assert.Equal(
            [(CompactionBlockerKind.PeerNeverSynced, "never"), (CompactionBlockerKind.CursorBehind, "cursor #0")],
            refused.Blockers.Select(b => (b.Kind, b.Subject)));
        Assert.Equal(store.VerifyCompactionSafe().Reasons, refused.Blockers.Select(b => b.Reason));
        Assert.Equal(count, store.EntryCount);
        Assert.Equal(count - 1, store.CompactableEntries);

        store.Peers.Unregister("never");
        store.UnregisterSubscriberCursor(heads);
        var before = Visible(store);
        var done = store.TryCompact();

        Assert.True(done.Compacted);
        Assert.Empty(done.Blockers);
        Assert.Equal((count, 1), (done.EntriesBefore, done.EntriesAfter));
        Assert.Equal([done.Checkpoint!.Value], store.Heads);
        Assert.Equal(0, store.CompactableEntries);
        Assert.Equal(before, Visible(store));
    }

    [Fact]
    public void TryCompact_declines_while_another_compaction_runs()
    {
        CompactionAttempt? during = null;
        GraphStore? store = null;
        // The tracker reports the compaction's start synchronously, from inside the running compaction.
        var operations = new Silk.Core.Diagnostics.OperationTracker
        {
            Reported = s =>
            {
                if (s is { Name: "compaction", Running: true }) during = store!.TryCompact();
            },
        };
        using var opened = GraphStore.Create("peer-a", TestStores.Ontology, new GraphStoreOptions { Operations = operations });
        store = opened;
        store.AddNode("a", "person", "A", Name("a"));

        store.Compact();

        Assert.NotNull(during);
        Assert.False(during.Compacted);
        Assert.Equal(CompactionBlockerKind.CompactionRunning, Assert.Single(during.Blockers).Kind);
        Assert.Equal(1, store.EntryCount);
    }
}
