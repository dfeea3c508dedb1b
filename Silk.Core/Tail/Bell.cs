using System.Diagnostics;

namespace Silk.Core.Tail;

/// <summary>
/// A notification counter: producers <see cref="Ring"/> it after every durable change, consumers wait for the
/// version to move past the one they last saw. Waiters share one <see cref="TaskCompletionSource"/>, swapped out
/// and completed by a ring, so no thread is held per waiter and a ring nobody waits for costs two interlocked
/// operations and allocates nothing.
/// </summary>
public sealed class Bell
{
    /// <summary>Longest single timer (Task.WaitAsync refuses more than about 49 days); longer timeouts loop.</summary>
    private static readonly TimeSpan MaxSlice = TimeSpan.FromMilliseconds(int.MaxValue);

    private long _version;
    private TaskCompletionSource? _waiters;

    /// <summary>Test hook: runs in a waiter between its first look at the version and its registration.</summary>
    internal Action? BeforeRegisterForTests { get; set; }

    /// <summary>How many times the bell has rung.</summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>Increments <see cref="Version"/> and wakes every current waiter (their continuations run on the pool).</summary>
    public void Ring()
    {
        // The increment comes first (a full fence): a waiter that installs its source after the swap below
        // re-reads the version and sees this ring, one that installed before is completed here.
        Interlocked.Increment(ref _version);
        if (Volatile.Read(ref _waiters) is null) return;
        Interlocked.Exchange(ref _waiters, null)?.TrySetResult();
    }

    /// <summary>
    /// Completes with true once <see cref="Version"/> exceeds <paramref name="seenVersion"/> (at once if it already
    /// does), with false when <paramref name="timeout"/> passes first. <see cref="Timeout.InfiniteTimeSpan"/> waits
    /// without limit. A canceled token throws <see cref="OperationCanceledException"/> (also when already canceled).
    /// </summary>
    public async Task<bool> WaitAsync(long seenVersion, TimeSpan timeout, CancellationToken ct = default)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "the timeout must be non-negative or infinite");
        }

        ct.ThrowIfCancellationRequested();
        if (Version > seenVersion) return true;
        if (timeout == TimeSpan.Zero) return false;

        var infinite = timeout == Timeout.InfiniteTimeSpan;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            BeforeRegisterForTests?.Invoke();
            var waiters = Volatile.Read(ref _waiters);
            if (waiters is null)
            {
                var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiters = Interlocked.CompareExchange(ref _waiters, fresh, null) ?? fresh;
            }

            // Re-check after installing (or finding) the source, behind a full fence that pairs with the one in
            // Ring: either this read sees the ring's increment, or the ring sees the source and completes it.
            Interlocked.MemoryBarrier();
            if (Version > seenVersion) return true;

            var slice = Timeout.InfiniteTimeSpan;
            if (!infinite)
            {
                var remaining = timeout - Stopwatch.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero) return false;
                slice = remaining < MaxSlice ? remaining : MaxSlice;
            }

            var wait = waiters.Task.WaitAsync(slice, ct);
            await wait.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (Version > seenVersion) return true;
            ct.ThrowIfCancellationRequested();
            // A timed-out slice, or a ring that did not pass seenVersion (a version from the future): go round;
            // the top of the loop ends the wait when the timeout is used up.
        }
    }
}
