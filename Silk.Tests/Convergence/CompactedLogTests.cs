using Silk.Core.Entries;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Tests.Convergence;

/// <summary>
/// Found by the convergence fuzz once it delivered messages sent before a compaction: a compacted
/// store took the old genesis back as a second root (and the whole old history with it), and the
/// converged log then put that genesis ahead of the checkpoint in its snapshot, which no store could
/// bootstrap from. A fresh store adopting a checkpoint together with other roots failed half-way.
/// </summary>
public sealed class CompactedLogTests
{
    private static ValueMap Named(string name) => ValueMap.Of(("name", name));

    private static SyncPayload PayloadFor(GraphStore from, GraphStore to, PayloadMode mode) =>
        SyncPayload.Decode(from.ComputePayload(SyncOffer.Decode(to.GenerateOffer().ToBytes()), mode).ToBytes());

    [Theory]
    [InlineData(PayloadMode.Compatible)]
    [InlineData(PayloadMode.Delta)]
    public void A_compacted_store_does_not_take_back_history_from_before_its_checkpoint(PayloadMode mode)
    {
        using var a = GraphStore.Create("p0", FuzzSchema.Ontology);
        a.AddNode("n0", "person", "A", Named("a"));
        using var b = GraphStore.FromSnapshot("p1", a.ExportSnapshot());
        b.AddNode("n1", "person", "B", Named("b"));
        a.Compact();
        var count = a.EntryCount;

        var stale = PayloadFor(b, a, mode);
        Assert.Contains(stale.Entries, e => e.IsRoot && e.Payload is DefineOntology);
        if (mode == PayloadMode.Compatible)
        {
            Assert.Throws<SyncRejectedException>(() => a.Merge(stale));
        }
        else
        {
            var result = a.Merge(stale, holdUnresolved: true);
            Assert.Equal(0, result.Inserted);
            Assert.Contains(result.Dropped, d => d.Reason.Contains("before a compaction", StringComparison.Ordinal));
        }

        Assert.Equal(count, a.EntryCount);
        Assert.IsType<Checkpoint>(a.EntriesSince(null)[0].Payload);
        using var bootstrapped = GraphStore.FromSnapshot("p2", Snapshot.Decode(a.ExportSnapshot().ToBytes()));
        Assert.Equal(a.Heads, bootstrapped.Heads);
    }

    [Fact]
    public void A_fresh_store_adopts_a_checkpoint_first_and_atomically_whatever_else_the_payload_holds()
    {
        using var other = GraphStore.Create("p9", FuzzSchema.Ontology);
        other.AddNode("n9", "person", "O", Named("o"));
        using var a = GraphStore.Create("p0", FuzzSchema.Ontology);
        a.AddNode("n0", "person", "A", Named("a"));
        a.Compact();
        // The checkpoint, another store's genesis and a child of it, in an order that puts the genesis first.
        var mixed = other.EntriesSince(null).Concat(a.EntriesSince(null)).ToList();

        using var fresh = GraphStore.Create("p1", FuzzSchema.Ontology);
        Assert.Throws<SyncRejectedException>(() => fresh.Merge(mixed));
        Assert.Equal(1, fresh.EntryCount);
        Assert.IsType<DefineOntology>(fresh.EntriesSince(null)[0].Payload);

        var result = fresh.Merge(mixed, holdUnresolved: true);
        Assert.Equal(a.Heads, fresh.Heads);
        Assert.Equal(1, result.Pending);
        Assert.NotNull(fresh.GetNode("n0"));
        Assert.Null(fresh.GetNode("n9"));
        Assert.Empty(fresh.VerifyIntegrity());
    }
}
