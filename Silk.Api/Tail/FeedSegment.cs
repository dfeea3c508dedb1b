using System.Buffers;
using Silk.Core.Tail;
using Silk.Core.Wire;

namespace Silk.Api.Tail;

/// <summary>
/// One read of the <see cref="TailHub"/>, encoded once for every stream it feeds: the messages of its entries (and an
/// up-to-date when the hub caught up) as one byte array, where each message ends and the cursor after it, and a link
/// to the next segment once the hub has read on. A stream fed by the hub holds the segment it is in and an offset;
/// what it is owed is the rest of the chain, written in one go. The hub keeps the newest segment and the oldest of its
/// window (for streams that join behind it), so a segment no stream is in any more is garbage.
/// </summary>
internal sealed class FeedSegment
{
    private readonly int[] _messageEnds;
    private readonly IReadOnlyList<Hash>[] _cursors;
    private FeedSegment? _next;

    private FeedSegment(long start, IReadOnlyList<Hash> cursorBefore, IReadOnlyList<Hash> cursorAfter, byte[] bytes, int[] messageEnds, IReadOnlyList<Hash>[] cursors, int entries)
    {
        Start = start;
        CursorBefore = cursorBefore;
        CursorAfter = cursorAfter;
        Bytes = bytes;
        _messageEnds = messageEnds;
        _cursors = cursors;
        Entries = entries;
    }

    /// <summary>Where the segment's first byte is in the hub's whole output (so that what a stream is owed is a subtraction).</summary>
    public long Start { get; }

    public long End => Start + Bytes.Length;

    public byte[] Bytes { get; }

    /// <summary>Entry messages in it (for the events-sent count).</summary>
    public int Entries { get; }

    /// <summary>The cursor before the first message: that of the segment before.</summary>
    public IReadOnlyList<Hash> CursorBefore { get; }

    public IReadOnlyList<Hash> CursorAfter { get; }

    public FeedSegment? Next => Volatile.Read(ref _next);

    /// <summary>The first segment of a hub: nothing in it, at the cursor the hub starts from.</summary>
    public static FeedSegment Anchor(IReadOnlyList<Hash> cursor) => new(0, cursor, cursor, [], [], [], 0);

    /// <summary>
    /// Encodes <paramref name="batch"/>, read from <see cref="CursorAfter"/>, as the next segment (each entry's id is
    /// the cursor right after it), with an up-to-date message at its end when <paramref name="upToDateMessage"/>.
    /// </summary>
    public FeedSegment Append(TailBatch batch, bool upToDateMessage, TailEventJson json)
    {
        var entries = batch.Entries;
        var messages = entries.Count + (upToDateMessage ? 1 : 0);
        var ends = new int[messages];
        var cursors = new IReadOnlyList<Hash>[messages];
        var buffer = new ArrayBufferWriter<byte>(entries.Count * 512 + 256);
        var track = new CursorTrack(CursorAfter);
        for (var i = 0; i < entries.Count; i++)
        {
            track.Advance(entries[i]);
            var cursor = track.Current;
            SseFrames.Entry(buffer, cursor, json.Utf8(entries[i]));
            ends[i] = buffer.WrittenCount;
            cursors[i] = cursor;
        }

        if (upToDateMessage)
        {
            SseFrames.UpToDate(buffer, batch.Cursor);
            ends[^1] = buffer.WrittenCount;
            cursors[^1] = batch.Cursor;
        }

        var next = new FeedSegment(End, CursorAfter, batch.Cursor, buffer.WrittenSpan.ToArray(), ends, cursors, entries.Count);
        Volatile.Write(ref _next, next);
        return next;
    }

    /// <summary>
    /// The offset of the last message boundary whose cursor is <paramref name="cursor"/> (0: before the first message),
    /// or -1 when there is none: where a stream at that cursor goes on.
    /// </summary>
    public int Find(IReadOnlyList<Hash> cursor)
    {
        for (var i = _cursors.Length - 1; i >= 0; i--)
        {
            if (Same(_cursors[i], cursor)) return _messageEnds[i];
        }

        return Same(CursorBefore, cursor) ? 0 : -1;
    }

    /// <summary>
    /// For a stream that has been written this segment up to <paramref name="offset"/>: the rest of the message it is in
    /// the middle of (empty at a boundary), and its cursor once that rest is written too.
    /// </summary>
    public (IReadOnlyList<Hash> Cursor, ReadOnlyMemory<byte> Unwritten) PositionAt(int offset)
    {
        var messageStart = 0;
        for (var i = 0; i < _messageEnds.Length; i++)
        {
            if (offset <= messageStart) return (i == 0 ? CursorBefore : _cursors[i - 1], ReadOnlyMemory<byte>.Empty);
            if (offset < _messageEnds[i]) return (_cursors[i], Bytes.AsMemory(offset, _messageEnds[i] - offset));
            messageStart = _messageEnds[i];
        }

        return (CursorAfter, ReadOnlyMemory<byte>.Empty);
    }

    public static bool Same(IReadOnlyList<Hash> a, IReadOnlyList<Hash> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i]) return false;
        }

        return true;
    }
}
