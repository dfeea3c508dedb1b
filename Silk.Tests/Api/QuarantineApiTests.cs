using System.Net;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Tests.Api;

/// <summary>A remote entry that breaks the ontology is kept but quarantined; an extension releases it on revalidation.</summary>
public sealed class QuarantineApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Quarantined_remote_entry_is_listed_with_its_reason_and_released_after_an_extension()
    {
        var store = factory.Host.Store;
        var clock = store.Clock;
        var remote = Entry.Create(
            new AddNode("q-planet", "planet", null, "Mars", ValueMap.Empty),
            store.Heads,
            new ClockStamp("peer-q", clock.PhysicalMs + 1, 0),
            "peer-q");
        var merged = await store.MergeAsync([remote]);
        Assert.Equal(1, merged.Inserted);

        using var list = await _client.Get("/quarantine");
        var item = Assert.Single((await list.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(remote.Hash.ToHex(), item.Str("hash"));
        Assert.Equal("add_node", item.Str("op"));
        Assert.Contains("planet", item.Str("reason"), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", item.Str("ontology_hash"));
        using var hidden = await _client.Get("/nodes/q-planet");
        await hidden.Problem(HttpStatusCode.NotFound);
        using var entry = await _client.Get("/entries/" + remote.Hash.ToHex());
        Assert.Equal("peer-q", (await entry.Json(HttpStatusCode.OK)).Str("author"));

        using (var extend = await _client.PostJson("/ontology/extensions", """{"node_types":{"planet":{}}}""")) await extend.Json(HttpStatusCode.Created);
        using var revalidate = await _client.PostAsync(ApiTestClient.U("/quarantine/revalidate"), null);
        Assert.Equal(0, (await revalidate.Json(HttpStatusCode.OK)).GetProperty("remaining").GetInt32());

        using var visible = await _client.Get("/nodes/q-planet");
        Assert.Equal("Mars", (await visible.Json(HttpStatusCode.OK)).Str("label"));
        using var empty = await _client.Get("/quarantine");
        Assert.Equal(0, (await empty.Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }
}
