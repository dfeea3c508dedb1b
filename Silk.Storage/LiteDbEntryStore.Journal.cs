using LiteDB;
using Silk.Core.Persistence;

namespace Silk.Storage;

/// <summary>The write path: a batch is made durable in the journal, then inserted into LiteDB by the background applier; the journal is folded into LiteDB when it grows, and a failure faults the store.</summary>
public sealed partial class LiteDbEntryStore
{
    /// <summary>Journals one record durably, then queues it for LiteDB.</summary>
    private void Journal(byte[] record, JournalRecord change, int entryCount)
    {
        lock (_journalLock)
        {
            ThrowIfUnusable();
            lock (_queueLock)
            {
                while (_pendingEntries > MaxPendingEntries && _fault is null && !_stopping) Monitor.Wait(_queueLock);
            }

            ThrowIfUnusable();
            _journal.Append(record, sync: Durability == DurabilityMode.Fsync);
            lock (_queueLock)
            {
                _pending.Enqueue(change);
                _pendingEntries += entryCount;
                if (change is MetadataRecord meta)
                {
                    if (meta.Value is null) _metadata.Remove(meta.Key);
                    else _metadata[meta.Key] = meta.Value;
                }

                // Wake the applier when work appears or a batch is full, not on every append.
                if (_pending.Count == 1 || _pendingEntries >= ApplyBatchEntries) Monitor.PulseAll(_queueLock);
            }
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fault is { } fault) throw new IOException($"the store's background LiteDB writer failed; reopen the store to recover from its journal: {fault.Message}", fault);
    }

    private void ApplyLoop()
    {
        while (true)
        {
            List<JournalRecord> work;
            lock (_queueLock)
            {
                while (_pending.Count == 0 && !_stopping) Monitor.Wait(_queueLock);
                if (_pending.Count == 0) return;

                // LiteDB inserts cost far less per entry in large transactions: let a batch gather a little.
                var deadline = Environment.TickCount64 + ApplyDelayMs;
                while (_pendingEntries < ApplyBatchEntries && !_stopping && _waitingForApply == 0 && Environment.TickCount64 < deadline)
                {
                    Monitor.Wait(_queueLock, (int)Math.Max(1, deadline - Environment.TickCount64));
                }

                if (_pending.Count == 0) continue; // a fold took it meanwhile
                work = [.. _pending];
                _pending.Clear();
                _applying = true;
            }

            var applied = 0;
            try
            {
                lock (_dbLock) applied = Apply(work, replay: false);
            }
            catch (Exception ex)
            {
                Fault(ex);
                return;
            }
            finally
            {
                lock (_queueLock)
                {
                    _pendingEntries -= applied;
                    _applying = false;
                    Monitor.PulseAll(_queueLock);
                }
            }

            if (_journal.Length > _journalFoldBytes && !Volatile.Read(ref _stopping))
            {
                try
                {
                    lock (_journalLock) FoldJournalLocked();
                }
                catch (Exception ex)
                {
                    Fault(ex);
                    return;
                }
            }
        }
    }

    private void Fault(Exception ex)
    {
        lock (_queueLock)
        {
            _fault ??= ex;
            Monitor.PulseAll(_queueLock);
        }
    }

    private void WaitUntilApplied()
    {
        lock (_queueLock)
        {
            _waitingForApply++;
            Monitor.PulseAll(_queueLock);
            while ((_pending.Count > 0 || _applying) && _fault is null) Monitor.Wait(_queueLock);
            _waitingForApply--;
        }

        ThrowIfUnusable();
    }

    /// <summary>Holding the journal lock: everything journaled goes into LiteDB, LiteDB is checkpointed (synced), the journal emptied.</summary>
    private void FoldJournalLocked()
    {
        List<JournalRecord> work;
        lock (_queueLock)
        {
            while (_applying && _fault is null) Monitor.Wait(_queueLock);
            work = [.. _pending];
            _pending.Clear();
        }

        lock (_dbLock)
        {
            var applied = work.Count > 0 ? Apply(work, replay: false) : 0;
            lock (_queueLock)
            {
                _pendingEntries -= applied;
                Monitor.PulseAll(_queueLock);
            }

            if (_fault is { } fault) throw new IOException($"the store's background LiteDB writer failed: {fault.Message}", fault);
            _db.Checkpoint();
            _journal.Truncate(sync: Durability == DurabilityMode.Fsync);
        }
    }
}
