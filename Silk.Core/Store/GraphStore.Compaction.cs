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
    public (bool Safe, IReadOnlyList<string> Reasons) VerifyCompactionSafe() => Read(() =>
    {
        var reasons = new List<string>();
        var latest = _log.InArrivalOrder.Max(e => e.Clock.PhysicalMs);
        foreach (var peer in Peers.List())
        {
            if (peer.LastSeenMs == 0) reasons.Add($"peer '{peer.PeerId}' has never synced");
            else if (peer.LastSeenMs < latest) reasons.Add($"peer '{peer.PeerId}' last synced at {peer.LastSeenMs}ms, but latest entry is at {latest}ms");
        }

        var now = _clock.Current;
        var lossy = RestatementProblemsLocked(BuildReplacementLocked(now, now, sign: false));
        if (lossy.Count > 0) reasons.Add($"a checkpoint would not restate the live state of {string.Join(", ", lossy)}");

        Hash[][] cursors;
        lock (_subscriberCursors) cursors = [.. _subscriberCursors];
        for (var i = 0; i < cursors.Length; i++)
        {
            if (!cursors[i].All(_log.Contains)) reasons.Add($"subscriber cursor #{i} references unknown entries");
            else if (_log.EntriesSinceHeads(cursors[i]).Count > 0) reasons.Add($"subscriber cursor #{i} is behind current heads");
        }

        return (reasons.Count == 0, (IReadOnlyList<string>)reasons);
    });

    /// <summary>
    /// Replaces the log with a checkpoint of the live state and returns its hash. Quarantined entries
    /// are carried over after the checkpoint (same op, author and clock) so that a later schema
    /// extension can still release them. With <paramref name="safe"/>, refuses when
    /// <see cref="VerifyCompactionSafe"/> does.
    /// </summary>
    public Hash Compact(bool safe = true)
    {
        if (safe && VerifyCompactionSafe() is (false, var reasons))
        {
            throw new InvalidOperationException($"compaction is unsafe: {string.Join("; ", reasons)}. Pass safe=False to force.");
        }

        ThrowIfFaulted();
        // Holding the commit gate keeps flushes out while the log (and the file) is replaced.
        _commitGate.Wait();
        Hash hash;
        try
        {
            // Its units are the entries the checkpoint replaces; it moves once, at the end (one locked step).
            using var progress = _options.Operations?.Start("compaction", EntryCount);
            Flush();
            ThrowIfFaulted();
            hash = Write(ReplaceWithCheckpointLocked);
            progress?.Advance(progress.Total);
        }
        finally
        {
            _commitGate.Release();
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
