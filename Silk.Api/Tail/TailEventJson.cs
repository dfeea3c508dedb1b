using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Silk.Core.Entries;
using Silk.Core.Wire;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Silk.Api.Tail;

/// <summary>
/// The UTF-8 JSON of an entry's <see cref="TailEvent"/>, with the API's JSON rules, remembered for recent
/// entries: every stream that is live sends the same new entries, so each is serialized about once, not once
/// per stream. The memory is a fixed table of 4,096 slots indexed by hash; a collision only costs a re-serialization.
/// </summary>
public sealed class TailEventJson(IOptions<HttpJsonOptions> options)
{
    private const int SlotCount = 4096;

    private readonly JsonSerializerOptions _options = options.Value.SerializerOptions;
    private readonly Slot?[] _slots = new Slot?[SlotCount];
    private readonly ConditionalWeakTable<IReadOnlyList<Entry>, byte[]> _frames = new();

    public byte[] Utf8(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var hash = entry.Hash;
        var index = (int)(hash.W3 & (SlotCount - 1));
        var slot = Volatile.Read(ref _slots[index]);
        if (slot is not null && slot.Hash == hash) return slot.Json;

        var json = JsonSerializer.SerializeToUtf8Bytes(TailEvent.From(entry), _options);
        Volatile.Write(ref _slots[index], new Slot(hash, json));
        return json;
    }

    /// <summary>
    /// The stream messages of a batch read from the cursor <paramref name="track"/> holds, made once per batch object:
    /// streams that got the same batch from <see cref="SharedTailReads"/> read it from the same cursor, so they send
    /// the same bytes. <paramref name="track"/> advances past the entries only when they are encoded here.
    /// </summary>
    internal byte[] Frames(IReadOnlyList<Entry> entries, CursorTrack track)
    {
        if (_frames.TryGetValue(entries, out var frames)) return frames;
        frames = SseFrames.Entries(entries, track, this);
        _frames.TryAdd(entries, frames);
        return frames;
    }

    private sealed record Slot(Hash Hash, byte[] Json);
}
