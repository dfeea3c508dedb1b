using MessagePack;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Sync;

/// <summary>
/// What a peer has: its heads, a bloom filter over every entry hash, and its clock.
/// Wire form <c>[protocol_version, heads[], bloom, physical_ms, logical]</c>.
/// </summary>
public sealed record SyncOffer(uint ProtocolVersion, IReadOnlyList<Hash> Heads, BloomFilter Bloom, ulong PhysicalMs, uint Logical)
{
    /// <summary>Peers below protocol 2 (0.2.4) read only the 8-field entry layout.</summary>
    public EntryForm EntryFormForReply => ProtocolVersion <= SyncLimits.LegacyEntryProtocolVersion ? EntryForm.Legacy8 : EntryForm.Current;

    public void Write(ref MessagePackWriter w)
    {
        w.WriteArrayHeader(5);
        w.Write(ProtocolVersion);
        MsgPack.WriteHashList(ref w, Heads);
        Bloom.Write(ref w);
        w.Write(PhysicalMs);
        w.Write(Logical);
    }

    public byte[] ToBytes() => MsgPack.Encode(this, static (ref MessagePackWriter w, SyncOffer o) => o.Write(ref w));

    /// <summary>Decodes and checks an offer: size, shape, bloom validity, and a protocol version we speak.</summary>
    public static SyncOffer Decode(ReadOnlyMemory<byte> bytes)
    {
        SyncMessage.EnsureSize(bytes, "sync offer");
        var offer = MsgPack.DecodeWhole(bytes, "invalid sync offer", static (ref MessagePackReader r) => Read(ref r));
        if (offer.ProtocolVersion > SyncLimits.ProtocolVersion)
        {
            throw new WireFormatException($"unsupported protocol version {offer.ProtocolVersion} (this peer supports up to {SyncLimits.ProtocolVersion})");
        }

        return offer;
    }

    public static SyncOffer Read(ref MessagePackReader r)
    {
        var fields = MsgPack.ReadArrayHeader(ref r);
        // The original reads field by field, so a 4-field (pre-versioning) offer fails on its first field.
        var version = fields > 0 ? MsgPack.ReadU32(ref r) : 0;
        if (fields != 5) throw new WireFormatException($"invalid length {fields}, expected a SyncOffer of 5 elements");
        var heads = MsgPack.ReadHashList(ref r);
        var bloom = BloomFilter.Read(ref r);
        var physical = MsgPack.ReadU64(ref r);
        var logical = MsgPack.ReadU32(ref r);
        return new SyncOffer(version, heads, bloom, physical, logical);
    }
}
