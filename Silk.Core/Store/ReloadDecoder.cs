using System.Runtime.ExceptionServices;
using Silk.Core.Diagnostics;
using Silk.Core.Entries;
using Silk.Core.Persistence;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>
/// Decodes and verifies the stored entries of a store being reopened on every core, ahead of the one thread that
/// appends them in sequence order (<see cref="Take"/>). Each entry is decoded, its hash compared with the one it is
/// stored under and recomputed over its bytes; a bad one fails <see cref="Take"/> at its place in the sequence, so
/// the error reported is the first in order. The workers are threads of their own: a reopen does not wait for the pool.
/// </summary>
internal sealed class ReloadDecoder : IDisposable
{
    private const int Slice = 2048;

    private readonly IReadOnlyList<StoredEntry> _stored;
    private readonly OperationTracker.Operation? _progress;
    private readonly Entry?[] _entries;
    private readonly Exception?[] _failures;
    private readonly int[] _sliceDone;
    private readonly Thread[] _workers;
    private readonly object _signal = new();
    private int _nextSlice = -1;
    private volatile bool _stopping;

    public ReloadDecoder(IReadOnlyList<StoredEntry> stored, OperationTracker.Operation? progress)
    {
        _stored = stored;
        _progress = progress;
        _entries = new Entry?[stored.Count];
        _failures = new Exception?[stored.Count];
        _sliceDone = new int[(stored.Count + Slice - 1) / Slice];
        _workers = new Thread[Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, _sliceDone.Length))];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = $"Silk reopen decoder {i}" };
            _workers[i].Start();
        }
    }

    /// <summary>The decoded, verified entry at <paramref name="index"/>, once its slice is done; each index is taken once, in order.</summary>
    public Entry Take(int index)
    {
        var slice = index / Slice;
        if (Volatile.Read(ref _sliceDone[slice]) == 0)
        {
            lock (_signal)
            {
                while (Volatile.Read(ref _sliceDone[slice]) == 0) Monitor.Wait(_signal);
            }
        }

        if (_failures[index] is { } failure) ExceptionDispatchInfo.Throw(failure);
        var entry = _entries[index]!;
        _entries[index] = null; // the log holds it from now on
        return entry;
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var worker in _workers) worker.Join();
    }

    private void Work()
    {
        int slice;
        while (!_stopping && (slice = Interlocked.Increment(ref _nextSlice)) < _sliceDone.Length)
        {
            var end = Math.Min(_stored.Count, (slice + 1) * Slice);
            for (var i = slice * Slice; i < end; i++) Decode(i);
            _progress?.Advance(end - (slice * Slice));
            Volatile.Write(ref _sliceDone[slice], 1);
            lock (_signal) Monitor.PulseAll(_signal);
        }
    }

    private void Decode(int index)
    {
        var record = _stored[index];
        try
        {
            var entry = Entry.Decode(record.Bytes);
            if (entry.Hash != record.Hash) _failures[index] = new CorruptStoreException($"entry stored under {record.Hash.ToHex()} at sequence {record.Sequence} carries hash {entry.Hash.ToHex()}");
            else if (!entry.VerifyHash()) _failures[index] = new CorruptStoreException($"entry {record.Hash.ToHex()} at sequence {record.Sequence} does not match its hash");
            else _entries[index] = entry;
        }
        catch (WireFormatException ex)
        {
            _failures[index] = new CorruptStoreException($"corrupt entry at sequence {record.Sequence} ({record.Hash.ToHex()}): {ex.Message}", ex);
        }
        catch (Exception ex)
        {
            // Anything else is a fault of ours, not of the data: raised as it is, on the reopening thread.
            _failures[index] = ex;
        }
    }
}
