using Silk.Core.Entries;
using Silk.Core.Persistence;

namespace Silk.Core.Store;

/// <summary>
/// Group commit. A mutation changes the in-memory log and graph under the write lock and stages its
/// new entries (and change events); then it waits until they are durable. One flusher at a time takes
/// everything staged so far, persists it in ONE transaction, and only then acknowledges it: tails may
/// read it, subscribers hear about it, and every writer whose entries were in the batch returns.
/// Concurrent writers therefore share commits (and disk flushes). If persisting fails the store is
/// faulted: the affected writes and all later ones throw <see cref="StoreFaultedException"/>.
/// </summary>
public sealed partial class GraphStore
{
    private readonly SemaphoreSlim _commitGate = new(1, 1);
    private readonly List<StoredEntry> _staged = [];
    private readonly List<ChangeEvent> _stagedEvents = [];
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
        // An in-memory store only needs the sequence to acknowledge; bytes are for persistence.
        var bytes = _storage is null ? ReadOnlyMemory<byte>.Empty : entry.ToBytes();
        _staged.Add(new StoredEntry(_log.SequenceOf(entry.Hash), entry.Hash, bytes));
        if (events.Count > 0) _stagedEvents.AddRange(events);
    }

    /// <summary>Returns once everything up to <paramref name="sequence"/> is durable (and announced).</summary>
    private void CommitThrough(long sequence)
    {
        if (IsCommitted(sequence)) return;
        _commitGate.Wait();
        try
        {
            if (!IsCommitted(sequence)) Flush();
        }
        finally
        {
            _commitGate.Release();
        }

        ThrowIfFaultedBefore(sequence);
    }

    private async Task CommitThroughAsync(long sequence, CancellationToken cancellationToken)
    {
        if (IsCommitted(sequence)) return;
        await _commitGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsCommitted(sequence)) Flush();
        }
        finally
        {
            _commitGate.Release();
        }

        ThrowIfFaultedBefore(sequence);
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
        _lock.EnterWriteLock();
        try
        {
            batch = [.. _staged];
            events = [.. _stagedEvents];
            _staged.Clear();
            _stagedEvents.Clear();
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        if (batch.Length > 0)
        {
            if (_fault is not null) return;
            try
            {
                _storage?.Append(batch);
            }
            catch (Exception ex)
            {
                _fault = ex;
                _options.OnSubscriberError?.Invoke(ex);
                return;
            }

            _options.Metrics?.Committed(batch.Length);
            Volatile.Write(ref _durableThrough, batch[^1].Sequence);
            Acknowledge(batch[^1].Sequence);
        }

        Publish(events);
    }

    private void ThrowIfFaulted()
    {
        if (_fault is { } fault) throw new StoreFaultedException($"the store is faulted after a failed write and refuses writes: {fault.Message}", fault);
    }
}
