using Silk.Core.Log;
using Silk.Core.Wire;

namespace Silk.Core.Tail;

/// <summary>What a <see cref="TailSubscription"/> needs from the store that owns the log.</summary>
public interface ITailSource
{
    /// <summary>Rung after every durable append or merge that added at least one entry.</summary>
    Bell Bell { get; }

    /// <summary>
    /// <see cref="OpLog.ReadAfter"/> on a consistent view, bounded by the durable watermark, so a consumer never
    /// sees (or gets a cursor naming) an entry a crash could still lose.
    /// </summary>
    /// <exception cref="TailCursorStaleException">A cursor hash is not in the log.</exception>
    TailRead Read(IReadOnlyList<Hash> cursor, int maxCount);
}
