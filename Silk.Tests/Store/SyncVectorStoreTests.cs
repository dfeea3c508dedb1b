using Silk.Core.Entries;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;
using Silk.Tests.Conformance;

namespace Silk.Tests.Store;

using Core = Silk.Core;

/// <summary>
/// sync.json end to end through <see cref="GraphStore"/>: offers, payloads for the other side's offer
/// (byte for byte), merges (inserted counts, merged hash sets, topological order, heads), the
/// snapshot, the bootstrap peer and the third peer.
/// </summary>
public class SyncVectorStoreTests
{
    private const string File = "sync.json";

    private static Entry Entry(string label) =>
        Core.Entries.Entry.Decode(Vectors.HexOf(Vectors.Get(File, "entries").EnumerateArray().Single(e => Vectors.Str(e, "name") == label), "entry_msgpack_hex"));

    private static GraphStore StoreOf(string instanceId, params string[] labels) =>
        GraphStore.FromSnapshot(instanceId, new Snapshot(labels.Select(Entry).ToList()));

    private static GraphStore PeerA() => StoreOf("peer-a", "genesis", "a1", "a2");

    private static GraphStore PeerB() => StoreOf("peer-b", "genesis", "b1", "b2", "b3");

    private static SyncOffer Offer(params string[] path) => SyncOffer.Decode(Vectors.Hex(Vectors.Str(Vectors.Get(File, path[..^1]), path[^1])));

    private static string PayloadHex(params string[] path) => Vectors.Str(Vectors.Get(File, path), "bytes_hex");

    [Fact]
    public void Offers_carry_the_vector_heads_and_bloom()
    {
        using var a = PeerA();
        var offer = a.GenerateOffer();
        var expected = Offer("offer_a", "bytes_hex");
        Assert.Equal(expected.Heads, offer.Heads);
        Assert.Equal(Vectors.Str(Vectors.Get(File, "offer_a"), "bloom_bytes_hex"), Convert.ToHexStringLower(offer.Bloom.ToBytes()));
        Assert.Equal(3u, offer.ProtocolVersion);

        using var b = PeerB();
        Assert.Equal(Offer("offer_b", "bytes_hex").Heads, b.GenerateOffer().Heads);
        Assert.Equal(Offer("offer_b", "bytes_hex").Bloom.ToBytes(), b.GenerateOffer().Bloom.ToBytes());
    }

    [Fact]
    public void Payloads_for_the_other_offer_match_byte_for_byte()
    {
        using var a = PeerA();
        using var b = PeerB();
        Assert.Equal(PayloadHex("payload_a_for_offer_b"), Hex(a.ComputePayload(Offer("offer_b", "bytes_hex"))));
        Assert.Equal(PayloadHex("payload_b_for_offer_a"), Hex(b.ComputePayload(Offer("offer_a", "bytes_hex"))));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    public void Merging_the_other_side_gives_the_vector_state(string side)
    {
        using var a = PeerA();
        using var b = PeerB();
        var (receiver, payloadFor, after) = side == "a"
            ? (a, "payload_b_for_offer_a", "a_after_merge")
            : (b, "payload_a_for_offer_b", "b_after_merge");
        var payload = SyncPayload.Decode(Vectors.Hex(PayloadHex(payloadFor)));
        var result = receiver.Merge(payload);
        var expected = Vectors.Get(File, after);
        Assert.Equal(Vectors.Prop(expected, "inserted").GetInt32(), result.Inserted);
        Assert.Equal(Vectors.Prop(expected, "len").GetInt32(), receiver.EntryCount);
        Assert.Equal(Vectors.Hashes(Vectors.Prop(expected, "heads_sorted")), receiver.Heads);
        Assert.Equal(Vectors.Hashes(Vectors.Prop(expected, "all_hashes_topo_order")), receiver.EntriesSince(null).Select(e => e.Hash));
        Assert.Empty(receiver.VerifyIntegrity());
    }

    [Fact]
    public void Snapshot_after_merge_matches_byte_for_byte()
    {
        using var a = PeerA();
        a.Merge(SyncPayload.Decode(Vectors.Hex(PayloadHex("payload_b_for_offer_a"))));
        Assert.Equal(PayloadHex("snapshot_a_after_merge"), Convert.ToHexStringLower(a.ExportSnapshot().ToBytes()));
    }

    [Fact]
    public void A_fresh_peer_gets_everything_but_the_shared_genesis()
    {
        using var a = PeerA();
        a.Merge(SyncPayload.Decode(Vectors.Hex(PayloadHex("payload_b_for_offer_a"))));
        var payload = a.ComputePayload(Offer("bootstrap", "offer_fresh_bytes_hex"));
        Assert.Equal(PayloadHex("bootstrap", "payload_from_merged_a"), Hex(payload));

        using var fresh = StoreOf("fresh", "genesis");
        fresh.Merge(payload);
        Assert.Equal(a.Heads, fresh.Heads);
        Assert.Equal(a.EntriesSince(null).Select(e => e.Hash), fresh.EntriesSince(null).Select(e => e.Hash));
    }

    [Fact]
    public void A_third_peer_is_answered_as_the_vectors_say()
    {
        var offerC = Offer("peer_c", "offer_c_bytes_hex");
        using var a = PeerA();
        Assert.Equal(PayloadHex("peer_c", "payload_from_a_premerge"), Hex(a.ComputePayload(offerC)));
        using var genesisOnly = StoreOf("g", "genesis");
        Assert.Equal(PayloadHex("peer_c", "payload_from_genesis_only_peer"), Hex(genesisOnly.ComputePayload(offerC)));

        var c1 = Core.Entries.Entry.Decode(Vectors.HexOf(Vectors.Get(File, "peer_c", "entry"), "entry_msgpack_hex"));
        using var c = GraphStore.FromSnapshot("peer-c", new Snapshot([Entry("genesis"), c1]));
        Assert.Equal(offerC.Heads, c.GenerateOffer().Heads);
        Assert.Equal(offerC.Bloom.ToBytes(), c.GenerateOffer().Bloom.ToBytes());
    }

    [Fact]
    public void A_version_1_offer_is_answered_with_8_field_entries()
    {
        using var a = PeerA();
        var modern = Offer("offer_b", "bytes_hex");
        var legacy = modern with { ProtocolVersion = 1 };
        var payload = a.ComputePayload(legacy);
        var bytes = payload.ToBytes(legacy.EntryFormForReply);
        Assert.Equal(EntryForm.Legacy8, legacy.EntryFormForReply);
        Assert.Equal(0x98, bytes[2]); // [entries, need] → entries array → first entry's header
        var decoded = SyncPayload.Decode(bytes);
        Assert.Equal(payload.Entries.Select(e => e.Hash), decoded.Entries.Select(e => e.Hash));
        Assert.All(decoded.Entries, e => Assert.True(e.VerifyHash()));
    }

    private static string Hex(SyncPayload payload) => Convert.ToHexStringLower(payload.ToBytes());
}
