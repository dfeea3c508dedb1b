using System.Buffers;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Api.Tail;

/// <summary>The bytes of the stream's messages (<c>text/event-stream</c>, UTF-8, LF line ends).</summary>
internal static class SseFrames
{
    private static ReadOnlySpan<byte> EntryHead => "event: entry\nid: "u8;
    private static ReadOnlySpan<byte> UpToDateHead => "event: up-to-date\nid: "u8;
    private static ReadOnlySpan<byte> DataField => "\ndata: "u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    /// <summary><c>event: entry</c>, <c>id:</c> the cursor after the entry, <c>data:</c> its event JSON. Returns the byte count.</summary>
    public static int Entry(IBufferWriter<byte> writer, IReadOnlyList<Hash> id, ReadOnlySpan<byte> json)
    {
        var count = Write(writer, EntryHead);
        count += CursorTrack.WriteHex(writer, id);
        count += Write(writer, DataField);
        count += Data(writer, json);
        return count + Write(writer, EventEnd);
    }

    /// <summary><c>event: up-to-date</c>, <c>id:</c> the cursor, <c>data: {"cursor":[…]}</c>. Returns the byte count.</summary>
    public static int UpToDate(IBufferWriter<byte> writer, IReadOnlyList<Hash> cursor)
    {
        var count = Write(writer, UpToDateHead);
        count += CursorTrack.WriteHex(writer, cursor);
        count += Write(writer, "\ndata: {\"cursor\":["u8);
        for (var i = 0; i < cursor.Count; i++)
        {
            count += Write(writer, i == 0 ? "\""u8 : ",\""u8);
            count += CursorTrack.WriteHex(writer, [cursor[i]]);
            count += Write(writer, "\""u8);
        }

        count += Write(writer, "]}"u8);
        return count + Write(writer, EventEnd);
    }

    /// <summary>
    /// Every entry's message for a stream whose cursor before them is <paramref name="track"/>'s (which advances past them).
    /// </summary>
    public static byte[] Entries(IReadOnlyList<Entry> entries, CursorTrack track, TailEventJson json)
    {
        var buffer = new ArrayBufferWriter<byte>(entries.Count * 512);
        foreach (var entry in entries)
        {
            track.Advance(entry);
            Entry(buffer, track.Current, json.Utf8(entry));
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>JSON without raw line breaks is one data line; any it had (there are none today) would split into several.</summary>
    private static int Data(IBufferWriter<byte> writer, ReadOnlySpan<byte> data)
    {
        var count = 0;
        var newline = data.IndexOf((byte)'\n');
        while (newline >= 0)
        {
            count += Write(writer, data[..newline]);
            count += Write(writer, DataField);
            data = data[(newline + 1)..];
            newline = data.IndexOf((byte)'\n');
        }

        return count + Write(writer, data);
    }

    private static int Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        writer.Write(bytes);
        return bytes.Length;
    }
}
