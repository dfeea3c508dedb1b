using MessagePack;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Sync;

/// <summary>Reading and writing of the entry lists inside payloads and snapshots, under the sync limits.</summary>
internal static class SyncMessage
{
    public static void EnsureSize(ReadOnlyMemory<byte> bytes, string what)
    {
        if (bytes.Length > SyncLimits.MaxMessageBytes)
        {
            throw new WireFormatException($"{what} of {bytes.Length} bytes exceeds the {SyncLimits.MaxMessageBytes}-byte limit");
        }
    }

    public static Entry[] ReadEntries(ref MessagePackReader r)
    {
        var count = MsgPack.ReadArrayHeader(ref r);
        if (count > SyncLimits.MaxEntries)
        {
            throw new WireFormatException($"{count} entries exceed the limit of {SyncLimits.MaxEntries} per message");
        }

        var entries = new Entry[count];
        for (var i = 0; i < count; i++) entries[i] = Entry.Read(ref r);
        return entries;
    }

    public static void WriteEntries(ref MessagePackWriter w, IReadOnlyList<Entry> entries, EntryForm form)
    {
        w.WriteArrayHeader(entries.Count);
        foreach (var entry in entries) entry.Write(ref w, form);
    }
}
