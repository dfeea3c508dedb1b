using System.Buffers.Binary;
using Silk.Core.Persistence;
using Silk.Core.Wire;

namespace Silk.Storage;

/// <summary>
/// The binary form of a list of stored entries, shared by the journal's and the image's records:
/// <c>[u32 count]</c> then per entry <c>[i64 sequence][32-byte hash][u32 length][bytes]</c>, little-endian.
/// </summary>
internal static class StoredEntryList
{
    private const int EntryOverhead = 8 + Hash.Size + 4;

    public static int EncodedSize(IReadOnlyList<StoredEntry> entries)
    {
        var size = 4;
        foreach (var entry in entries) size += EntryOverhead + entry.Bytes.Length;
        return size;
    }

    /// <summary>Writes the list at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, IReadOnlyList<StoredEntry> entries)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, entries.Count);
        var at = 4;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination[at..], entry.Sequence);
            entry.Hash.CopyTo(destination[(at + 8)..]);
            BinaryPrimitives.WriteInt32LittleEndian(destination[(at + 8 + Hash.Size)..], entry.Bytes.Length);
            entry.Bytes.Span.CopyTo(destination[(at + EntryOverhead)..]);
            at += EntryOverhead + entry.Bytes.Length;
        }

        return at;
    }

    /// <summary>
    /// Reads a list that fills exactly <paramref name="length"/> bytes of <paramref name="buffer"/> from
    /// <paramref name="offset"/>; the entries' bytes are slices of the buffer. Null when it does not parse.
    /// </summary>
    public static StoredEntry[]? Read(byte[] buffer, int offset, int length)
    {
        var body = buffer.AsSpan(offset, length);
        if (body.Length < 4) return null;
        var count = BinaryPrimitives.ReadInt32LittleEndian(body);
        if (count < 0 || count > (body.Length - 4) / EntryOverhead) return null;
        var entries = new StoredEntry[count];
        var at = 4;
        for (var i = 0; i < count; i++)
        {
            if (body.Length - at < EntryOverhead) return null;
            var sequence = BinaryPrimitives.ReadInt64LittleEndian(body[at..]);
            var hash = Hash.FromBytes(body.Slice(at + 8, Hash.Size));
            var bytes = BinaryPrimitives.ReadInt32LittleEndian(body[(at + 8 + Hash.Size)..]);
            if (bytes < 0 || bytes > body.Length - at - EntryOverhead) return null;
            entries[i] = new StoredEntry(sequence, hash, new ReadOnlyMemory<byte>(buffer, offset + at + EntryOverhead, bytes));
            at += EntryOverhead + bytes;
        }

        return at == body.Length ? entries : null;
    }
}
