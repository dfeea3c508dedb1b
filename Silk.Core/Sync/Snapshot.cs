using MessagePack;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Sync;

/// <summary>Every entry of a log in topological order, for bootstrapping a new peer. Wire form <c>[entries[]]</c>.</summary>
public sealed record Snapshot(IReadOnlyList<Entry> Entries)
{
    public void Write(ref MessagePackWriter w)
    {
        w.WriteArrayHeader(1);
        SyncMessage.WriteEntries(ref w, Entries, EntryForm.Current);
    }

    public byte[] ToBytes() => MsgPack.Encode(this, static (ref MessagePackWriter w, Snapshot s) => s.Write(ref w));

    public static Snapshot Decode(ReadOnlyMemory<byte> bytes)
    {
        SyncMessage.EnsureSize(bytes, "snapshot");
        return MsgPack.DecodeWhole(bytes, "invalid snapshot", static (ref MessagePackReader r) =>
        {
            MsgPack.ReadArrayHeaderExactly(ref r, 1, "a Snapshot");
            return new Snapshot(SyncMessage.ReadEntries(ref r));
        });
    }
}
