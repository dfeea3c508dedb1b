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
}
