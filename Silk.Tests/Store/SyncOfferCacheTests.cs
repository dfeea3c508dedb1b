using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Tests.Store;

/// <summary>
/// The offer is built once per state of the log and clock and then served again: it must always be the offer the
/// definition gives for the store as it is now (a bloom filter over every entry hash sized by the entry count, the
/// heads, the clock), whatever changed the store in between.
/// </summary>
public class SyncOfferCacheTests
{
    /// <summary>The offer built from scratch from what the store holds now.</summary>
    private static byte[] FreshOffer(GraphStore store)
    {
        var entries = store.ExportSnapshot().Entries;
        var bloom = BloomFilter.Create(Math.Max((ulong)entries.Count, SyncLimits.BloomMinimumItems), SyncLimits.BloomFalsePositiveRate);
        foreach (var entry in entries) bloom.Insert(entry.Hash);
        var clock = store.Clock;
        return new SyncOffer(SyncLimits.ProtocolVersion, store.Heads, bloom, clock.PhysicalMs, clock.Logical).ToBytes();
    }

    private static void AssertCurrent(GraphStore store)
    {
        var expected = FreshOffer(store);
        Assert.Equal(expected, store.GenerateOfferBytes().ToArray());
        Assert.Equal(expected, store.GenerateOffer().ToBytes());
    }

    private static void AddNodes(GraphStore store, string prefix, int count)
    {
        for (var i = 0; i < count; i++) store.AddNode($"{prefix}{i}", "entity", $"{prefix}{i}", ValueMap.Of(("name", $"{prefix}{i}")));
    }

    [Fact]
    public void The_offer_is_the_fresh_one_after_writes_removals_merges_an_extension_and_a_compaction()
    {
        using var store = TestStores.Create("peer-a");
        AssertCurrent(store);
        var genesisOnly = store.GenerateOfferBytes().ToArray();

        // Past the bloom filter's minimum size, so that its dimensions move with every entry.
        AddNodes(store, "a", 200);
        AssertCurrent(store);
        Assert.NotEqual(genesisOnly, store.GenerateOfferBytes().ToArray());

        store.RemoveNode("a3");
        store.UpdateProperty("a4", "name", Value.FromString("renamed"));
        AssertCurrent(store);

        using var other = GraphStore.FromSnapshot("peer-b", store.ExportSnapshot());
        AddNodes(other, "b", 30);
        store.Merge(other.ComputePayload(store.GenerateOffer(), PayloadMode.Delta));
        Assert.Equal(other.EntryCount, store.EntryCount);
        AssertCurrent(store);

        store.ExtendOntology(Silk.Core.Schema.OntologyJson.ParseExtension("""{"node_types":{"robot":{"properties":{}}}}"""));
        AssertCurrent(store);

        store.Compact(safe: false);
        Assert.Equal(1, store.EntryCount);
        AssertCurrent(store);

        AddNodes(store, "c", 5);
        AssertCurrent(store);
    }

    [Fact]
    public void An_unchanged_store_serves_the_same_bytes_and_a_caller_changing_its_offer_changes_nothing_else()
    {
        using var store = TestStores.Create("peer-a");
        AddNodes(store, "a", 300);
        var first = store.GenerateOfferBytes();
        Assert.True(first.Equals(store.GenerateOfferBytes()), "the encoding is built once while nothing changes");

        var mine = store.GenerateOffer();
        mine.Bloom.Insert(new Hash(1, 2, 3, 4));
        Assert.Equal(FreshOffer(store), store.GenerateOfferBytes().ToArray());
        Assert.Equal(FreshOffer(store), store.GenerateOffer().ToBytes());
    }

    [Fact]
    public async Task Concurrent_readers_and_writers_always_see_an_offer_of_a_state_the_store_was_in()
    {
        using var store = TestStores.Create("peer-a");
        AddNodes(store, "seed", 150);
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 300; i++) store.AddNode($"w{i}", "entity", "w", ValueMap.Of(("name", $"w{i}")));
        });
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            var seen = 0;
            while (!writer.IsCompleted || seen == 0)
            {
                var offer = SyncOffer.Decode(store.GenerateOfferBytes());
                // Every head of the offer is an entry of the store, and the filter holds every entry of the offer's past.
                foreach (var head in offer.Heads)
                {
                    Assert.NotNull(store.GetEntry(head));
                    Assert.True(offer.Bloom.MightContain(head));
                }

                seen++;
            }
        })).ToArray();
        await Task.WhenAll([writer, .. readers]);
        AssertCurrent(store);
    }
}
