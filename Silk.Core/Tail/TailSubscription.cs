using Silk.Core.Entries;
using Silk.Core.Log;
using Silk.Core.Wire;

namespace Silk.Core.Tail;

/// <summary>
/// One batch of a tail: the entries in arrival order, the cursor after them (the frontier to persist), and
/// whether nothing visible was left past that cursor when it was read.
/// </summary>
public sealed record TailBatch(IReadOnlyList<Entry> Entries, IReadOnlyList<Hash> Cursor, bool UpToDate);

/// <summary>
/// A consumer's position in a store's log (SPEC §12.2 with decision D4): each <see cref="NextBatchAsync"/>
/// delivers entries not yet delivered, exactly once, and advances <see cref="Cursor"/>. A subscription is one
/// consumer: concurrent calls are refused. Waiting holds no thread; <see cref="Close"/> ends a wait.
/// </summary>
public sealed class TailSubscription : IAsyncDisposable, IDisposable
{
    private readonly ITailSource _source;

    // Never disposed on purpose: it owns no timer or wait handle, and disposing it would race with a
    // NextBatchAsync that is about to link to its token.
    private readonly CancellationTokenSource _closing = new();
    private IReadOnlyList<Hash> _cursor;
    private int _closed;
    private int _busy;

    /// <param name="source">The store's tail source.</param>
    /// <param name="cursor">Where to start: empty replays from the beginning; the store's heads give only new
    /// entries. A hash the log does not hold is accepted here and fails the first batch as stale.</param>
    public TailSubscription(ITailSource source, IReadOnlyList<Hash> cursor)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(cursor);
        _source = source;
        _cursor = cursor.ToArray();
    }

    /// <summary>The frontier of everything delivered so far: the value to persist and resume from.</summary>
    public IReadOnlyList<Hash> Cursor => Volatile.Read(ref _cursor);

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>
    /// The next batch of at most <paramref name="maxCount"/> entries. Closed → an empty batch. Otherwise reads;
    /// if nothing is there and <paramref name="timeout"/> is not zero, waits until the store's bell rings or the
    /// timeout passes, then (unless closed meanwhile) reads once more. An empty batch is therefore possible
    /// before the timeout (a ring for entries not visible to this read). <see cref="Timeout.InfiniteTimeSpan"/>
    /// waits without limit.
    /// </summary>
    /// <exception cref="TailCursorStaleException">The cursor names an entry the log no longer holds.</exception>
    /// <exception cref="InvalidOperationException">Another call on this subscription is in progress.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was canceled.</exception>
    public async Task<TailBatch> NextBatchAsync(TimeSpan timeout, int maxCount = 1000, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "the timeout must be non-negative or infinite");
        }

        if (IsClosed) return ClosedBatch();
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            throw new InvalidOperationException("a tail subscription serves one consumer: another NextBatchAsync is in progress");
        }

        try
        {
            ct.ThrowIfCancellationRequested();
            var bell = _source.Bell;
            var seen = bell.Version;
            var batch = ReadAndAdvance(maxCount);
            if (batch.Entries.Count > 0 || timeout == TimeSpan.Zero) return batch;

            if (!await WaitForRingAsync(bell, seen, timeout, ct).ConfigureAwait(false)) return ClosedBatch();
            return IsClosed ? ClosedBatch() : ReadAndAdvance(maxCount);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Waits for a ring or the timeout; false when the subscription was closed meanwhile.</summary>
    private async Task<bool> WaitForRingAsync(Bell bell, long seen, TimeSpan timeout, CancellationToken ct)
    {
        CancellationTokenSource? linked = null;
        try
        {
            CancellationToken token;
            if (ct.CanBeCanceled)
            {
                linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _closing.Token);
                token = linked.Token;
            }
            else
            {
                token = _closing.Token;
            }

            await bell.WaitAsync(seen, timeout, token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && IsClosed)
        {
            return false;
        }
        finally
        {
            linked?.Dispose();
        }
    }

    private TailBatch ReadAndAdvance(int maxCount)
    {
        var read = _source.Read(Cursor, maxCount);
        Volatile.Write(ref _cursor, read.Cursor);
        return new TailBatch(read.Entries, read.Cursor, read.UpToDate);
    }

    /// <summary>Nothing was read, so nothing is claimed about being up to date.</summary>
    private TailBatch ClosedBatch() => new([], Cursor, false);

    /// <summary>Closes the subscription (idempotent, thread-safe) and wakes a waiting <see cref="NextBatchAsync"/>, which returns an empty batch.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        // Callbacks (the waiter's wake-up) run on the pool, not on the closing thread, which may hold locks.
        _ = _closing.CancelAsync();
    }

    public void Dispose() => Close();

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
