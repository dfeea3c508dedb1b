using System.Net;

namespace Silk.Tests.Api;

public sealed class CompactionApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Unsafe_compaction_is_409_with_reasons_then_forced_or_safe_compaction_keeps_the_graph()
    {
        await _client.CreateNode("c-a");
        await _client.CreateNode("c-b");
        await _client.CreateEdge("c-ab", "c-a", "c-b");
        factory.Host.Store.Peers.Register("peer-never-synced", "http://127.0.0.1:1");
        try
        {
            using var safety = await _client.Get("/compact/safety");
            var report = await safety.Json(HttpStatusCode.OK);
            Assert.False(report.GetProperty("safe").GetBoolean());
            Assert.Contains(report.Strings("reasons"), r => r.Contains("peer-never-synced", StringComparison.Ordinal));

            var entriesBefore = factory.Host.Store.EntryCount;
            using var refused = await _client.PostAsync(ApiTestClient.U("/compact"), null);
            var problem = await refused.Problem(HttpStatusCode.Conflict);
            Assert.Equal("unsafe_compaction", problem.Str("rule"));
            Assert.NotEmpty(problem.Strings("reasons"));
            Assert.Equal(entriesBefore, factory.Host.Store.EntryCount);

            using var explicitSafe = await _client.PostAsync(ApiTestClient.U("/compact?safe=true"), null);
            await explicitSafe.Problem(HttpStatusCode.Conflict);
        }
        finally
        {
            factory.Host.Store.Peers.Unregister("peer-never-synced");
        }

        using var compact = await _client.PostAsync(ApiTestClient.U("/compact"), null);
        var result = await compact.Json(HttpStatusCode.OK);
        Assert.Equal(1, result.GetProperty("entry_count").GetInt32());
        using var entry = await _client.Get("/entries/" + result.Str("hash"));
        Assert.Equal("checkpoint", (await entry.Json(HttpStatusCode.OK)).GetProperty("payload").Str("op"));
        using var edge = await _client.Get("/edges/c-ab");
        await edge.Json(HttpStatusCode.OK);

        factory.Host.Store.Peers.Register("peer-2", "http://127.0.0.1:1");
        try
        {
            using var forced = await _client.PostAsync(ApiTestClient.U("/compact?safe=false"), null);
            await forced.Json(HttpStatusCode.OK);
        }
        finally
        {
            factory.Host.Store.Peers.Unregister("peer-2");
        }

        using var bad = await _client.PostAsync(ApiTestClient.U("/compact?safe=maybe"), null);
        await bad.Problem(HttpStatusCode.BadRequest);
    }
}
