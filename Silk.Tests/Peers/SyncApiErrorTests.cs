using System.Buffers.Binary;
using System.Net;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Tests.Api;
using Silk.Tests.Conformance;

namespace Silk.Tests.Peers;

/// <summary>Sync bodies that are broken, too large or refused: a problem answer and nothing merged.</summary>
public sealed class SyncApiErrorTests
{
    private static async Task AssertUnchanged(SilkApiFactory app, IReadOnlyList<Silk.Core.Wire.Hash> heads, int count)
    {
        Assert.Equal(heads, app.Host.Store.Heads);
        Assert.Equal(count, app.Host.Store.EntryCount);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Garbage_wrong_type_and_oversized_bodies_are_problems_and_merge_nothing()
    {
        await using var app = SyncServer.PeerA();
        using var client = app.CreateClient();
        var heads = app.Host.Store.Heads;
        var count = app.Host.Store.EntryCount;

        foreach (var route in new[] { "/sync/offer", "/sync/payload", "/sync/entries" })
        {
            using var garbage = await client.PostMsgPack(route, [0xc1, 0x00, 0xff, 0x13]);
            await garbage.Problem(HttpStatusCode.BadRequest);
            using var empty = await client.PostMsgPack(route, []);
            await empty.Problem(HttpStatusCode.BadRequest);
            using var json = await client.PostJson(route, "{}");
            await json.Problem(HttpStatusCode.UnsupportedMediaType);
        }

        // A payload whose last entry is cut short: the whole message is refused.
        var payload = Vectors.HexOf(Vectors.Get(SyncServer.File, "payload_b_for_offer_a"), "bytes_hex");
        using var truncated = await client.PostMsgPack("/sync/payload", payload[..^10]);
        await truncated.Problem(HttpStatusCode.BadRequest);

        // One flipped byte inside an entry's operation: its hash no longer matches, nothing is merged.
        var flipped = (byte[])payload.Clone();
        var at = flipped.AsSpan().IndexOf([(byte)0xa2, (byte)'B', (byte)'1']);
        Assert.True(at > 0);
        flipped[at + 1] = (byte)'Z'; // label "B1" of b1 becomes "Z1"
        using var badHash = await client.PostMsgPack("/sync/payload", flipped);
        var problem = await badHash.Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("nothing was merged", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("sync_rejected", problem.Str("rule")); // every 422 names its rule (ValidationProblem)

        // More entries declared than a message may carry: 413 before anything is decoded.
        var tooMany = new byte[] { 0x92, 0xdd, 0, 0, 0, 0, 0x90 };
        BinaryPrimitives.WriteUInt32BigEndian(tooMany.AsSpan(2), SyncLimits.MaxEntries + 1);
        using var declared = await client.PostMsgPack("/sync/payload", tooMany);
        await declared.Problem(HttpStatusCode.RequestEntityTooLarge);
        var bareList = new byte[] { 0xdd, 0, 0, 0, 0 };
        BinaryPrimitives.WriteUInt32BigEndian(bareList.AsSpan(1), SyncLimits.MaxEntries + 1);
        using var declaredList = await client.PostMsgPack("/sync/payload", bareList);
        await declaredList.Problem(HttpStatusCode.RequestEntityTooLarge);

        // Over 64 MiB.
        using var huge = await client.PostMsgPack("/sync/payload", new byte[SyncLimits.MaxMessageBytes + 1]);
        await huge.Problem(HttpStatusCode.RequestEntityTooLarge);

        await AssertUnchanged(app, heads, count);
    }

    [Fact]
    public async Task Unknown_parents_refuse_the_message_unless_the_sender_speaks_delta()
    {
        await using var app = SyncServer.Seeded("genesis");
        using var client = app.CreateClient();
        var orphans = SyncConformanceTests.EntryList([SyncServer.VectorEntry("b3"), SyncServer.VectorEntry("b2")]);

        using var original = await client.PostMsgPack("/sync/payload", orphans);
        var problem = await original.Problem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("unresolvable parents", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(1, app.Host.Store.EntryCount);

        using var delta = await client.PostMsgPack("/sync/payload", orphans, mode: "delta");
        var held = await delta.Json(HttpStatusCode.OK);
        Assert.Equal(0, held.GetProperty("inserted").GetInt32());
        Assert.Equal(2, held.GetProperty("pending").GetInt32());
        Assert.Equal([SyncServer.VectorEntry("b1").Hash.ToHex()], held.Strings("missing_parents"));

        using var parent = await client.PostMsgPack("/sync/payload", SyncConformanceTests.EntryList([SyncServer.VectorEntry("b1")]), mode: "delta");
        var released = await parent.Json(HttpStatusCode.OK);
        Assert.Equal(3, released.GetProperty("inserted").GetInt32());
        Assert.Equal(0, released.GetProperty("pending").GetInt32());
        Assert.Equal([SyncServer.VectorEntry("b3").Hash.ToHex()], released.Strings("heads"));
    }

    [Fact]
    public async Task Entries_route_answers_the_named_entries_parents_first()
    {
        await using var app = SyncServer.PeerA();
        using var client = app.CreateClient();
        var a1 = SyncServer.VectorEntry("a1").Hash;
        var a2 = SyncServer.VectorEntry("a2").Hash;
        var unknown = SyncServer.VectorEntry("b1").Hash;
        using var response = await client.PostMsgPack("/sync/entries", new SyncPayload([], [a2, unknown, a1]).ToBytes());
        var payload = SyncPayload.Decode(await response.Bytes());
        Assert.Equal([a1, a2], payload.Entries.Select(e => e.Hash));
        Assert.Empty(payload.Need);
    }

    [Fact]
    public async Task Delta_mode_sends_only_what_the_offer_lacks()
    {
        await using var app = SyncServer.Seeded("genesis", "a1", "a2", "b1", "b2", "b3");
        using var client = app.CreateClient();
        // Peer B's offer: it has genesis, b1..b3. Compatible re-sends the shared genesis, delta does not.
        using var compatible = await client.PostMsgPack("/sync/offer", SyncServer.VectorBytes("offer_b"));
        var all = SyncPayload.Decode(await compatible.Bytes());
        using var delta = await client.PostMsgPack("/sync/offer", SyncServer.VectorBytes("offer_b"), mode: "delta");
        var some = SyncPayload.Decode(await delta.Bytes());
        Assert.Contains(SyncServer.VectorEntry("genesis").Hash, all.Entries.Select(e => e.Hash));
        Assert.Equal([SyncServer.VectorEntry("a1").Hash, SyncServer.VectorEntry("a2").Hash], some.Entries.Select(e => e.Hash));
    }

    [Fact]
    public void A_payload_is_cut_to_the_entry_limit_as_a_prefix()
    {
        var entries = Enumerable.Repeat(SyncServer.VectorEntry("a1"), SyncLimits.MaxEntries + 5).ToList();
        var fitted = Silk.Api.Sync.SyncApi.Fit(new SyncPayload(entries, []), Silk.Core.Entries.EntryForm.Current);
        Assert.Equal(SyncLimits.MaxEntries, fitted.Entries.Count);
        var small = new SyncPayload(entries.Take(3).ToList(), []);
        Assert.Same(small, Silk.Api.Sync.SyncApi.Fit(small, Silk.Core.Entries.EntryForm.Current));
    }

    [Fact]
    public async Task A_bad_bootstrap_source_stops_startup_with_the_setting_named()
    {
        var file = Path.Combine(Path.GetTempPath(), $"silk-bad-snapshot-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(file, [0x91, 0x90]); // a snapshot without entries
        try
        {
            await using var app = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:BootstrapFrom"] = file });
            var ex = Assert.ThrowsAny<Exception>(() => app.CreateClient());
            Assert.Contains("Silk:BootstrapFrom", ex.ToString(), StringComparison.Ordinal);

            await using var missing = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:BootstrapFrom"] = file + ".missing" });
            Assert.Contains("Silk:BootstrapFrom", Assert.ThrowsAny<Exception>(() => missing.CreateClient()).ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
