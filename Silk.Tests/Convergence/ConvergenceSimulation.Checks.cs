using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Silk.Core.Entries;
using Silk.Core.Persistence;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;
using Silk.Tests.Graph;

namespace Silk.Tests.Convergence;

/// <summary>
/// Compaction (coordinated, as the design requires) and the end of a run: calm, full exchanges
/// until quiescent, and the convergence and durability checks.
/// </summary>
internal sealed partial class ConvergenceSimulation
{
    /// <summary>
    /// Compaction replaces a log by a checkpoint, and only a genesis-only store adopts a foreign
    /// checkpoint; a peer still holding the old history can neither take the compacted peer's
    /// entries nor give it its own (their parents are gone). So compaction is a coordinated
    /// operation here: when the peer's own <see cref="GraphStore.VerifyCompactionSafe"/> refuses,
    /// so must <see cref="GraphStore.Compact"/>; otherwise every peer must be up and connected,
    /// they exchange until identical (recording the syncs), the peer checks safety again and
    /// compacts, and every other peer is re-bootstrapped from its snapshot. Messages still in
    /// flight carry the old history and are delivered anyway: compacted logs must refuse it.
    /// </summary>
    private void CompactionAttempt()
    {
        if (RandomUpPeer() is not { } peer) return;
        if (peer.S.VerifyCompactionSafe() is (false, var reasons))
        {
            ExpectCompactionRefused(peer, reasons);
            if (_rng.Next(2) == 0) return;
        }

        if (_net.Groups is not null || _peers.Any(p => !p.IsUp))
        {
            _stats.Add(FuzzCounter.CompactionsSkippedNotConverged);
            return;
        }

        Trace($"{peer.Id} coordinates a compaction");
        if (ExchangeUntilQuiet(4, recordSync: true) is not > 0 || !peer.IsUp)
        {
            _stats.Add(FuzzCounter.CompactionsSkippedNotConverged);
            Trace("peers did not converge (or a fault intervened): no compaction");
            return;
        }

        if (peer.S.VerifyCompactionSafe() is (false, var stillUnsafe))
        {
            ExpectCompactionRefused(peer, stillUnsafe);
            return;
        }

        var before = LiveState(peer);
        var rootBefore = peer.Root!.Hash;
        if (_rng.Next(4) == 0 && peer.Storage is { Tripped: false } storage)
        {
            storage.Armed = _rng.Next(2) == 0 ? StorageFault.LoseBatch : StorageFault.PersistThenFail;
            peer.FaultKills = _rng.Next(2) == 0;
            Trace($"{peer.Id}: the compaction's commit fails ({storage.Armed}, {(peer.FaultKills ? "process dies" : "I/O error")})");
        }

        Hash checkpoint = default;
        Exception? error = null;
        try
        {
            checkpoint = peer.S.Compact();
        }
        catch (Exception ex)
        {
            error = ex;
        }

        if (error is not null || peer.Storage is { Tripped: true })
        {
            if (error is not null and not (IOException or StoreFaultedException))
            {
                throw new FuzzFailure($"{peer.Id} compaction threw {error.GetType().Name}: {error.Message}", error);
            }

            _stats.Add(peer.FaultKills ? FuzzCounter.CrashesDuringCommit : FuzzCounter.IoFailuresDuringCommit);
            Trace($"{peer.Id} compaction failed ({error?.Message ?? "process died"})");

            // A compaction that failed to persist leaves the disk in an unknown state (the replacement may be
            // there): like a failed commit, the store must refuse further writes until it is reopened.
            if (!peer.FaultKills) ExpectFaulted(peer, "a compaction failed to persist");

            // Whether it took effect is known only once the store is opened again.
            peer.Close();
            peer.Open();
            peer.SyncClock(_now);
            ExpectIntegrity(peer);
            if (peer.Root!.Hash == rootBefore || peer.Root.Payload is not Checkpoint)
            {
                var lost = peer.LostAcknowledged();
                if (lost.Count > 0) throw new FuzzFailure($"{peer.Id} lost {lost.Count} acknowledged entries to a compaction that did not take effect");
                Trace($"{peer.Id} compaction did not take effect");
                return;
            }

            checkpoint = peer.Root.Hash;
            Trace($"{peer.Id} compaction took effect after all");
        }

        _stats.Add(FuzzCounter.Compactions);
        peer.ResetTail();
        Trace($"{peer.Id} compacted into {Short(checkpoint)}");
        var after = LiveState(peer);
        if (after != before) throw new FuzzFailure($"{peer.Id}: compaction changed the live graph\nbefore {before}\nafter  {after}");

        _epoch++;
        var snapshot = Snapshot.Decode(peer.S.ExportSnapshot().ToBytes());
        var state = State(peer);
        foreach (var other in _peers.Where(p => p != peer))
        {
            other.Close();
            if (_rng.Next(2) == 0) other.OpenFromSnapshot(snapshot);
            else RebootstrapByMerge(other, snapshot);
            other.SyncClock(_now);
            _stats.Add(FuzzCounter.Rebootstraps);
            if (State(other) != state || !other.S.Heads.SequenceEqual(peer.S.Heads))
            {
                throw new FuzzFailure($"{other.Id} re-bootstrapped from {peer.Id}'s snapshot differs\n{peer.Id}: {state}\n{other.Id}: {State(other)}");
            }
        }

        // The old hashes are gone by design; from now on the checkpoint and what follows must survive.
        var entries = peer.S.EntriesSince(null).Select(e => e.Hash).ToList();
        foreach (var p in _peers)
        {
            p.Acknowledged.Clear();
            p.Acknowledged.UnionWith(entries);
        }

        Trace($"peers re-bootstrapped from {peer.Id}'s snapshot ({entries.Count} entries); epoch {_epoch}");
    }

    /// <summary>
    /// A fresh store (its own genesis) merging the snapshot adopts the checkpoint, unless the merge's
    /// filters drop something: a checkpoint dated beyond the drift window (the compactor's clock runs
    /// ahead), or, with strict signatures, the quarantined entries compaction carried over (re-created
    /// unsigned under their original authors). Then the peer is bootstrapped from the snapshot directly.
    /// </summary>
    private void RebootstrapByMerge(SimPeer peer, Snapshot snapshot)
    {
        string why;
        try
        {
            var result = peer.OpenFreshAndMerge(snapshot);
            if (result.Dropped.Count == 0) return;
            why = result.Dropped[0].Reason;
        }
        catch (SyncRejectedException ex)
        {
            why = ex.Message;
        }

        _stats.Add(FuzzCounter.RebootstrapMergeRefused);
        Trace($"{peer.Id} cannot bootstrap by merging the snapshot ({why}); bootstrapping from it directly");
        peer.Close();
        peer.OpenFromSnapshot(snapshot);
    }

    private void ExpectFaulted(SimPeer peer, string after)
    {
        try
        {
            peer.S.RemoveNode(FuzzSchema.NodeIds[0]);
        }
        catch (StoreFaultedException)
        {
            return;
        }

        throw new FuzzFailure($"{peer.Id} accepted a write after {after}");
    }

    private void ExpectCompactionRefused(SimPeer peer, IReadOnlyList<string> reasons)
    {
        var heads = peer.S.Heads;
        _stats.Add(FuzzCounter.CompactionsRefusedUnsafe);
        if (reasons.FirstOrDefault(r => r.Contains("would not restate", StringComparison.Ordinal)) is { } restate)
        {
            _stats.Add(FuzzCounter.CompactionsRefusedNotRestatable);
            ExpectOnlyUnrestatableEdges(peer, restate);
        }

        Trace($"{peer.Id} compaction unsafe: {string.Join("; ", reasons)}");
        try
        {
            peer.S.Compact();
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("compaction is unsafe", StringComparison.Ordinal))
        {
            if (!peer.S.Heads.SequenceEqual(heads)) throw new FuzzFailure($"{peer.Id}: a refused compaction changed the log", ex);
            return;
        }

        throw new FuzzFailure($"{peer.Id}: Compact() went ahead although VerifyCompactionSafe said: {string.Join("; ", reasons)}");
    }

    /// <summary>
    /// A checkpoint restates nodes by their adds, so it can always restate a node; an edge it restates by one
    /// add_edge without properties plus an update_property per property. The only edge that cannot be restated
    /// so holds a property its type refuses as an update (won by a newer add of another edge type). Any other
    /// entity named as not restatable is a replay that loses data (issue 17: edges with required properties).
    /// </summary>
    private static void ExpectOnlyUnrestatableEdges(SimPeer peer, string reason)
    {
        foreach (Match named in Regex.Matches(reason, "(node|edge) '([^']*)'"))
        {
            var (kind, id) = (named.Groups[1].Value, named.Groups[2].Value);
            var edge = kind == "edge" ? peer.S.GetEdge(id) : null;
            var explained = edge is not null && peer.S.ReadGraph(g =>
                edge.Properties.Any(p => g.Rules.ValidateEdgePropertyUpdate(edge.EdgeType, p.Key, p.Value) is not null));
            if (!explained) throw new FuzzFailure($"{peer.Id}: compaction says it cannot restate {kind} '{id}', which a checkpoint can restate: {reason}");
        }
    }

    // ---------------------------------------------------------------- the end of a run

    /// <summary>Faults stop: peers come back, partitions heal, clocks move past every entry, in-flight messages arrive.</summary>
    private void Calm()
    {
        _step++;
        Trace("--- calm ---");
        _net.Faulty = false;
        _net.Groups = null;
        foreach (var peer in _peers)
        {
            if (peer.Storage is { } storage) storage.Armed = StorageFault.None;
            if (!peer.IsUp || peer.Storage is { Tripped: true }) Reopen(peer, "is back for the calm");
        }

        var newest = _peers.SelectMany(p => p.S.EntriesSince(null)).Select(e => (long)e.Clock.PhysicalMs).Append(_now).Max();
        _now = Math.Max(_now, newest + _peers.Max(p => Math.Abs(p.SkewMs))) + 1;
        foreach (var peer in _peers)
        {
            peer.SkewMs = 0;
            peer.SyncClock(_now);
        }

        for (var wave = 0; _net.InFlight > 0; wave++)
        {
            if (wave > 50) throw new FuzzFailure("messages keep flowing after the faults stopped");
            foreach (var message in _net.TakeAll()) Deliver(message);
        }

        var rounds = ExchangeUntilQuiet(6, recordSync: false);
        if (rounds is null) throw new FuzzFailure("a fault intervened in the calm exchanges");
        if (rounds < 0) throw new FuzzFailure($"not quiescent after 6 rounds of full exchanges; heads: {string.Join(" | ", _peers.Select(p => $"{p.Id}:{string.Join(",", p.S.Heads.Select(Short))}"))}");
        _stats.Add(FuzzCounter.FinalExchangeRounds, rounds.Value);
        Trace($"quiescent after {rounds} rounds");
    }

    private void FinalChecks()
    {
        var reference = _peers[0];
        var heads = reference.S.Heads;
        var entries = reference.S.EntriesSince(null).Select(e => e.Hash).Order().ToList();
        var state = State(reference);
        var ontology = reference.S.OntologyHash;
        foreach (var peer in _peers)
        {
            ExpectIntegrity(peer);
            var mine = peer.S.EntriesSince(null).Select(e => e.Hash).Order().ToList();
            if (!peer.S.Heads.SequenceEqual(heads)) throw new FuzzFailure($"{peer.Id} heads differ from {reference.Id}'s");
            if (!mine.SequenceEqual(entries))
            {
                throw new FuzzFailure($"{peer.Id} entry set differs from {reference.Id}'s: {mine.Except(entries).Count()} extra, {entries.Except(mine).Count()} missing");
            }

            if (peer.S.OntologyHash != ontology) throw new FuzzFailure($"{peer.Id} ontology hash differs from {reference.Id}'s");
            var peerState = State(peer);
            if (peerState != state) throw new FuzzFailure($"{peer.Id} graph differs from {reference.Id}'s\n{reference.Id}: {state}\n{peer.Id}: {peerState}");
        }

        // Each peer's tail consumer has been handed every entry of the log exactly once.
        foreach (var peer in _peers)
        {
            while (ReadTail(peer, 1 + _rng.Next(50)) > 0)
            {
            }

            if (!peer.TailDelivered.SetEquals(entries)) throw new FuzzFailure($"{peer.Id}: its tail delivered {peer.TailDelivered.Count} entries, the log holds {entries.Count}");
        }

        var present = entries.ToHashSet();
        var lost = _peers.SelectMany(p => p.Acknowledged.Select(h => (p.Id, h))).Where(a => !present.Contains(a.h)).ToList();
        if (lost.Count > 0) throw new FuzzFailure($"{lost.Count} acknowledged entries are missing everywhere, e.g. {Short(lost[0].h)} acknowledged by {lost[0].Id}");
        var forged = _mustNeverAppear.Where(present.Contains).ToList();
        if (forged.Count > 0) throw new FuzzFailure($"entry {Short(forged[0])} (forged or orphaned) is in the logs");

        // The same set of entries materializes to the same graph from scratch (no incremental drift) ...
        using (var rebuilt = GraphStore.FromSnapshot("rebuilt", Snapshot.Decode(reference.S.ExportSnapshot().ToBytes())))
        {
            var rebuiltState = rebuilt.ReadGraph(g => GraphStateProjection.Canonical(g));
            if (rebuiltState != state) throw new FuzzFailure($"a store rebuilt from the converged snapshot differs\nconverged: {state}\nrebuilt:   {rebuiltState}");
        }

        // ... and from disk: every peer reopens to the same log and graph.
        foreach (var peer in _peers)
        {
            Reopen(peer, "reopens for the final check");
            if (!peer.S.Heads.SequenceEqual(heads) || State(peer) != state) throw new FuzzFailure($"{peer.Id} reopened differs from the converged state");
        }

        _stats.Add(FuzzCounter.FinalEntries, entries.Count);
        _stats.Add(FuzzCounter.FinalQuarantined, reference.S.Quarantined().Count);
        _stats.Add(FuzzCounter.FinalNodes, reference.S.NodeCount);
        _stats.Add(FuzzCounter.FinalEdges, reference.S.EdgeCount);
        Trace($"converged: {entries.Count} entries, {reference.S.NodeCount} nodes, {reference.S.EdgeCount} edges, {reference.S.Quarantined().Count} quarantined");
    }

    private static string State(SimPeer peer) => peer.S.ReadGraph(g => GraphStateProjection.Canonical(g));

    /// <summary>The live part of the canonical state (nodes, edges, schema), which compaction must keep.</summary>
    private static string LiveState(SimPeer peer)
    {
        var state = JsonNode.Parse(State(peer))!.AsObject();
        return new JsonObject
        {
            ["nodes"] = state["nodes"]!.DeepClone(),
            ["edges"] = state["edges"]!.DeepClone(),
            ["effective_ontology_hash"] = state["effective_ontology_hash"]!.DeepClone(),
        }.ToJsonString();
    }
}
