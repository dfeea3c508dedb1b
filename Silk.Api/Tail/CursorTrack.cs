using System.Buffers;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Api.Tail;

/// <summary>
/// The cursor after each entry of a batch, so that every event of a stream carries the exact position after
/// it (its <c>id</c>): start from the cursor before the batch and, for each delivered entry (whose parents
/// are all already seen), drop its parents from the frontier and add it, as the core's tail read does.
/// </summary>
internal sealed class CursorTrack
{
    private readonly HashSet<Hash> _frontier = [];
    private Hash[]? _sorted;

    public CursorTrack(IReadOnlyList<Hash> start) => Reset(start);

    /// <summary>Takes the cursor the core returned after a batch (normalized and sorted).</summary>
    public void Reset(IReadOnlyList<Hash> cursor)
    {
        _frontier.Clear();
        foreach (var hash in cursor) _frontier.Add(hash);
        _sorted = null;
    }

    public void Advance(Entry entry)
    {
        var parents = entry.Next;
        for (var i = 0; i < parents.Count; i++) _frontier.Remove(parents[i]);
        _frontier.Add(entry.Hash);
        _sorted = null;
    }

    /// <summary>The frontier in hash order, as the core hands cursors out.</summary>
    public Hash[] Current
    {
        get
        {
            if (_sorted is not null) return _sorted;
            var array = _frontier.ToArray();
            if (array.Length > 1) Array.Sort(array);
            return _sorted = array;
        }
    }

    /// <summary>Writes hashes as comma-separated lowercase hex (an event id, the form <c>cursor=</c> takes); returns the byte count.</summary>
    public static int WriteHex(IBufferWriter<byte> writer, IReadOnlyList<Hash> hashes)
    {
        Span<byte> raw = stackalloc byte[Hash.Size];
        var total = 0;
        for (var i = 0; i < hashes.Count; i++)
        {
            var span = writer.GetSpan(1 + Hash.Size * 2);
            var offset = 0;
            if (i > 0) span[offset++] = (byte)',';
            hashes[i].CopyTo(raw);
            Convert.TryToHexStringLower(raw, span[offset..], out var written);
            writer.Advance(offset + written);
            total += offset + written;
        }

        return total;
    }
}
