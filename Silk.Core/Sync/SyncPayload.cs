using MessagePack;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Sync;

/// <summary>
/// Entries a peer lacks, in topological order, and the peer's heads this side does not have (<c>need</c>).
/// Wire form <c>[entries[], need[]]</c>.
/// </summary>
public sealed record SyncPayload(IReadOnlyList<Entry> Entries, IReadOnlyList<Hash> Need)
{
    public void Write(ref MessagePackWriter w, EntryForm form = EntryForm.Current)
    {
        w.WriteArrayHeader(2);
        SyncMessage.WriteEntries(ref w, Entries, form);
        MsgPack.WriteHashList(ref w, Need);
    }

    public byte[] ToBytes(EntryForm form = EntryForm.Current) =>
        MsgPack.Encode((this, form), static (ref MessagePackWriter w, (SyncPayload P, EntryForm F) s) => s.P.Write(ref w, s.F));

    public static SyncPayload Decode(ReadOnlyMemory<byte> bytes)
    {
        SyncMessage.EnsureSize(bytes, "sync payload");
        return MsgPack.DecodeWhole(bytes, "invalid sync payload", static (ref MessagePackReader r) =>
        {
            MsgPack.ReadArrayHeaderExactly(ref r, 2, "a SyncPayload");
            var entries = SyncMessage.ReadEntries(ref r);
            var need = MsgPack.ReadHashList(ref r);
            return new SyncPayload(entries, need);
        });
    }

    /// <summary>A bare msgpack list of entries, as <c>merge_entries_bytes</c> takes.</summary>
    public static IReadOnlyList<Entry> DecodeEntryList(ReadOnlyMemory<byte> bytes)
    {
        SyncMessage.EnsureSize(bytes, "entry list");
        return MsgPack.DecodeWhole(bytes, "invalid entry list", static (ref MessagePackReader r) => SyncMessage.ReadEntries(ref r));
    }
}
