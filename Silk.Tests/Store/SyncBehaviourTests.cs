using Microsoft.Extensions.Time.Testing;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;
using Silk.Tests.Graph;

namespace Silk.Tests.Store;

public class SyncBehaviourTests
{
    private static ValueMap Name(string name) => ValueMap.Of(("name", name));

    private static void Exchange(GraphStore from, GraphStore to, PayloadMode mode)
    {
        var payload = from.ComputePayload(SyncOffer.Decode(to.GenerateOffer().ToBytes()), mode);
        var result = to.Merge(SyncPayload.Decode(payload.ToBytes()), holdUnresolved: mode == PayloadMode.Delta);
        // Delta sync: ask for the parents a bloom false positive left out until nothing is missing.
        for (var round = 0; result.MissingParents.Count > 0 && round < 20; round++)
        {
            result = to.Merge(from.EntriesFor(result.MissingParents), holdUnresolved: true);
        }

        Assert.Empty(result.MissingParents);
    }

    private static string State(GraphStore store) => store.ReadGraph(g => GraphStateProjection.Canonical(g));

    [Theory]
    [InlineData(PayloadMode.Compatible, 1)]
    [InlineData(PayloadMode.Delta, 2)]
    [InlineData(PayloadMode.Compatible, 3)]
    [InlineData(PayloadMode.Delta, 4)]
    public void Three_stores_converge_through_random_partial_exchanges(PayloadMode mode, int seed)
    {
        var random = new Random(seed);
        using var a = TestStores.Create("peer-a");
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot());
        using var c = GraphStore.FromSnapshot("peer-c", a.ExportSnapshot());
        var stores = new[] { a, b, c };
        for (var step = 0; step < 300; step++)
        {
            var store = stores[random.Next(3)];
            var id = $"n{random.Next(12)}";
            switch (random.Next(7))
            {
                case 0 or 1:
                    store.AddNode(id, random.Next(2) == 0 ? "person" : "server", $"L{random.Next(3)}", Name(id));
                    break;
                case 2 when store.GetNode(id) is { NodeType: "person" }:
                    store.UpdateProperty(id, "age", (long)random.Next(100));
                    break;
                case 3:
                    store.RemoveNode(id);
                    break;
                case 4 when store.GetNode(id) is { } source && store.GetNode($"n{random.Next(12)}") is { NodeType: "server" } target:
                    store.AddEdge($"e{random.Next(6)}", "RUNS_ON", source.NodeId, target.NodeId);
                    break;
                case 5 or 6:
                    var from = stores[random.Next(3)];
                    var to = stores[random.Next(3)];
                    if (from != to) Exchange(from, to, mode);
                    break;
            }
        }

        foreach (var from in stores)
        {
            foreach (var to in stores)
            {
                if (from != to) Exchange(from, to, mode);
            }
        }

        Assert.Equal(a.Heads, b.Heads);
        Assert.Equal(a.Heads, c.Heads);
        Assert.Equal(a.EntriesSince(null).Select(e => e.Hash), b.EntriesSince(null).Select(e => e.Hash));
        Assert.Equal(State(a), State(b));
        Assert.Equal(State(a), State(c));
        Assert.All(stores, s => Assert.Empty(s.VerifyIntegrity()));
    }

    [Fact]
    public void Delta_payload_sends_only_what_the_peer_lacks_after_divergence()
    {
        using var a = TestStores.Create("peer-a");
        for (var i = 0; i < 500; i++) a.AddNode($"n{i}", "person", "x", Name("x"));
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot());
        b.AddNode("b-only", "person", "b", Name("b"));
        for (var i = 500; i < 550; i++) a.AddNode($"n{i}", "person", "x", Name("x"));

        var offer = b.GenerateOffer();
        var compatible = a.ComputePayload(offer, PayloadMode.Compatible);
        var delta = a.ComputePayload(offer, PayloadMode.Delta);
        // The original re-sends the shared history back to genesis once the peer has its own head.
        Assert.True(compatible.Entries.Count >= 550, $"compatible sent {compatible.Entries.Count}");
        Assert.InRange(delta.Entries.Count, 45, 50);
        Assert.All(delta.Entries, e => Assert.Null(b.GetEntry(e.Hash)));
        Exchange(a, b, PayloadMode.Delta);
        Exchange(b, a, PayloadMode.Delta);
        Assert.Equal(a.Heads, b.Heads);
    }

    [Fact]
    public void Entries_with_missing_parents_wait_and_are_reported_then_merge_when_the_parent_arrives()
    {
        using var a = TestStores.Create("peer-a");
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot());
        var first = a.AddNode("x", "person", "X", Name("x"));
        a.UpdateProperty("x", "age", 7L);
        var all = a.EntriesSince(null);
        var child = all[^1];

        var ex = Assert.Throws<SyncRejectedException>(() => b.Merge([child]));
        Assert.Equal("1 entries have unresolvable parents", ex.Message);
        Assert.Equal(1, b.EntryCount);

        var held = b.Merge([child], holdUnresolved: true);
        Assert.Equal((0, 1), (held.Inserted, held.Pending));
        Assert.Equal([first], held.MissingParents);
        Assert.Null(b.GetNode("x"));

        var done = b.Merge(a.EntriesFor([first]), holdUnresolved: true);
        Assert.Equal((2, 0), (done.Inserted, done.Pending));
        Assert.Equal(7L, b.GetNode("x")!.Properties["age"].AsInt);
    }

    [Fact]
    public void A_bad_hash_refuses_the_whole_payload()
    {
        using var a = TestStores.Create("peer-a");
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot());
        a.AddNode("x", "person", "X", Name("x"));
        a.AddNode("y", "person", "Y", Name("y"));
        var entries = a.EntriesSince(null).ToList();
        var bytes = entries[^1].ToBytes();
        bytes[bytes[4] < 0x80 ? 4 : 5] ^= 1;
        entries[^1] = Entry.Decode(bytes);
        var ex = Assert.Throws<SyncRejectedException>(() => b.Merge(entries));
        Assert.StartsWith("entry hash verification failed", ex.Message);
        Assert.Equal(1, b.EntryCount);
        Assert.Null(b.GetNode("x"));
    }

    [Fact]
    public void Entries_too_far_ahead_are_dropped_against_max_of_clock_and_wall()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        using var a = TestStores.Create("peer-a", time);
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot(), new GraphStoreOptions { Time = time });
        time.Advance(TimeSpan.FromHours(2)); // b has been idle: its own clock is far behind the wall clock
        var fresh = a.AddNode("fresh", "person", "F", Name("f"));
        var head = a.Heads[0];
        var future = Entry.Create(new AddNode("future", "person", null, "F", Name("f")), [head],
            new ClockStamp("peer-a", (ulong)time.GetUtcNow().ToUnixTimeMilliseconds() + 2_000_000, 0), "peer-a");
        var result = b.Merge([.. a.EntriesSince(null), future], holdUnresolved: true);
        Assert.NotNull(b.GetNode("fresh")); // D5: judged against the wall clock, an idle store accepts fresh writes
        Assert.Null(b.GetNode("future"));
        var dropped = Assert.Single(result.Dropped);
        Assert.Equal(future.Hash, dropped.Hash);
        Assert.Contains("ahead", dropped.Reason);
        Assert.NotNull(b.GetEntry(fresh));
    }

    [Fact]
    public void A_foreign_checkpoint_is_refused_by_a_store_with_writes_and_adopted_by_a_fresh_one()
    {
        using var a = TestStores.Create("peer-a");
        a.AddNode("x", "person", "X", Name("x"));
        var ontology = a.Ontology;
        var checkpoint = Entry.Create(
            new Checkpoint([new DefineOntology(ontology), new AddNode("k", "person", null, "K", ValueMap.Empty), new UpdateProperty("k", "name", "k")], [(1, 0), (2, 0), (2, 1)], 10, 0),
            [], new ClockStamp("peer-z", 10, 0), "peer-z");
        var ex = Assert.Throws<SyncRejectedException>(() => a.Merge([checkpoint]));
        Assert.Contains("refusing checkpoint", ex.Message);
        Assert.NotNull(a.GetNode("x"));

        using var fresh = TestStores.Create("peer-f");
        var result = fresh.Merge([checkpoint]);
        Assert.Equal(1, result.Inserted);
        Assert.Equal([checkpoint.Hash], fresh.Heads);
        Assert.Equal("k", fresh.GetNode("k")!.Properties["name"].AsString);
    }

    [Fact]
    public void Merged_entries_are_announced_once_and_known_ones_are_not_reapplied()
    {
        using var a = TestStores.Create("peer-a");
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot());
        a.AddNode("x", "person", "X", Name("x"));
        var events = new List<ChangeEvent>();
        b.Subscribe(events.Add);
        b.Merge(a.EntriesSince(null));
        b.RemoveNode("x");
        var again = b.Merge(a.EntriesSince(null));
        Assert.Equal(0, again.Inserted);
        Assert.Null(b.GetNode("x")); // re-sending the old add did not resurrect the node
        Assert.Equal(2, events.Count);
        Assert.False(events[0].Local);
        Assert.True(events[1].Local);
    }

    [Fact]
    public void A_snapshot_bootstraps_a_store_whose_clock_starts_at_the_newest_entry()
    {
        using var a = TestStores.Create("peer-a");
        a.AddNode("x", "person", "X", Name("x"));
        var newest = a.Clock;
        using var b = GraphStore.FromSnapshot("peer-b", Snapshot.Decode(a.ExportSnapshot().ToBytes()));
        Assert.Equal((newest.PhysicalMs, newest.Logical), (b.Clock.PhysicalMs, b.Clock.Logical));
        Assert.Equal("peer-b", b.InstanceId);
        Assert.Equal(a.Heads, b.Heads);
        Assert.Throws<SyncRejectedException>(() => GraphStore.FromSnapshot("z", new Snapshot(a.EntriesSince(null).Skip(1).ToList())));
    }
}
