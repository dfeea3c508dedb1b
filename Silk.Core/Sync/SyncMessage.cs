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
        if (count < ParallelThreshold || !r.Sequence.IsSingleSegment)
        {
            for (var i = 0; i < count; i++) entries[i] = Entry.Read(ref r);
            return entries;
        }

        // Large messages (snapshots, bootstrap payloads): find each entry's bytes with a cheap skip,
        // then decode them on every core.
        var memory = r.Sequence.First;
        var bounds = new (int Start, int Length)[count];
        for (var i = 0; i < count; i++)
        {
            var start = (int)r.Consumed;
            r.Skip();
            bounds[i] = (start, (int)r.Consumed - start);
        }

        try
        {
            Parallel.For(0, count, i =>
            {
                var reader = new MessagePackReader(memory.Slice(bounds[i].Start, bounds[i].Length));
                entries[i] = Entry.Read(ref reader);
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            var first = ex.InnerExceptions[0];
            throw first is WireFormatException ? first : new WireFormatException(first.Message, first);
        }

        return entries;
    }

    private const int ParallelThreshold = 2048;

    public static void WriteEntries(ref MessagePackWriter w, IReadOnlyList<Entry> entries, EntryForm form)
    {
        w.WriteArrayHeader(entries.Count);
        foreach (var entry in entries) entry.Write(ref w, form);
    }
}
