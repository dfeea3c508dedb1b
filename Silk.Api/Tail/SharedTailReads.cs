using Silk.Core.Log;
using Silk.Core.Store;
using Silk.Core.Tail;
using Silk.Core.Wire;

namespace Silk.Api.Tail;

/// <summary>
/// The store's tail reads, shared between the subscriptions of this server: when a write rings the bell, every
/// live stream wakes with the same cursor and asks for the same read; the first one reads the log (under the
/// store's lock) and the others get its answer while the bell has not rung again. A remembered read is only
/// handed out while the bell's version is the one it was read at, so a subscription never misses a ring: an
/// entry made visible after that read rings the bell after it. Reads that throw are not remembered.
/// </summary>
public sealed class SharedTailReads : ITailSource
{
    private const int SlotCount = 16;

    private readonly GraphStore _store;
    private readonly Memo?[] _slots = new Memo?[SlotCount];

    public SharedTailReads(GraphStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    public Bell Bell => _store.Bell;

    public TailRead Read(IReadOnlyList<Hash> cursor, int maxCount)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var version = _store.Bell.Version;
        var index = Slot(cursor, maxCount);
        var memo = Volatile.Read(ref _slots[index]);
        if (memo is not null && memo.Version == version && memo.MaxCount == maxCount && Same(memo.Cursor, cursor)) return memo.Read;

        var read = _store.Read(cursor, maxCount);
        Volatile.Write(ref _slots[index], new Memo(version, cursor.ToArray(), maxCount, read));
        return read;
    }

    private static int Slot(IReadOnlyList<Hash> cursor, int maxCount)
    {
        var code = maxCount;
        if (cursor.Count > 0) code ^= cursor[0].GetHashCode() ^ cursor.Count;
        return (int)((uint)code % SlotCount);
    }

    private static bool Same(Hash[] remembered, IReadOnlyList<Hash> cursor)
    {
        if (remembered.Length != cursor.Count) return false;
        for (var i = 0; i < remembered.Length; i++)
        {
            if (remembered[i] != cursor[i]) return false;
        }

        return true;
    }

    private sealed record Memo(long Version, Hash[] Cursor, int MaxCount, TailRead Read);
}
