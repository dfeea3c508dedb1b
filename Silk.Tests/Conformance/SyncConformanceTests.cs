using System.Buffers;
using System.Text.Json;
using MessagePack;
using Silk.Core.Entries;
using Silk.Core.Sync;
using Silk.Core.Wire;
using static Silk.Tests.Conformance.Vectors;

namespace Silk.Tests.Conformance;

/// <summary>
/// sync.json, byte-level parts only: offers, payloads, snapshot, the entries they carry, and decode errors.
/// (The oplog and merge outcomes in sync.json are covered by the OpLog tests.)
/// </summary>
public sealed class SyncConformanceTests
{
    private const string File = "sync.json";

    public static TheoryData<string> Offers => new() { "offer_a", "offer_b", "bootstrap.offer_fresh_bytes_hex", "peer_c.offer_c_bytes_hex" };

    public static TheoryData<string> Payloads => new()
    {
        "payload_a_for_offer_b",
        "payload_b_for_offer_a",
        "bootstrap.payload_from_merged_a",
        "peer_c.payload_from_a_premerge",
        "peer_c.payload_from_genesis_only_peer",
    };

    public static TheoryData<string> EntryCases
    {
        get
        {
            var data = Names(File, "entries");
            data.Add("peer_c.entry");
            return data;
        }
    }

    private static JsonElement Path(string dotted) => Get(File, dotted.Split('.'));

    private static byte[] OfferBytes(string key) =>
        key.EndsWith("_hex", StringComparison.Ordinal) ? Hex(Path(key).GetString()!) : HexOf(Path(key), "bytes_hex");

    [Fact]
    public void Protocol_version_is_ours()
    {
        Assert.Equal(SyncLimits.ProtocolVersion, Get(File, "protocol_version").GetUInt32());
    }

    [Theory]
    [MemberData(nameof(Offers))]
    public void Offer_decodes_and_reencodes(string key)
    {
        var bytes = OfferBytes(key);
        var offer = SyncOffer.Decode(bytes);
        Assert.Equal(SyncLimits.ProtocolVersion, offer.ProtocolVersion);
        Assert.Equal(ToHex(bytes), ToHex(offer.ToBytes()));
        Assert.Single(offer.Heads);
        Assert.Equal(EntryForm.Current, offer.EntryFormForReply);
        // The original sizes an offer's filter for max(n, 128) entries at 1%: 1227 bits, 7 hashes.
        Assert.Equal(1227UL, offer.Bloom.NumBits);
        Assert.Equal(7U, offer.Bloom.NumHashes);

        if (!key.EndsWith("_hex", StringComparison.Ordinal))
        {
            var o = Path(key);
            Assert.Equal(Hashes(Prop(o, "heads")), offer.Heads);
            Assert.Equal(Prop(o, "physical_ms").GetUInt64(), offer.PhysicalMs);
            Assert.Equal(Prop(o, "logical").GetUInt32(), offer.Logical);
            foreach (var h in offer.Heads) Assert.True(offer.Bloom.MightContain(h));
            if (o.TryGetProperty("bloom_bytes_hex", out var bloomHex))
            {
                Assert.Equal(bloomHex.GetString(), ToHex(offer.Bloom.ToBytes()));
                Assert.Equal(bloomHex.GetString(), ToHex(BloomFilter.Decode(Hex(bloomHex.GetString()!)).ToBytes()));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Payload_decodes_and_reencodes(string key)
    {
        var p = Path(key);
        var bytes = HexOf(p, "bytes_hex");
        var payload = SyncPayload.Decode(bytes);
        Assert.Equal(Hashes(Prop(p, "entry_hashes_in_order")), payload.Entries.Select(e => e.Hash));
        Assert.Equal(Hashes(Prop(p, "need")), payload.Need);
        Assert.All(payload.Entries, e => Assert.True(e.VerifyHash(), $"entry {e.Hash} fails verify_hash"));
        Assert.Equal(ToHex(bytes), ToHex(payload.ToBytes()));

        // The same entries as a bare list (merge_entries_bytes) decode alike.
        var list = SyncPayload.DecodeEntryList(EntryList(payload.Entries));
        Assert.Equal(payload.Entries.Select(e => e.Hash), list.Select(e => e.Hash));
    }

    [Fact]
    public void Snapshot_decodes_and_reencodes()
    {
        var s = Get(File, "snapshot_a_after_merge");
        var bytes = HexOf(s, "bytes_hex");
        var snapshot = Snapshot.Decode(bytes);
        Assert.Equal(Hashes(Prop(s, "entry_hashes_in_order")), snapshot.Entries.Select(e => e.Hash));
        Assert.All(snapshot.Entries, e => Assert.True(e.VerifyHash()));
        Assert.Equal(ToHex(bytes), ToHex(snapshot.ToBytes()));
    }

    [Theory]
    [MemberData(nameof(EntryCases))]
    public void Entry_from_readable_fields(string name)
    {
        var e = name == "peer_c.entry" ? Path(name) : ByName(File, ["entries"], name);
        var entry = ToEntry(e);
        Assert.Equal(Str(e, "payload_msgpack_hex"), ToHex(GraphOpCodec.Encode(entry.Payload)));
        Assert.Equal(Str(e, "signable_msgpack_hex"), ToHex(entry.SignableBytes));
        Assert.Equal(Str(e, "hash"), entry.Hash.ToHex());
        Assert.Equal(Str(e, "entry_msgpack_hex"), ToHex(entry.ToBytes()));

        var decoded = Entry.Decode(HexOf(e, "entry_msgpack_hex"));
        Assert.True(decoded.VerifyHash());
        Assert.Equal(entry.Hash, decoded.Hash);
    }

    [Fact]
    public void Four_field_offer_is_rejected_with_the_original_message()
    {
        var d = Get(File, "decode_errors");
        Assert.False(Prop(d, "four_field_offer_ok").GetBoolean());
        var ex = Assert.Throws<WireFormatException>(() => SyncOffer.Decode(HexOf(d, "four_field_offer_bytes_hex")));
        Assert.Equal(Str(d, "four_field_offer_error"), ex.Message);
    }

    [Fact]
    public void Future_protocol_version_is_rejected_with_the_original_message()
    {
        var d = Get(File, "decode_errors");
        var ex = Assert.Throws<WireFormatException>(() => SyncOffer.Decode(HexOf(d, "future_protocol_version_bytes_hex")));
        Assert.Equal(Str(d, "future_protocol_version_error"), ex.Message);
    }

    [Fact]
    public void Protocol_version_0_is_accepted()
    {
        Assert.True(Get(File, "decode_errors", "protocol_version_0_accepted").GetBoolean());
        var bytes = HexOf(Get(File, "offer_a"), "bytes_hex");
        Assert.Equal(0x95, bytes[0]);
        Assert.Equal(0x03, bytes[1]);
        bytes[1] = 0x00;
        var offer = SyncOffer.Decode(bytes);
        Assert.Equal(0U, offer.ProtocolVersion);
        Assert.Equal(EntryForm.Legacy8, offer.EntryFormForReply);
        Assert.Equal(ToHex(bytes), ToHex(offer.ToBytes()));
    }

    internal static byte[] EntryList(IReadOnlyList<Entry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(entries.Count);
        foreach (var e in entries) e.Write(ref w);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
