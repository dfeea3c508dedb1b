using System.Diagnostics;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Log;
using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>
/// The sync protocol (SPEC §7): offers, payloads for a peer's offer, atomic merges, snapshots.
/// Bytes are the original's (silk-graph 0.4.1, and 0.2.4's 8-field entries for version-1 offers).
/// </summary>
public sealed partial class GraphStore
{
    private readonly Dictionary<Hash, Entry> _pending = [];
    private readonly Queue<Hash> _pendingOrder = new();

    /// <summary>This store's offer: its heads, a bloom filter over every entry hash, its clock.</summary>
    public SyncOffer GenerateOffer() => Read(() =>
    {
        var bloom = BloomFilter.Create(Math.Max((ulong)_log.Count, SyncLimits.BloomMinimumItems), SyncLimits.BloomFalsePositiveRate);
        foreach (var entry in _log.InArrivalOrder) bloom.Insert(entry.Hash);
        var clock = _clock.Current;
        return new SyncOffer(SyncLimits.ProtocolVersion, _log.Heads, bloom, clock.PhysicalMs, clock.Logical);
    });

    /// <summary>
    /// What the peer behind <paramref name="offer"/> lacks, in topological order, and the peer heads we
    /// lack (<c>need</c>). See <see cref="PayloadMode"/> for the two ways of choosing entries. With
    /// <paramref name="nodeTypes"/> (filtered sync, exact type names) the payload is then cut down by
    /// <see cref="NodeTypeFilter"/>: in compatible mode exactly as the original's <c>receive_filtered_sync_offer</c>,
    /// in delta mode with the wanted ids taken from the whole log.
    /// </summary>
    public SyncPayload ComputePayload(SyncOffer offer, PayloadMode mode = PayloadMode.Compatible, IReadOnlyCollection<string>? nodeTypes = null)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var wanted = nodeTypes is null ? null : new HashSet<string>(nodeTypes, StringComparer.Ordinal);
        return Read(() =>
        {
            var full = PayloadFor(offer, mode);
            if (wanted is null) return full;
            return NodeTypeFilter.Apply(full, wanted, mode == PayloadMode.Delta ? _log.InArrivalOrder : null);
        });
    }

    private SyncPayload PayloadFor(SyncOffer offer, PayloadMode mode)
    {
        var remoteHeads = offer.Heads.ToHashSet();
        var need = offer.Heads.Where(h => !_log.Contains(h)).Distinct().ToList();
        var localHeads = _log.Heads;
        if (localHeads.All(remoteHeads.Contains)) return new SyncPayload([], need);

        var send = mode == PayloadMode.Delta
            ? CertainlyMissing(offer, remoteHeads)
            : CompatibleSendSet(offer, remoteHeads);
        foreach (var head in localHeads)
        {
            if (!remoteHeads.Contains(head)) send.Add(head);
        }

        if (mode == PayloadMode.Compatible)
        {
            // The original's order: the whole log's topological order, filtered (the vectors pin it).
            CloseOverAncestors(send, remoteHeads);
            return new SyncPayload(_log.TopologicalOrder().Where(e => send.Contains(e.Hash)).ToList(), need);
        }

        // Any parents-first order will do for our receivers (they place entries parents-first anyway).
        return new SyncPayload(_log.TopologicalOrder(send), need);
    }

    /// <summary>Entries named explicitly (a peer's missing parents), in topological order; unknown hashes are skipped.</summary>
    public SyncPayload EntriesFor(IEnumerable<Hash> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        return Read(() =>
        {
            var wanted = hashes.Where(_log.Contains).ToHashSet();
            return new SyncPayload(_log.TopologicalOrder(wanted), []);
        });
    }

    private HashSet<Hash> CompatibleSendSet(SyncOffer offer, HashSet<Hash> remoteHeads)
    {
        var send = new HashSet<Hash>();
        foreach (var entry in _log.InArrivalOrder)
        {
            if (!offer.Bloom.MightContain(entry.Hash)) send.Add(entry.Hash);
        }

        return send;
    }

    // Reachable from a head the peer has means the peer has it; absent from its bloom filter means it lacks it.
    private HashSet<Hash> CertainlyMissing(SyncOffer offer, HashSet<Hash> remoteHeads)
    {
        var send = new HashSet<Hash>();
        foreach (var entry in _log.NotAncestorsOf(remoteHeads))
        {
            if (!offer.Bloom.MightContain(entry.Hash)) send.Add(entry.Hash);
        }

        return send;
    }

    /// <summary>The original's closure: every ancestor of what is sent, up to (not including) the peer's heads.</summary>
    private void CloseOverAncestors(HashSet<Hash> send, HashSet<Hash> remoteHeads)
    {
        var queue = new Queue<Hash>(send);
        while (queue.TryDequeue(out var hash))
        {
            foreach (var parent in _log.Get(hash)!.Next)
            {
                if (remoteHeads.Contains(parent) || !_log.Contains(parent) || !send.Add(parent)) continue;
                queue.Enqueue(parent);
            }
        }
    }

    /// <summary>
    /// Merges a peer's entries atomically: every hash is checked first (one bad hash refuses the whole
    /// message), entries too far in the future or refused by the signature policy are dropped, the rest
    /// are inserted parents-first whatever order they came in. Entries whose parents are still missing
    /// are held back when <paramref name="holdUnresolved"/> is set (delta sync) and reported in
    /// <see cref="MergeResult.MissingParents"/>; otherwise they refuse the whole message, as the original does.
    /// Only new entries are applied and announced.
    /// </summary>
    public MergeResult Merge(IReadOnlyList<Entry> entries, bool holdUnresolved = false)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var started = Stopwatch.GetTimestamp();
        VerifyAll(entries);
        ThrowIfFaulted();
        var (result, lastSequence) = Write(() => MergeLocked(entries, holdUnresolved));
        // Wait for (and check) the durability of what this merge inserted, not just for a flush:
        // a merge must not report entries as inserted when persisting them failed.
        CommitThrough(lastSequence);
        _options.Metrics?.WriteDone(local: false, started);
        return result;
    }

    /// <summary>Under the write lock: how many of the entries a merge inserted landed in quarantine (and the metrics).</summary>
    private int CountMerged(List<Entry> inserted)
    {
        var quarantined = 0;
        foreach (var entry in inserted)
        {
            if (_graph.IsQuarantined(entry.Hash)) quarantined++;
        }

        _options.Metrics?.Appended(local: false, inserted.Count);
        _options.Metrics?.Quarantined(quarantined);
        return quarantined;
    }

    private static void VerifyAll(IReadOnlyList<Entry> entries)
    {
        Entry? bad = null;
        if (entries.Count >= 2048)
        {
            Parallel.For(0, entries.Count, (i, state) =>
            {
                if (entries[i].VerifyHash()) return;
                Interlocked.CompareExchange(ref bad, entries[i], null);
                state.Stop();
            });
        }
        else
        {
            bad = entries.FirstOrDefault(e => !e.VerifyHash());
        }

        if (bad is not null) throw new SyncRejectedException($"entry hash verification failed: {bad.Hash.ToHex()}");
    }

    public MergeResult Merge(SyncPayload payload, bool holdUnresolved = false)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return Merge(payload.Entries, holdUnresolved);
    }

    /// <summary>Under the write lock: the merge, and the arrival sequence of the last entry it inserted (-1 when none).</summary>
    private (MergeResult Result, long LastSequence) MergeLocked(IReadOnlyList<Entry> entries, bool holdUnresolved)
    {
        var dropped = new List<DroppedEntry>();
        var candidates = new Dictionary<Hash, Entry>();
        var alreadyKnown = 0;
        var driftLimit = Math.Max(_clock.Current.PhysicalMs, _clock.WallMs) + _options.MaxClockDriftMs;
        foreach (var entry in entries)
        {
            if (_log.Contains(entry.Hash))
            {
                alreadyKnown++;
                continue;
            }

            if (entry.Payload is not DefineOntology && entry.Clock.PhysicalMs > driftLimit)
            {
                dropped.Add(new DroppedEntry(entry.Hash, $"clock {entry.Clock.PhysicalMs} ms is more than {_options.MaxClockDriftMs} ms ahead of ours"));
                continue;
            }

            if (entry.IsRoot && entry.Payload is not Checkpoint && _log.IsCompacted)
            {
                dropped.Add(new DroppedEntry(entry.Hash, PreCompactionRoot));
                continue;
            }

            if (CheckSignature(entry) is { } refusal)
            {
                dropped.Add(new DroppedEntry(entry.Hash, refusal));
                continue;
            }

            candidates.TryAdd(entry.Hash, entry);
        }

        if (holdUnresolved)
        {
            foreach (var (hash, entry) in _pending) candidates.TryAdd(hash, entry);
        }

        // A foreign checkpoint replaces a genesis-only log, and it does so first: what the merge then
        // inserts must descend from it (or be another root), never from the genesis it replaces. All of
        // this is decided before anything is inserted, so that a refusal leaves the store unchanged.
        var checkpoints = candidates.Values.Where(e => e.IsRoot && e.Payload is Checkpoint).ToList();
        if (checkpoints.Count > 0 && !_log.IsGenesisOnly)
        {
            throw new SyncRejectedException(
                $"refusing checkpoint {checkpoints[0].Hash.ToHex()}: it would replace a log of {_log.Count} entries; only a fresh (genesis-only) store can adopt a foreign checkpoint — bootstrap from a snapshot instead");
        }

        if (checkpoints.Count > 1)
        {
            throw new SyncRejectedException($"refusing {checkpoints.Count} checkpoints in one merge: a fresh store adopts one");
        }

        var adopted = checkpoints.Count == 1 ? checkpoints[0] : null;
        if (adopted is not null)
        {
            candidates.Remove(adopted.Hash);
            foreach (var root in candidates.Values.Where(e => e.IsRoot).ToList())
            {
                candidates.Remove(root.Hash);
                dropped.Add(new DroppedEntry(root.Hash, PreCompactionRoot));
            }
        }

        var (order, unresolved) = ParentsFirst(candidates, adopted);
        if (unresolved.Count > 0 && !holdUnresolved)
        {
            throw new SyncRejectedException($"{unresolved.Count} entries have unresolvable parents");
        }

        if (adopted is not null) order.Insert(0, adopted);

        var quarantinedBefore = order.Any(MaterializedGraph.RequiresRebuild) ? QuarantinedHashes() : null;
        var inserted = new List<Entry>(order.Count);
        var rebuild = false;
        foreach (var entry in order)
        {
            var outcome = _log.Append(entry, hashVerified: true);
            if (outcome == AppendOutcome.Duplicate) continue;
            _pending.Remove(entry.Hash);
            inserted.Add(entry);
            rebuild |= outcome == AppendOutcome.ReplacedByCheckpoint || MaterializedGraph.RequiresRebuild(entry);
        }

        if (rebuild) _graph.Rebuild(_log.TopologicalOrder());
        else foreach (var entry in inserted) _graph.Apply(entry);
        foreach (var entry in inserted) _clock.Merge(entry.Clock);

        HoldPending(unresolved);
        var events = new List<ChangeEvent>();
        if (HasSubscribers)
        {
            var insertedHashes = inserted.Select(e => e.Hash).ToHashSet();
            events.AddRange(inserted.Select(e => ChangeEvent.From(e, local: false)));
            if (quarantinedBefore is not null) events.AddRange(LeftQuarantine(quarantinedBefore).Where(e => !insertedHashes.Contains(e.Hash)));
        }

        Stage(inserted, events);
        var quarantined = CountMerged(inserted);
        var missing = _pending.Values.SelectMany(e => e.Next).Where(p => !_log.Contains(p) && !_pending.ContainsKey(p)).Distinct().Order().ToList();
        var lastSequence = inserted.Count == 0 ? -1 : _log.LastSequence;
        return (new MergeResult(inserted.Count, alreadyKnown, dropped, _pending.Count, missing, _log.Heads) { Quarantined = quarantined }, lastSequence);
    }

    private const string PreCompactionRoot =
        "a second root for a log that starts at a checkpoint: history from before a compaction does not come back (a peer that never saw the checkpoint bootstraps from a snapshot)";

    /// <summary>
    /// Orders candidates so every entry follows its parents (in the log or among the candidates; when
    /// <paramref name="replacingRoot"/> is about to replace the log, that root is the whole log).
    /// </summary>
    private (List<Entry> Order, List<Entry> Unresolved) ParentsFirst(Dictionary<Hash, Entry> candidates, Entry? replacingRoot = null)
    {
        bool InLog(Hash hash) => replacingRoot is null ? _log.Contains(hash) : hash == replacingRoot.Hash;

        var order = new List<Entry>(candidates.Count);
        var placed = new HashSet<Hash>();
        var remaining = candidates.Values.OrderBy(e => e.Clock.PhysicalMs).ThenBy(e => e.Clock.Logical).ThenBy(e => e.Hash).ToList();
        bool progressed;
        do
        {
            progressed = false;
            var next = new List<Entry>();
            foreach (var entry in remaining)
            {
                var ready = entry.Next.All(p => placed.Contains(p) || InLog(p));
                if (!ready)
                {
                    next.Add(entry);
                    continue;
                }

                order.Add(entry);
                placed.Add(entry.Hash);
                progressed = true;
            }

            remaining = next;
        }
        while (progressed && remaining.Count > 0);

        return (order, remaining);
    }

    private void HoldPending(List<Entry> unresolved)
    {
        foreach (var entry in unresolved)
        {
            if (!_pending.TryAdd(entry.Hash, entry)) continue;
            _pendingOrder.Enqueue(entry.Hash);
        }

        while (_pending.Count > _options.MaxPendingEntries && _pendingOrder.TryDequeue(out var oldest))
        {
            _pending.Remove(oldest);
        }
    }

    /// <summary>Every entry in topological order, for bootstrapping a new peer.</summary>
    public Snapshot ExportSnapshot() => Read(() => new Snapshot(_log.TopologicalOrder()));

    /// <summary>
    /// A new store from a peer's snapshot: the first entry must be a genesis (or a checkpoint holding
    /// one); the rest is merged; the clock starts at the newest entry's reading without ticking.
    /// </summary>
    public static GraphStore FromSnapshot(string instanceId, Snapshot snapshot, GraphStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentNullException.ThrowIfNull(snapshot);
        options ??= new GraphStoreOptions();
        if (snapshot.Entries.Count == 0 || !snapshot.Entries[0].IsRoot || snapshot.Entries[0].Payload switch
            {
                DefineOntology => false,
                Checkpoint c => !c.Ops.OfType<DefineOntology>().Any(),
                _ => true,
            })
        {
            throw new SyncRejectedException("a snapshot must start with a define_ontology entry or a checkpoint holding one");
        }

        // Two passes over the entries (verify each, then insert all but the root parents first), then one graph rebuild.
        using var progress = options.Operations?.Start("bootstrap", (2L * snapshot.Entries.Count) - 1);
        foreach (var entry in snapshot.Entries)
        {
            if (!entry.VerifyHash()) throw new SyncRejectedException($"entry hash verification failed: {entry.Hash.ToHex()}");
            progress?.Advance();
        }

        var newest = snapshot.Entries.Select(e => e.Clock).Aggregate((a, b) => a.CompareTime(b) >= 0 ? a : b);
        var clock = new HybridClock(instanceId, options.Time, newest.PhysicalMs, newest.Logical);
        var store = new GraphStore(instanceId, snapshot.Entries[0], clock, options);
        store.Write(() =>
        {
            var rest = snapshot.Entries.Skip(1).ToDictionary(e => e.Hash);
            var (order, unresolved) = store.ParentsFirst(rest);
            if (unresolved.Count > 0) throw new SyncRejectedException($"{unresolved.Count} entries have unresolvable parents");
            foreach (var entry in order)
            {
                store._log.Append(entry);
                progress?.Advance();
            }
            store._graph.Rebuild(store._log.TopologicalOrder());
            store.Acknowledge(store._log.LastSequence);
            return 0;
        });
        return store;
    }
}
