using Microsoft.Extensions.Time.Testing;
using Silk.Core.Sync;

namespace Silk.Tests.Sync;

public class PeerRegistryTests
{
    [Fact]
    public void Register_list_record_and_unregister()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(5_000));
        var peers = new PeerRegistry("me", time);
        peers.Register("b", "http://b");
        peers.Register("a", "http://a");
        peers.RecordSync("a");
        peers.RecordSync("ghost");
        Assert.Equal([new PeerInfo("a", "http://a", 5_000), new PeerInfo("b", "http://b", 0)], peers.List());
        peers.Register("a", "http://a2");
        Assert.Equal(0UL, peers.List()[0].LastSeenMs);
        Assert.True(peers.Unregister("a"));
        Assert.False(peers.Unregister("a"));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(10, 4)]
    [InlineData(100, 6)]
    [InlineData(1000, 8)]
    public void Target_count_is_ceil_ln_n_plus_one(int n, int expected)
    {
        var ids = Enumerable.Range(0, n).Select(i => $"p{i:D4}").ToArray();
        var targets = PeerRegistry.SelectTargets(ids, 12345);
        Assert.Equal(expected, targets.Count);
        Assert.Equal(targets.Count, targets.Distinct().Count());
    }

    [Fact]
    public void Same_millisecond_gives_the_same_choice_and_the_seed_mixes_the_instance_id()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var a = new PeerRegistry("node-a", time);
        var b = new PeerRegistry("node-b", time);
        foreach (var i in Enumerable.Range(0, 50))
        {
            a.Register($"p{i}", "http://x");
            b.Register($"p{i}", "http://x");
        }

        Assert.Equal(a.SelectSyncTargets(), a.SelectSyncTargets());
        Assert.Equal(0xcbf29ce484222325UL, PeerRegistry.Fnv1a64(""));
        Assert.Equal(0xaf63dc4c8601ec8cUL, PeerRegistry.Fnv1a64("a"));
        var first = PeerRegistry.SelectTargets(a.List().Select(p => p.PeerId).ToArray(), 1_700_000_000_000UL ^ PeerRegistry.Fnv1a64("node-a"));
        Assert.Equal(first, a.SelectSyncTargets());
        Assert.NotEqual(a.SelectSyncTargets(), b.SelectSyncTargets());
    }
}
