using Silk.Core.Store;
using Silk.Core.Wire;
using Silk.Tests.Graph;

namespace Silk.Tests.Store;

public class SyncExchangeTests
{
    private static ValueMap Name(string name) => ValueMap.Of(("name", name));

    [Theory]
    [InlineData(PayloadMode.Delta)]
    [InlineData(PayloadMode.Compatible)]
    public async Task One_exchange_makes_both_sides_equal(PayloadMode mode)
    {
        using var a = TestStores.Create("peer-a");
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot());
        for (var i = 0; i < 300; i++) a.AddNode($"a{i}", "person", "A", Name("a"));
        for (var i = 0; i < 200; i++) b.AddNode($"b{i}", "person", "B", Name("b"));
        b.UpdateProperty("b1", "age", 3L);

        var result = await SyncExchange.RunAsync(a, new LocalSyncPeer(b), mode);

        Assert.Equal(201, result.Pulled);
        Assert.Equal(300, result.Pushed);
        Assert.Equal(a.Heads, b.Heads);
        Assert.Equal(a.ReadGraph(g => GraphStateProjection.Canonical(g)), b.ReadGraph(g => GraphStateProjection.Canonical(g)));
    }

    [Fact]
    public async Task Exchanging_again_moves_nothing()
    {
        using var a = TestStores.Create("peer-a");
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot());
        a.AddNode("x", "person", "X", Name("x"));
        await SyncExchange.RunAsync(a, new LocalSyncPeer(b));
        var again = await SyncExchange.RunAsync(a, new LocalSyncPeer(b));
        Assert.Equal((0, 0), (again.Pulled, again.Pushed));
    }

    [Fact]
    public void A_delta_payload_holds_exactly_what_the_peer_lacks_parents_first()
    {
        using var a = TestStores.Create("peer-a");
        for (var i = 0; i < 500; i++) a.AddNode($"s{i}", "person", "S", Name("s"));
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot());
        var shared = a.EntryCount;
        for (var i = 0; i < 40; i++) a.AddNode($"a{i}", "person", "A", Name("a"));
        b.AddNode("b0", "person", "B", Name("b"));

        var payload = a.ComputePayload(b.GenerateOffer(), PayloadMode.Delta);
        var lacking = a.EntriesSince(null).Skip(shared).Select(e => e.Hash).ToHashSet();
        // A bloom false positive may leave an entry out (a need round fetches it); nothing else is missing or extra.
        Assert.True(payload.Entries.Count >= lacking.Count - 2, $"{payload.Entries.Count} of {lacking.Count}");
        Assert.All(payload.Entries, e => Assert.Contains(e.Hash, lacking));
        var sent = payload.Entries.Select(e => e.Hash).ToHashSet();
        var seen = new HashSet<Hash>();
        foreach (var entry in payload.Entries)
        {
            Assert.All(entry.Next.Where(sent.Contains), p => Assert.Contains(p, seen));
            seen.Add(entry.Hash);
        }
    }
}
