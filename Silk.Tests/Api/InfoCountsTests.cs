using System.Net;
using System.Text.Json;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Tests.Api;

/// <summary>
/// GET /info answers from counts the store keeps as it changes (it scans nothing): they must equal a count of what
/// the store holds after writes, removals, a merge, a compaction, and a restart (from the sealed image and from LiteDB).
/// </summary>
public sealed class InfoCountsTests : IAsyncDisposable
{
    private readonly SilkApiFactory _first = new();

    /// <summary>/info against a scan of the store: entries, heads, live nodes and visible edges in all and by type.</summary>
    private static async Task AssertInfoIsCounted(SilkApiFactory app, HttpClient client, string when)
    {
        var store = app.Host.Store;
        using var response = await client.Get("/info");
        var info = await response.Json(HttpStatusCode.OK);
        var nodes = store.AllNodes();
        var edges = store.AllEdges();
        Assert.True(nodes.Count == info.GetProperty("node_count").GetInt32(), $"{when}: node_count");
        Assert.True(edges.Count == info.GetProperty("edge_count").GetInt32(), $"{when}: edge_count");
        Assert.Equal(ByType(nodes.Select(n => n.NodeType)), ByType(info.GetProperty("node_counts_by_type")));
        Assert.Equal(ByType(edges.Select(e => e.EdgeType)), ByType(info.GetProperty("edge_counts_by_type")));
        Assert.Equal(store.EntriesSince(null).Count, info.GetProperty("entry_count").GetInt32());
        Assert.Equal(store.Heads.Select(h => h.ToHex()), info.Strings("heads"));
    }

    private static string ByType(IEnumerable<string> types) =>
        string.Join(",", types.GroupBy(t => t).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));

    private static string ByType(JsonElement counts) =>
        string.Join(",", counts.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value.GetInt32()}"));

    [Fact]
    public async Task Counts_follow_writes_removals_a_merge_a_compaction_and_restarts()
    {
        using (var client = _first.CreateClient())
        {
            await AssertInfoIsCounted(_first, client, "new store");
            for (var i = 0; i < 12; i++) await client.CreateNode($"p{i}", "person");
            for (var i = 0; i < 5; i++) await client.CreateNode($"d{i}", "document");
            for (var i = 0; i < 5; i++) await client.CreateEdge($"a{i}", $"p{i}", $"d{i}", "AUTHORED");
            await client.CreateEdge("r1", "p1", "p2");
            await AssertInfoIsCounted(_first, client, "after writes");

            // A removed node hides its edges; a removed edge stops counting.
            using (var removed = await client.Delete("/nodes/p0")) Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
            using (var removedEdge = await client.Delete("/edges/a1")) Assert.Equal(HttpStatusCode.OK, removedEdge.StatusCode);
            await AssertInfoIsCounted(_first, client, "after removals");

            // A peer's entries: new nodes and edges, and a removal of one of ours.
            var store = _first.Host.Store;
            using var peer = GraphStore.FromSnapshot("peer-b", store.ExportSnapshot());
            for (var i = 0; i < 4; i++) peer.AddNode($"q{i}", "person", $"q{i}", ValueMap.Of(("name", $"q{i}")));
            peer.AddEdge("r2", "RELATES_TO", "q0", "p3");
            peer.RemoveNode("d2");
            var merged = store.Merge(peer.ComputePayload(store.GenerateOffer(), PayloadMode.Delta));
            Assert.Equal(6, merged.Inserted);
            await AssertInfoIsCounted(_first, client, "after a merge");
        }

        await _first.DisposeAsyncKeepingFolder();
        await using (var second = _first.OnSameFolder())
        {
            using var client = second.CreateClient();
            await AssertInfoIsCounted(second, client, "after a restart (from the image)");
            using (var compact = await client.PostJson("/compact?safe=false", "")) await compact.Json(HttpStatusCode.OK);
            await AssertInfoIsCounted(second, client, "after a compaction");
            await client.CreateNode("late", "document");
            await AssertInfoIsCounted(second, client, "after a write past the checkpoint");
            await second.DisposeAsyncKeepingFolder();
        }

        // Without the image: the store is read from LiteDB.
        File.Delete(Path.Combine(_first.DataPath, Silk.Storage.EntryImage.FileName));
        await using var third = _first.OnSameFolder();
        using var again = third.CreateClient();
        await AssertInfoIsCounted(third, again, "after a restart (from LiteDB)");
    }

    public async ValueTask DisposeAsync() => await _first.DisposeAsync();
}
