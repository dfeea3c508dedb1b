using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Tests.Api;

/// <summary>GET /tail as a long poll (JSON), against the real app over a real store.</summary>
public sealed class TailLongPollTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<string> Now()
    {
        using var response = await _client.Get("/tail?cursor=now&timeout_ms=0");
        var body = await response.Json(HttpStatusCode.OK);
        Assert.Empty(body.GetProperty("events").EnumerateArray());
        return string.Join(',', body.Strings("cursor"));
    }

    private async Task<JsonElement> Tail(string query)
    {
        using var response = await _client.Get("/tail?" + query);
        return await response.Json(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Returns_at_once_with_every_event_field_and_the_payload()
    {
        var start = await Now();
        await _client.CreateNode("lp-a", "person", """{"name":"A","email":"a@example.org"}""");
        await _client.CreateNode("lp-b");
        await _client.CreateEdge("lp-ab", "lp-a", "lp-b");
        using (var patch = await _client.PatchJson("/nodes/lp-b", """{"properties":{"name":"B2"}}""")) Assert.True(patch.IsSuccessStatusCode);
        using (var removeEdge = await _client.Delete("/edges/lp-ab")) Assert.True(removeEdge.IsSuccessStatusCode);
        using (var removeNode = await _client.Delete("/nodes/lp-a")) Assert.True(removeNode.IsSuccessStatusCode);

        var stopwatch = Stopwatch.StartNew();
        // A wait would last the whole minute: far longer than any busy machine takes to answer at once.
        var body = await Tail($"cursor={start}&timeout_ms=60000");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(40), "entries were there: no wait");
        var events = body.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["add_node", "add_node", "add_edge", "update_property", "remove_edge", "remove_node"], events.Select(e => e.Str("op")));
        Assert.True(body.GetProperty("up_to_date").GetBoolean());
        Assert.Equal([events[^1].Str("hash")], body.Strings("cursor"));

        var store = factory.Host.Store;
        foreach (var e in events)
        {
            var entry = store.GetEntry(Hash.ParseHex(e.Str("hash")))!;
            Assert.Equal(entry.Author, e.Str("author"));
            Assert.Equal(entry.Clock.PhysicalMs, e.GetProperty("physical_ms").GetUInt64());
            Assert.Equal(entry.Clock.Logical, e.GetProperty("logical").GetUInt32());
            Assert.False(e.GetProperty("local").GetBoolean());
            Assert.Equal(e.Str("op"), e.GetProperty("payload").Str("op"));
        }

        var addNode = events[0];
        Assert.Equal(("lp-a", "person"), (addNode.Str("node_id"), addNode.Str("node_type")));
        Assert.Equal("a@example.org", addNode.GetProperty("payload").GetProperty("properties").Str("email"));
        Assert.False(addNode.TryGetProperty("edge_id", out _));
        var addEdge = events[2];
        Assert.Equal(("lp-ab", "RELATES_TO", "lp-a", "lp-b"), (addEdge.Str("edge_id"), addEdge.Str("edge_type"), addEdge.Str("source_id"), addEdge.Str("target_id")));
        Assert.False(addEdge.TryGetProperty("node_id", out _));
        var update = events[3];
        Assert.Equal(("lp-b", "name", "B2"), (update.Str("entity_id"), update.Str("key"), update.GetProperty("payload").Str("value")));
        Assert.Equal("lp-ab", events[4].Str("edge_id"));
        Assert.Equal("lp-a", events[5].Str("node_id"));

        // The event payload is the entry JSON of GET /entries/{hash}.
        using var entryResponse = await _client.Get("/entries/" + addEdge.Str("hash"));
        var logEntry = await entryResponse.Json(HttpStatusCode.OK);
        Assert.Equal(logEntry.GetProperty("payload").GetRawText(), addEdge.GetProperty("payload").GetRawText());

        // From the beginning: the genesis first, and the same events after it.
        var all = await Tail("timeout_ms=0&max_count=10000");
        Assert.Equal("define_ontology", all.GetProperty("events")[0].Str("op"));
        Assert.Equal(body.Strings("cursor"), (await Tail("cursor=&timeout_ms=0&max_count=10000")).Strings("cursor"));
    }

    [Fact]
    public async Task Waits_without_entries_and_wakes_on_a_write()
    {
        var start = await Now();
        var stopwatch = Stopwatch.StartNew();
        var poll = Tail($"cursor={start}&timeout_ms=60000");
        await Task.Delay(300);
        Assert.False(poll.IsCompleted, "nothing past the cursor yet: the poll waits");
        var hash = await _client.CreateNode("lp-wake");
        var body = await poll.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(50), "the write woke the poll before its minute was up");
        var only = Assert.Single(body.GetProperty("events").EnumerateArray());
        Assert.Equal(hash, only.Str("hash"));
        Assert.Equal([hash], body.Strings("cursor"));
    }

    [Fact]
    public async Task Times_out_with_no_events_and_the_same_cursor()
    {
        var start = await Now();
        var stopwatch = Stopwatch.StartNew();
        var body = await Tail($"cursor={start}&timeout_ms=400");
        var waited = stopwatch.Elapsed;
        Assert.Empty(body.GetProperty("events").EnumerateArray());
        Assert.Equal(start, string.Join(',', body.Strings("cursor")));
        Assert.True(body.GetProperty("up_to_date").GetBoolean());
        // At least the timeout; the upper bound only tells a timed-out poll from one that waited for the default 30 s.
        Assert.InRange(waited, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(25));

        stopwatch.Restart();
        await Tail($"cursor={start}&timeout_ms=0");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), "timeout_ms=0 answers at once, not after the default 30 s");

        // Above the maximum is clamped, not refused; a write still wakes it.
        var clamped = Tail($"cursor={start}&timeout_ms=999999999");
        await Task.Delay(100);
        await _client.CreateNode("lp-clamped");
        Assert.Single((await clamped.WaitAsync(TimeSpan.FromSeconds(90))).GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task Small_batches_under_concurrent_writers_and_merges_deliver_every_entry_exactly_once()
    {
        var start = await Now();
        var store = factory.Host.Store;
        using var replica = GraphStore.FromSnapshot("lp-replica", store.ExportSnapshot());
        const int Writers = 3, PerWriter = 40, Merges = 10, PerMerge = 4;
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++) await _client.CreateNode($"lp-w{w}-{i}");
        })).ToList();
        writers.Add(Task.Run(async () =>
        {
            // Concurrent branches: entries written on a replica and merged, so the cursor is sometimes several heads.
            for (var m = 0; m < Merges; m++)
            {
                for (var i = 0; i < PerMerge; i++) replica.AddNode($"lp-r{m}-{i}", "entity", "r", ValueMap.Of(("name", "r")));
                store.Merge(replica.ComputePayload(store.GenerateOffer()));
                replica.Merge(store.ComputePayload(replica.GenerateOffer()));
                await Task.Delay(5);
            }
        }));

        var seen = new List<string>();
        var cursor = start;
        var calls = 0;
        var sawSeveralHeads = false;
        var deadline = Stopwatch.StartNew();
        while (seen.Count < Writers * PerWriter + Merges * PerMerge)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"only {seen.Count} entries after 60 s");
            var body = await Tail($"cursor={cursor}&max_count=7&timeout_ms=2000");
            var events = body.GetProperty("events").EnumerateArray().ToList();
            Assert.True(events.Count <= 7);
            seen.AddRange(events.Select(e => e.Str("hash")));
            var next = body.Strings("cursor");
            sawSeveralHeads |= next.Count > 1;
            cursor = string.Join(',', next);
            calls++;
        }

        await Task.WhenAll(writers);
        var rest = await Tail($"cursor={cursor}&timeout_ms=0&max_count=10000");
        seen.AddRange(rest.GetProperty("events").EnumerateArray().Select(e => e.Str("hash")));

        Assert.Equal(seen.Count, seen.Distinct().Count());
        var expected = await Tail($"cursor={start}&timeout_ms=0&max_count=10000");
        Assert.Equal(expected.GetProperty("events").EnumerateArray().Select(e => e.Str("hash")).Order(), seen.Order());
        Assert.Equal(Writers * PerWriter + Merges * PerMerge, seen.Count);
        Assert.True(calls > 10, $"{calls} calls: the batches were cut");
        _ = sawSeveralHeads; // depends on timing; the branch case is pinned by the next test
    }

    [Fact]
    public async Task A_cursor_of_several_heads_reads_exactly_what_is_past_all_of_them()
    {
        var store = factory.Host.Store;
        using var replica = GraphStore.FromSnapshot("lp-branch", store.ExportSnapshot());
        var start = await Now();
        var remote = replica.AddNode("lp-br-remote", "entity", "r", ValueMap.Of(("name", "r")));
        var local = await _client.CreateNode("lp-br-local");
        store.Merge(replica.ComputePayload(store.GenerateOffer()));

        var both = await Now();
        Assert.Equal(new[] { local, remote.ToHex() }.Order(StringComparer.Ordinal), both.Split(',').Order(StringComparer.Ordinal));
        var afterBoth = await _client.CreateNode("lp-br-after");

        var fromStart = await Tail($"cursor={start}&timeout_ms=0");
        Assert.Equal(3, fromStart.GetProperty("events").GetArrayLength());
        var fromBoth = await Tail($"cursor={both}&timeout_ms=0");
        Assert.Equal([afterBoth], fromBoth.GetProperty("events").EnumerateArray().Select(e => e.Str("hash")));
        // Only the remote head: the local branch is still ahead of it.
        var fromRemote = await Tail($"cursor={remote.ToHex()}&timeout_ms=0");
        Assert.Equal([local, afterBoth], fromRemote.GetProperty("events").EnumerateArray().Select(e => e.Str("hash")));
    }

    [Fact]
    public async Task Types_filter_delivers_only_those_ops_and_still_moves_the_cursor()
    {
        var start = await Now();
        await _client.CreateNode("lp-t1");
        await _client.CreateNode("lp-t2");
        await _client.CreateEdge("lp-t12", "lp-t1", "lp-t2");
        using (var removed = await _client.Delete("/nodes/lp-t2")) Assert.True(removed.IsSuccessStatusCode);
        await _client.CreateNode("lp-t3");

        var filtered = await Tail($"cursor={start}&timeout_ms=0&types=add_edge,remove_node");
        var unfiltered = await Tail($"cursor={start}&timeout_ms=0");
        Assert.Equal(["add_edge", "remove_node"], filtered.GetProperty("events").EnumerateArray().Select(e => e.Str("op")));
        Assert.Equal(unfiltered.Strings("cursor"), filtered.Strings("cursor"));

        // A filtered poll keeps waiting past entries it leaves out, and answers with the first that matches.
        var cursor = string.Join(',', filtered.Strings("cursor"));
        var poll = Tail($"cursor={cursor}&timeout_ms=60000&types=remove_edge");
        await _client.CreateNode("lp-t4");
        await Task.Delay(300);
        Assert.False(poll.IsCompleted, "an add_node does not answer a remove_edge poll");
        await _client.CreateNode("lp-t5");
        await _client.CreateEdge("lp-t45", "lp-t4", "lp-t5");
        using (var removedEdge = await _client.Delete("/edges/lp-t45")) Assert.True(removedEdge.IsSuccessStatusCode);
        var answer = await poll.WaitAsync(TimeSpan.FromSeconds(90));
        var only = Assert.Single(answer.GetProperty("events").EnumerateArray());
        Assert.Equal("remove_edge", only.Str("op"));
        Assert.Equal([only.Str("hash")], answer.Strings("cursor"));
    }

    [Fact]
    public async Task Last_reads_the_newest_entries_then_goes_on_from_its_cursor_exactly_once()
    {
        var written = new List<string>();
        for (var i = 0; i < 4; i++) written.Add(await _client.CreateNode($"lp-last-{i}"));

        var body = await Tail("last=3&timeout_ms=0");
        Assert.Equal(written[1..], Hashes(body));
        Assert.Equal([written[^1]], body.Strings("cursor"));
        Assert.True(body.GetProperty("up_to_date").GetBoolean());

        // Its cursor goes on with what comes after, as any cursor.
        var after = await _client.CreateNode("lp-last-after");
        Assert.Equal([after], Hashes(await Tail($"cursor={string.Join(',', body.Strings("cursor"))}&timeout_ms=0")));

        // Cut at max_count: the rest follows from the cursor, nothing twice.
        var cut = await Tail("last=3&max_count=2&timeout_ms=0");
        Assert.Equal([written[2], written[3]], Hashes(cut));
        Assert.False(cut.GetProperty("up_to_date").GetBoolean());
        Assert.Equal([after], Hashes(await Tail($"cursor={string.Join(',', cut.Strings("cursor"))}&timeout_ms=0")));

        // 0 is now; more than the log holds is the whole log from the genesis.
        var none = await Tail("last=0&timeout_ms=0");
        Assert.Empty(Hashes(none));
        Assert.Equal([after], none.Strings("cursor"));
        var whole = await Tail("last=10000&timeout_ms=0&max_count=10000");
        Assert.Equal("define_ontology", whole.GetProperty("events")[0].Str("op"));
        Assert.Equal(Hashes(await Tail("timeout_ms=0&max_count=10000")), Hashes(whole));
    }

    private static List<string> Hashes(JsonElement body) => body.GetProperty("events").EnumerateArray().Select(e => e.Str("hash")).ToList();

    [Theory]
    [InlineData("cursor=xyz")]
    [InlineData("cursor=00d473a1495423d1d66fcc0b69e78172553db244130116d06e87c5c812487ec")]
    [InlineData("cursor=now,abc")]
    [InlineData("max_count=0")]
    [InlineData("max_count=10001")]
    [InlineData("max_count=-5")]
    [InlineData("max_count=ten")]
    [InlineData("timeout_ms=-1")]
    [InlineData("timeout_ms=soon")]
    [InlineData("types=add_nodes")]
    [InlineData("types=,")]
    [InlineData("last=-1")]
    [InlineData("last=10001")]
    [InlineData("last=some")]
    [InlineData("last=2&cursor=now")]
    [InlineData("last=2&cursor=")]
    public async Task Malformed_parameters_are_400_problems(string query)
    {
        using var response = await _client.Get("/tail?" + query + (query.StartsWith("timeout_ms", StringComparison.Ordinal) ? "" : "&timeout_ms=0"));
        await response.Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_cursor_compacted_away_is_410_with_how_to_rebootstrap()
    {
        await using var own = SilkApiFactory.With(new Dictionary<string, string?>());
        using var client = own.CreateClient();
        await client.CreateNode("st-a");
        using var now = await client.Get("/tail?cursor=now&timeout_ms=0");
        var old = string.Join(',', (await now.Json(HttpStatusCode.OK)).Strings("cursor"));
        using (var compact = await client.PostAsync(ApiTestClient.U("/compact?safe=false"), null)) await compact.Json(HttpStatusCode.OK);

        using var stale = await client.Get($"/tail?cursor={old}&timeout_ms=0");
        var problem = await stale.Problem(HttpStatusCode.Gone);
        Assert.Contains("re-bootstrap", problem.Str("detail"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(old, problem.Str("missing"));

        // Re-bootstrapping from the beginning starts with the checkpoint, which holds the live state.
        using var fresh = await client.Get("/tail?timeout_ms=0");
        var first = (await fresh.Json(HttpStatusCode.OK)).GetProperty("events")[0];
        Assert.Equal("checkpoint", first.Str("op"));
        Assert.Contains("st-a", first.GetProperty("payload").GetRawText(), StringComparison.Ordinal);
    }
}
