using Silk.Core.Log;
using Silk.Core.Tail;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>
/// Tails (decision D4): a consumer holds a cursor (the frontier of what it has seen) and asks for
/// what lies past it; each entry is delivered exactly once across consecutive batches. The bell
/// rings once per published write or merge so waiting consumers wake without polling. Tails only
/// see entries up to the acknowledged watermark.
/// </summary>
public sealed partial class GraphStore : ITailSource
{
    private readonly Bell _bell = new();
    private long _acknowledgedThrough = -1;

    /// <summary>Rings on every published change; tail consumers wait on it.</summary>
    public Bell Bell => _bell;

    /// <summary>
    /// The cursor meaning "only what comes after now": the frontier of everything acknowledged so far
    /// (not <see cref="Heads"/>, which may name an entry still being committed).
    /// </summary>
    public IReadOnlyList<Hash> CurrentCursor => Read(() => _log.FrontierThrough(Volatile.Read(ref _acknowledgedThrough)));

    /// <summary>
    /// The cursor a tail starts from to deliver the last <paramref name="count"/> acknowledged entries (all of them
    /// when there are fewer) and then what follows: the frontier of the acknowledged prefix without them.
    /// Costs O(<paramref name="count"/>), and tails from it take the sequence-range path.
    /// </summary>
    public IReadOnlyList<Hash> CursorBeforeLast(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Read(() => _log.FrontierThrough(Volatile.Read(ref _acknowledgedThrough) - count));
    }

    /// <summary>A tail from <paramref name="cursor"/> (empty = from the beginning). Unknown hashes fail at the first read.</summary>
    public TailSubscription SubscribeFrom(IReadOnlyList<Hash> cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        return new TailSubscription(this, cursor);
    }

    /// <summary>One read past <paramref name="cursor"/>: at most <paramref name="maxCount"/> entries in arrival order and the new cursor.</summary>
    public TailRead Read(IReadOnlyList<Hash> cursor, int maxCount) =>
        Read(() => _log.ReadAfter(cursor, maxCount, Volatile.Read(ref _acknowledgedThrough)));

    /// <summary>Entries up to <paramref name="sequence"/> are durable: visible to tails.</summary>
    private void Acknowledge(long sequence) => Volatile.Write(ref _acknowledgedThrough, sequence);

    private void RingBell() => _bell.Ring();
}
