using System.Diagnostics;
using Silk.Core.Entries;
using Silk.Core.Persistence;

namespace Silk.Core.Store;

/// <summary>
/// Group commit. A mutation changes the in-memory log and graph under the write lock and stages its
/// new entries (and change events); then it waits until they are durable. One committer thread takes
/// everything staged so far, persists it in ONE transaction, and only then acknowledges it: tails may
/// read it, subscribers hear about it, and every writer whose entries were in the batch is released.
/// Concurrent writers therefore share commits (and disk flushes). If persisting fails the store is
/// faulted: the affected writes and all later ones throw <see cref="StoreFaultedException"/>.
/// <para>
/// The committer is a dedicated thread and a writer waits on a task that thread completes, so no write ever
/// needs a free thread-pool thread to be acknowledged: callers that block on their writes may hold every pool
/// thread (a semaphore's WaitAsync resumed on the pool, which then never came, and every writer queued behind
/// it). A blocked caller is woken by the committer itself; an awaiting one resumes on the pool, as any await.
/// </para>
/// </summary>
public sealed partial class GraphStore
{
    // Keeps a compaction's own flush and its replacement of the log out of the committer's flushes.
    private readonly Lock _commitGate = new();
    private readonly List<StoredEntry> _staged = [];
    // An in-memory store stages no entries (nothing to persist): only how far the next flush acknowledges.
    private long _stagedThrough = -1;
    private readonly List<ChangeEvent> _stagedEvents = [];
    private readonly object _commitQueue = new();
    private List<CommitWaiter> _commitWaiters = [];
    private List<CommitWaiter> _servedWaiters = [];
    private Thread? _committer;
    private bool _committerStopping;
    private IEntryStore? _storage;
    private long _durableThrough = -1;
    private Exception? _fault;

    /// <summary>The persistence behind this store, or null for an in-memory store.</summary>
    public DurabilityMode? Durability => _storage?.Durability;

    /// <summary>Under the write lock: remember new entries and events for the next commit.</summary>
    private void Stage(IEnumerable<Entry> entries, IEnumerable<ChangeEvent> events)
    {
        foreach (var entry in entries) Stage(entry, []);
        _stagedEvents.AddRange(events);
    }

    private void Stage(Entry entry, IReadOnlyList<ChangeEvent> events)
    {
        var sequence = _log.SequenceOf(entry.Hash);
        if (_storage is null) _stagedThrough = sequence;
        else _staged.Add(new StoredEntry(sequence, entry.Hash, entry.ToBytes()));
        if (events.Count > 0) _stagedEvents.AddRange(events);
    }

    /// <summary>Returns once everything up to <paramref name="sequence"/> is durable (and announced).</summary>
    private void CommitThrough(long sequence)
    {
        if (IsCommitted(sequence)) return;
        if (_storage is null)
        {
            FlushInline();
        }
        else
        {
            var waiter = new CommitWaiter<bool>(sequence, true, local: null, 0);
            Enqueue(waiter);
            // Blocking on the task is woken by the committer directly (no continuation is scheduled).
            waiter.Task.GetAwaiter().GetResult();
        }

        ThrowIfFaultedBefore(sequence);
    }

    /// <summary>
    /// A task that completes with <paramref name="result"/> once everything up to <paramref name="sequence"/> is
    /// durable (or fails with <see cref="StoreFaultedException"/>); the write's duration is recorded then.
    /// </summary>
    private Task<T> CommitThroughAsync<T>(long sequence, T result, bool local, long started, CancellationToken cancellationToken)
    {
        if (_storage is null)
        {
            // No disk to wait for: announce inline, as the sync path does.
            if (!IsCommitted(sequence)) FlushInline();
            _options.Metrics?.WriteDone(local, started);
            return Task.FromResult(result);
        }

        if (IsCommitted(sequence))
        {
            ThrowIfFaultedBefore(sequence);
            _options.Metrics?.WriteDone(local, started);
            return Task.FromResult(result);
        }

        var waiter = new CommitWaiter<T>(sequence, result, local, started);
        Enqueue(waiter);
        return cancellationToken.CanBeCanceled ? waiter.Task.WaitAsync(cancellationToken) : waiter.Task;
    }

    // An in-memory store has no disk to wait for: the writer announces its own entries.
    private void FlushInline()
    {
        lock (_commitGate) Flush();
    }

    private void Enqueue(CommitWaiter waiter)
    {
        lock (_commitQueue)
        {
            ObjectDisposedException.ThrowIf(_committerStopping, this);
            _committer ??= StartCommitter();
            _commitWaiters.Add(waiter);
            if (_commitWaiters.Count == 1) Monitor.Pulse(_commitQueue);
        }
    }

    private Thread StartCommitter()
    {
        var thread = new Thread(RunCommitter) { IsBackground = true, Name = "silk-commit" };
        thread.Start();
        return thread;
    }

    /// <summary>
    /// The committer: waits for writers, flushes everything staged (theirs and whatever was staged since) in one
    /// transaction, releases them, and goes round again; writers that arrive during a flush share the next one.
    /// </summary>
    private void RunCommitter()
    {
        while (true)
        {
            List<CommitWaiter> served;
            lock (_commitQueue)
            {
                while (_commitWaiters.Count == 0 && !_committerStopping) Monitor.Wait(_commitQueue);
                if (_commitWaiters.Count == 0) return;
                (served, _commitWaiters) = (_commitWaiters, _servedWaiters);
            }

            try
            {
                // Each served writer staged its entries before it queued, so this flush takes them (or fails).
                FlushInline();
            }
            catch (Exception ex)
            {
                _fault ??= ex;
            }

            foreach (var waiter in served) waiter.Complete(this);
            served.Clear();
            lock (_commitQueue) _servedWaiters = served;
        }
    }

    /// <summary>Lets the committer finish what is queued, then ends it (before the storage is closed).</summary>
    private void StopCommitter()
    {
        Thread? committer;
        lock (_commitQueue)
        {
            _committerStopping = true;
            committer = _committer;
            Monitor.Pulse(_commitQueue);
        }

        committer?.Join();
    }

    // A negative target means "events only": flush whatever is staged.
    private bool IsCommitted(long sequence) => sequence >= 0 && Volatile.Read(ref _durableThrough) >= sequence;

    private void ThrowIfFaultedBefore(long sequence)
    {
        if (_fault is { } fault && Volatile.Read(ref _durableThrough) < sequence)
        {
            throw new StoreFaultedException($"the write was not persisted: {fault.Message}", fault);
        }
    }

    /// <summary>Holding the commit gate: persist everything staged, then acknowledge and announce it.</summary>
    private void Flush()
    {
        StoredEntry[] batch;
        ChangeEvent[] events;
        long through;
        _lock.EnterWriteLock();
        try
        {
            batch = _staged.Count == 0 ? [] : [.. _staged];
            events = _stagedEvents.Count == 0 ? [] : [.. _stagedEvents];
            through = batch.Length > 0 ? batch[^1].Sequence : _stagedThrough;
            _staged.Clear();
            _stagedEvents.Clear();
            _stagedThrough = -1;
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        if (through >= 0)
        {
            if (_fault is not null) return;
            try
            {
                if (batch.Length > 0) _storage?.Append(batch);
            }
            catch (Exception ex)
            {
                _fault = ex;
                _options.OnSubscriberError?.Invoke(ex);
                return;
            }

            _options.Metrics?.Committed(batch.Length > 0 ? batch.Length : (int)(through - Volatile.Read(ref _durableThrough)));
            Volatile.Write(ref _durableThrough, through);
            Acknowledge(through);
        }

        Publish(events);
    }

    private void ThrowIfFaulted()
    {
        if (_fault is { } fault) throw new StoreFaultedException($"the store is faulted after a failed write and refuses writes: {fault.Message}", fault);
    }

    /// <summary>One writer waiting for its entries to be durable; completed by the committer.</summary>
    private abstract class CommitWaiter(long sequence, bool? local, long started)
    {
        public void Complete(GraphStore store)
        {
            if (store._fault is { } fault && Volatile.Read(ref store._durableThrough) < sequence)
            {
                Fail(new StoreFaultedException($"the write was not persisted: {fault.Message}", fault));
                return;
            }

            if (local is { } isLocal) store._options.Metrics?.WriteDone(isLocal, started);
            Succeed();
        }

        protected abstract void Succeed();

        protected abstract void Fail(Exception error);
    }

    private sealed class CommitWaiter<T>(long sequence, T result, bool? local, long started) : CommitWaiter(sequence, local, started)
    {
        // Awaiting writers resume on the pool, never on the committer's thread (it has the next flush to do).
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _completion.Task;

        protected override void Succeed() => _completion.TrySetResult(result);

        protected override void Fail(Exception error) => _completion.TrySetException(error);
    }
}
