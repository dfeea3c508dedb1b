using System.Net;
using Silk.Core.Entries;
using Silk.Core.Sync;
using Silk.Tests.Api;
using Silk.Tests.Conformance;

namespace Silk.Tests.Peers;

/// <summary>
/// The sync routes answer a peer that speaks only the original's bytes exactly as the original does:
/// sync.json's messages posted to a server whose store is the vectors' peer A.
/// </summary>
public sealed class SyncApiInteropTests
{
    private static string Hex(byte[] bytes) => Vectors.ToHex(bytes);

    [Fact]
    public async Task Offer_of_peer_b_gets_the_vector_payload_byte_for_byte()
    {
        await using var app = SyncServer.PeerA();
        using var client = app.CreateClient();
        using var response = await client.PostMsgPack("/sync/offer", SyncServer.VectorBytes("offer_b"));
        Assert.Equal(Vectors.Str(Vectors.Get(SyncServer.File, "payload_a_for_offer_b"), "bytes_hex"), Hex(await response.Bytes()));

        using var third = await client.PostMsgPack("/sync/offer", SyncServer.VectorBytes("peer_c", "offer_c_bytes_hex"));
        Assert.Equal(Vectors.Str(Vectors.Get(SyncServer.File, "peer_c", "payload_from_a_premerge"), "bytes_hex"), Hex(await third.Bytes()));
    }

    [Fact]
    public async Task Own_offer_has_the_vector_heads_and_bloom()
    {
        await using var app = SyncServer.PeerA();
        using var client = app.CreateClient();
        using var response = await client.Get("/sync/offer");
        var offer = SyncOffer.Decode(await response.Bytes());
        var expected = SyncOffer.Decode(SyncServer.VectorBytes("offer_a"));
        Assert.Equal(expected.Heads, offer.Heads);
        Assert.Equal(expected.Bloom.ToBytes(), offer.Bloom.ToBytes());
        Assert.Equal(SyncLimits.ProtocolVersion, offer.ProtocolVersion);
    }

    [Fact]
    public async Task Payload_of_peer_b_merges_to_the_vector_state_and_snapshot()
    {
        await using var app = SyncServer.PeerA();
        using var client = app.CreateClient();
        using var response = await client.PostMsgPack("/sync/payload", Vectors.HexOf(Vectors.Get(SyncServer.File, "payload_b_for_offer_a"), "bytes_hex"));
        var merged = await response.Json(HttpStatusCode.OK);
        var after = Vectors.Get(SyncServer.File, "a_after_merge");
        Assert.Equal(Vectors.Prop(after, "inserted").GetInt32(), merged.GetProperty("inserted").GetInt32());
        Assert.Equal(1, merged.GetProperty("already_known").GetInt32()); // the shared genesis
        Assert.Empty(merged.GetProperty("dropped").EnumerateArray());
        Assert.Equal(0, merged.GetProperty("pending").GetInt32());
        Assert.Empty(merged.GetProperty("missing_parents").EnumerateArray());
        Assert.Equal(Vectors.Prop(after, "heads_sorted").EnumerateArray().Select(h => h.GetString()), merged.Strings("heads"));

        using var snapshot = await client.Get("/sync/snapshot");
        Assert.Equal("6", snapshot.Headers.GetValues("X-Silk-Entry-Count").Single());
        Assert.Equal(Vectors.Str(Vectors.Get(SyncServer.File, "snapshot_a_after_merge"), "bytes_hex"), Hex(await snapshot.Bytes()));

        using var fresh = await client.PostMsgPack("/sync/offer", SyncServer.VectorBytes("bootstrap", "offer_fresh_bytes_hex"));
        Assert.Equal(Vectors.Str(Vectors.Get(SyncServer.File, "bootstrap", "payload_from_merged_a"), "bytes_hex"), Hex(await fresh.Bytes()));

        // The same payload again: everything known, nothing inserted.
        using var again = await client.PostMsgPack("/sync/payload", Vectors.HexOf(Vectors.Get(SyncServer.File, "payload_b_for_offer_a"), "bytes_hex"));
        var second = await again.Json(HttpStatusCode.OK);
        Assert.Equal(0, second.GetProperty("inserted").GetInt32());
        Assert.Equal(4, second.GetProperty("already_known").GetInt32());
    }

    [Fact]
    public async Task A_bare_entry_list_merges_like_merge_entries_bytes()
    {
        await using var app = SyncServer.Seeded("genesis");
        using var client = app.CreateClient();
        var entries = new[] { "b1", "b2", "b3" }.Select(SyncServer.VectorEntry).Reverse().ToList(); // any order
        using var response = await client.PostMsgPack("/sync/payload", SyncConformanceTests.EntryList(entries));
        var merged = await response.Json(HttpStatusCode.OK);
        Assert.Equal(3, merged.GetProperty("inserted").GetInt32());
        Assert.Equal([Vectors.Get(SyncServer.File, "oplog_b", "heads")[0].GetString()!], merged.Strings("heads"));

        // A list of exactly two entries is not mistaken for a payload [entries, need].
        await using var other = SyncServer.Seeded("genesis");
        using var otherClient = other.CreateClient();
        using var two = await otherClient.PostMsgPack("/sync/payload", SyncConformanceTests.EntryList([SyncServer.VectorEntry("b1"), SyncServer.VectorEntry("b2")]));
        Assert.Equal(2, (await two.Json(HttpStatusCode.OK)).GetProperty("inserted").GetInt32());
    }

    [Fact]
    public async Task A_protocol_1_offer_gets_8_field_entries()
    {
        await using var app = SyncServer.PeerA();
        using var client = app.CreateClient();
        var offer = SyncServer.VectorBytes("offer_b");
        Assert.Equal(0x03, offer[1]);
        offer[1] = 0x01;
        using var response = await client.PostMsgPack("/sync/offer", offer);
        var bytes = await response.Bytes();
        Assert.Equal(0x92, bytes[0]);
        Assert.Equal(0x93, bytes[1]); // three entries
        Assert.Equal(0x98, bytes[2]); // the first has 8 fields
        var payload = SyncPayload.Decode(bytes);
        var expected = SyncPayload.Decode(Vectors.HexOf(Vectors.Get(SyncServer.File, "payload_a_for_offer_b"), "bytes_hex"));
        Assert.Equal(expected.Entries.Select(e => e.Hash), payload.Entries.Select(e => e.Hash));
        Assert.Equal(expected.Need, payload.Need);
        Assert.All(payload.Entries, e => Assert.True(e.VerifyHash()));
        Assert.Equal(Hex(expected.ToBytes(EntryForm.Legacy8)), Hex(bytes));
    }

    [Fact]
    public async Task Json_renderings_for_people()
    {
        await using var app = SyncServer.PeerA();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        using var offerResponse = await client.Get("/sync/offer");
        var offer = await offerResponse.Json(HttpStatusCode.OK);
        Assert.Equal(3, offer.GetProperty("protocol_version").GetInt32());
        Assert.Equal(Vectors.Get(SyncServer.File, "offer_a", "heads").EnumerateArray().Select(h => h.GetString()), offer.Strings("heads"));
        Assert.Equal(1227, offer.GetProperty("bloom_bits").GetInt32());
        Assert.Equal(3, offer.GetProperty("bloom_count").GetInt32());

        using var payloadResponse = await client.PostMsgPack("/sync/offer", SyncServer.VectorBytes("offer_b"), accept: "application/json");
        var payload = await payloadResponse.Json(HttpStatusCode.OK);
        Assert.Equal(
            Vectors.Get(SyncServer.File, "payload_a_for_offer_b", "entry_hashes_in_order").EnumerateArray().Select(h => h.GetString()),
            payload.GetProperty("entries").EnumerateArray().Select(e => e.Str("hash")));
        Assert.Equal("add_node", payload.GetProperty("entries")[1].GetProperty("payload").Str("op"));
        Assert.Equal(Vectors.Get(SyncServer.File, "payload_a_for_offer_b", "need").EnumerateArray().Select(h => h.GetString()), payload.Strings("need"));
    }
}
