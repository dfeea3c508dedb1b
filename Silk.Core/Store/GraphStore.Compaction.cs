using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Persistence;
using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>
/// Compaction (SPEC §9): the whole log is replaced by one checkpoint entry holding the live state.
/// Safe only when every peer has synced past the newest entry and every registered tail cursor is
/// at the heads; otherwise peers and tails would be left holding hashes that no longer exist.
/// </summary>
public sealed partial class GraphStore
{
    private readonly List<Hash[]> _subscriberCursors = [];

    // One compaction at a time: a second one waits (Compact) or declines (TryCompact).
    private readonly SemaphoreSlim _compactionGate = new(1, 1);
    private PeerRegistry? _peers;

    /// <summary>Known gossip peers; their last sync times feed <see cref="VerifyCompactionSafe"/>.</summary>
    public PeerRegistry Peers => LazyInitializer.EnsureInitialized(ref _peers, () => new PeerRegistry(InstanceId, _options.Time));

    /// <summary>Makes compaction wait for this cursor (exact list, order-sensitive; duplicates ignored).</summary>
    public void RegisterSubscriberCursor(IReadOnlyList<Hash> cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        lock (_subscriberCursors)
        {
            if (!_subscriberCursors.Any(c => c.SequenceEqual(cursor))) _subscriberCursors.Add([.. cursor]);
        }
    }

    public void UnregisterSubscriberCursor(IReadOnlyList<Hash> cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        lock (_subscriberCursors) _subscriberCursors.RemoveAll(c => c.SequenceEqual(cursor));
    }

    /// <summary>Whether compaction would strand a peer or a registered cursor, with the reasons.</summary>
    public (bool Safe, IReadOnlyList<string> Reasons) VerifyCompactionSafe()
    {
        var blockers = CompactionBlockers();
        return (blockers.Count == 0, blockers.Select(b => b.Reason).ToList());
    }

    /// <summary>What makes compaction unsafe now (empty when it is safe): the reasons of <see cref="VerifyCompactionSafe"/>, with their kinds.</summary>
    public IReadOnlyList<CompactionBlocker> CompactionBlockers() => Read(() => BlockersLocked(restateWhenBlocked: true));

    /// <summary>
    /// Entries a compaction now would take out of the log: all but the root and the quarantined entries it
    /// carries over. 0 means the log is as short as compaction can make it.
    /// </summary>
    public int CompactableEntries => Read(() => Math.Max(0, _log.Count - 1 - _graph.Quarantined.Count));

    /// <summary>
    /// Replaces the log with a checkpoint of the live state and returns its hash. Quarantined entries
    /// are carried over after the checkpoint (same op, author and clock) so that a later schema
    /// extension can still release them. With <paramref name="safe"/>, refuses when
    /// <see cref="VerifyCompactionSafe"/> does. Waits for a compaction already running, then checks.
    /// </summary>
    public Hash Compact(bool safe = true)
    {
        _compactionGate.Wait();
        try
        {
            if (safe && VerifyCompactionSafe() is (false, var reasons))
            {
                throw new InvalidOperationException($"compaction is unsafe: {string.Join("; ", reasons)}. Pass safe=False to force.");
            }

            return CompactHoldingGate();
        }
        finally
        {
            _compactionGate.Release();
        }
    }

    /// <summary>
    /// For automatic policies: compacts only when it is safe, and never waits for another compaction (that
    /// is a <see cref="CompactionBlockerKind.CompactionRunning"/> blocker). The peers and cursors are checked
    /// first: while one of them blocks, no checkpoint is built just to test the restatement.
    /// </summary>
    public CompactionAttempt TryCompact()
    {
        if (!_compactionGate.Wait(0))
        {
            return CompactionAttempt.Refused([new CompactionBlocker(CompactionBlockerKind.CompactionRunning, "", "another compaction is running")]);
        }

        try
        {
            var blockers = Read(() => BlockersLocked(restateWhenBlocked: false));
            if (blockers.Count > 0) return CompactionAttempt.Refused(blockers);
            var before = EntryCount;
            var hash = CompactHoldingGate();
            return new CompactionAttempt(hash, before, EntryCount, []);
        }
        finally
        {
            _compactionGate.Release();
        }
    }

    /// <summary>
    /// Under the read lock: peers first, then (unless a peer or cursor already blocks and
    /// <paramref name="restateWhenBlocked"/> is false) the restatement, then the cursors.
    /// </summary>
    private List<CompactionBlocker> BlockersLocked(bool restateWhenBlocked)
    {
        var peers = new List<CompactionBlocker>();
        var latest = _log.InArrivalOrder.Max(e => e.Clock.PhysicalMs);
        foreach (var peer in Peers.List())
        {
            if (peer.LastSeenMs == 0)
            {
                peers.Add(new(CompactionBlockerKind.PeerNeverSynced, peer.PeerId, $"peer '{peer.PeerId}' has never synced"));
            }
            else if (peer.LastSeenMs < latest)
            {
                peers.Add(new(CompactionBlockerKind.PeerBehind, peer.PeerId, $"peer '{peer.PeerId}' last synced at {peer.LastSeenMs}ms, but latest entry is at {latest}ms"));
            }
        }

        var cursors = new List<CompactionBlocker>();
        Hash[][] registered;
        lock (_subscriberCursors) registered = [.. _subscriberCursors];
        for (var i = 0; i < registered.Length; i++)
        {
            if (!registered[i].All(_log.Contains))
            {
                cursors.Add(new(CompactionBlockerKind.CursorUnknown, $"cursor #{i}", $"subscriber cursor #{i} references unknown entries"));
            }
            else if (_log.EntriesSinceHeads(registered[i]).Count > 0)
            {
                cursors.Add(new(CompactionBlockerKind.CursorBehind, $"cursor #{i}", $"subscriber cursor #{i} is behind current heads"));
            }
        }

        var blockers = peers;
        if (restateWhenBlocked || (peers.Count == 0 && cursors.Count == 0))
        {
            var now = _clock.Current;
            var lossy = RestatementProblemsLocked(BuildReplacementLocked(now, now, sign: false));
            if (lossy.Count > 0) blockers.Add(new(CompactionBlockerKind.LossyCheckpoint, "", $"a checkpoint would not restate the live state of {string.Join(", ", lossy)}"));
        }

        blockers.AddRange(cursors);
        return blockers;
    }

    /// <summary>The compaction itself, with <see cref="_compactionGate"/> held (and safety, if wanted, checked).</summary>
    private Hash CompactHoldingGate()
    {
        ThrowIfFaulted();
        // Holding the commit gate keeps flushes out while the log (and the file) is replaced.
        Hash hash;
        lock (_commitGate)
        {
            // Its units are the entries the checkpoint replaces; it moves once, at the end (one locked step).
            using var progress = _options.Operations?.Start("compaction", EntryCount);
            Flush();
            ThrowIfFaulted();
            hash = Write(ReplaceWithCheckpointLocked);
            progress?.Advance(progress.Total);
        }

        _options.Metrics?.Compacted();
        RingBell(); // tails holding pre-compaction cursors wake and learn they are stale
        return hash;
    }

    /// <summary>
    /// Under the lock: the checkpoint of the live state (compacted at <paramref name="at"/>) followed by
    /// the quarantined entries it carries over, each the parent of the next. The schema op carries
    /// <paramref name="stateClock"/> (the clock before the compaction's own tick).
    /// </summary>
    private List<Entry> BuildReplacementLocked(ClockStamp stateClock, ClockStamp at, bool sign)
    {
        var ops = new List<GraphOp> { new DefineOntology(_graph.Ontology) };
        var clocks = new List<(ulong, uint)> { (stateClock.PhysicalMs, stateClock.Logical) };
        foreach (var (op, clock) in _graph.LiveStateOps())
        {
            ops.Add(op);
            clocks.Add((clock.PhysicalMs, clock.Logical));
        }

        var quarantined = _graph.Quarantined.Select(q => _log.Get(q.Hash)).OfType<Entry>().ToList();
        var checkpoint = Entry.Create(new Checkpoint(ops, clocks, at.PhysicalMs, at.Logical), [], at, InstanceId);
        var carried = new List<Entry> { sign ? SignLocal(checkpoint) : checkpoint };
        var heads = new[] { checkpoint.Hash };
        foreach (var entry in quarantined)
        {
            var again = Entry.Create(entry.Payload, heads, entry.Clock, entry.Author);
            carried.Add(again);
            heads = [again.Hash];
        }

        return carried;
    }

    /// <summary>The live nodes and edges (and the schema) that materializing <paramref name="replacement"/> would not reproduce.</summary>
    private IReadOnlyList<string> RestatementProblemsLocked(IReadOnlyList<Entry> replacement)
    {
        var replayed = MaterializedGraph.FromEntries(replacement, _graph.Ontology);
        var problems = _graph.LiveDifferences(replayed).ToList();
        if (replayed.OntologyHash != _graph.OntologyHash) problems.Add("the schema");
        return problems;
    }

    private Hash ReplaceWithCheckpointLocked()
    {
        var stateClock = _clock.Current;
        var carried = BuildReplacementLocked(stateClock, _clock.Tick(), sign: true);
        var checkpoint = carried[0];

        // Disk first: if the replacement cannot be persisted, memory keeps the old log too.
        var firstSequence = _log.NextSequence;
        var stored = carried.Select((e, i) => new StoredEntry(firstSequence + i, e.Hash, e.ToBytes())).ToList();
        if (_storage is { } storage)
        {
            try
            {
                storage.ReplaceAll(stored);
            }
            catch (Exception ex)
            {
                // The replacement may or may not have reached the disk: as after a failed commit, the store
                // refuses writes from now on (a write appended to the old log in memory could land after the
                // checkpoint on disk); reopening it shows which log the disk holds.
                _fault = ex;
                throw new StoreFaultedException($"the compaction was not persisted: {ex.Message}", ex);
            }

            storage.Reclaim();
        }

        _log.ReplaceWithCheckpoint(checkpoint);
        foreach (var entry in carried.Skip(1)) _log.Append(entry, hashVerified: true);
        _graph.Rebuild(_log.TopologicalOrder());
        Volatile.Write(ref _durableThrough, _log.LastSequence);
        Acknowledge(_log.LastSequence);
        return checkpoint.Hash;
    }
}
