using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Schema;
using Silk.Core.Persistence;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;
using static Silk.Tests.Convergence.FuzzSchema;

namespace Silk.Tests.Convergence;

/// <summary>The workload: local writes (valid and refused), schema extensions, conflict bursts, hand-made entries.</summary>
internal sealed partial class ConvergenceSimulation
{
    private void LocalWrite(SimPeer peer)
    {
        var roll = _rng.Next(100);
        var nodeId = Pick(_rng, NodeIds);
        switch (roll)
        {
            case < 32:
                var type = Pick(_rng, NodeTypes);
                var subtype = SubtypeFor(_rng, type);
                var props = NodeProperties(_rng, type, subtype);
                var label = $"L{_rng.Next(4)}";
                Write(peer, $"add_node {nodeId}:{type}/{subtype}", s => peer.UseAsync ? s.AddNodeAsync(nodeId, type, label, props, subtype).GetAwaiter().GetResult() : s.AddNode(nodeId, type, label, props, subtype), s =>
                {
                    var node = s.GetNode(nodeId);
                    if (node is null || node.Label != label || props.Any(p => !node.Properties.TryGetValue(p.Key, out var v) || v != p.Value))
                    {
                        return $"after add_node {nodeId} the peer reads {node?.ToString() ?? "nothing"}";
                    }

                    return null;
                });
                break;
            case < 60:
                var entity = _rng.Next(5) == 0 ? Pick(_rng, EdgeIds) : nodeId;
                var key = Pick(_rng, Keys);
                var value = RandomValue(_rng);
                Write(peer, $"update {entity}.{key}={value}", s => peer.UseAsync ? s.UpdatePropertyAsync(entity, key, value).GetAwaiter().GetResult() : s.UpdateProperty(entity, key, value), s =>
                {
                    var properties = s.GetNode(entity)?.Properties ?? s.GetEdge(entity)?.Properties;
                    return properties is not null && (!properties.TryGetValue(key, out var read) || read != value)
                        ? $"after update {entity}.{key}={value} the peer reads {(properties.TryGetValue(key, out var r) ? r.ToString() : "nothing")}"
                        : null;
                });
                break;
            case < 70:
                Write(peer, $"remove_node {nodeId}", s => peer.UseAsync ? s.RemoveNodeAsync(nodeId).GetAwaiter().GetResult() : s.RemoveNode(nodeId), s => s.GetNode(nodeId) is null ? null : $"{nodeId} still visible after remove_node");
                break;
            case < 92:
                var edgeId = Pick(_rng, EdgeIds);
                var edgeType = Pick(_rng, EdgeTypes);
                var target = Pick(_rng, NodeIds);
                if (_rng.Next(3) != 0 && PlausibleEdge(peer) is { } plausible) (edgeType, nodeId, target) = plausible;
                var edgeProps = _rng.Next(3) == 0 ? ValueMap.Of(("since", RandomValue(_rng))) : ValueMap.Empty;
                Write(peer, $"add_edge {edgeId}:{edgeType} {nodeId}->{target}", s => s.AddEdge(edgeId, edgeType, nodeId, target, edgeProps), null);
                break;
            default:
                var removed = Pick(_rng, EdgeIds);
                Write(peer, $"remove_edge {removed}", s => s.RemoveEdge(removed), s => s.GetEdge(removed) is null ? null : $"{removed} still visible after remove_edge");
                break;
        }
    }

    /// <summary>An edge type with live endpoints whose types it most likely accepts, so that edges do get written.</summary>
    private (string Type, string Source, string Target)? PlausibleEdge(SimPeer peer)
    {
        var nodes = peer.S.AllNodes();
        if (nodes.Count == 0) return null;
        var source = nodes[_rng.Next(nodes.Count)];
        var target = nodes[_rng.Next(nodes.Count)];
        var type = (source.NodeType, target.NodeType) switch
        {
            ("person", "person") => "KNOWS",
            (_, "server") => "RUNS_ON",
            ("tag", _) => "TAGGED",
            ("gadget", _) => "USES",
            _ => null,
        };
        return type is null ? null : (type, source.NodeId, target.NodeId);
    }

    private void Extend(SimPeer peer)
    {
        var index = _rng.Next(Extensions.Length);
        if (Write(peer, $"extend_ontology #{index}", s => s.ExtendOntology(Extensions[index]), null)) _stats.Add(FuzzCounter.SchemaExtensionsAcknowledged);
    }

    /// <summary>Several peers write the same entity before they hear from each other.</summary>
    private void ConflictBurst()
    {
        var up = _peers.Where(p => p.IsUp).OrderBy(_ => _rng.Next()).Take(_rng.Next(2, 5)).ToList();
        if (up.Count < 2) return;
        _stats.Add(FuzzCounter.ConflictBursts);
        var nodeId = Pick(_rng, NodeIds);
        var key = _rng.Next(2) == 0 ? "name" : "age";
        foreach (var peer in up)
        {
            if (!peer.IsUp) continue;
            switch (_rng.Next(6))
            {
                case 0:
                    Write(peer, $"burst remove_node {nodeId}", s => s.RemoveNode(nodeId), null);
                    break;
                case 1:
                    var label = $"B{_rng.Next(3)}";
                    Write(peer, $"burst add_node {nodeId}", s => s.AddNode(nodeId, "person", label, ValueMap.Of(("name", label))), null);
                    break;
                default:
                    var value = key == "name" ? Value.FromString($"v{_rng.Next(5)}") : Value.FromInt(_rng.Next(0, 9));
                    Write(peer, $"burst update {nodeId}.{key}={value}", s => s.UpdateProperty(nodeId, key, value), null);
                    break;
            }
        }
    }

    /// <summary>
    /// One local write. Refusals (schema, missing endpoints) must leave the store as it was; a
    /// write that returns is acknowledged and must then read back (<paramref name="readBack"/>).
    /// </summary>
    private bool Write(SimPeer peer, string what, Func<GraphStore, Hash> write, Func<GraphStore, string?>? readBack)
    {
        var heads = peer.S.Heads;
        var count = peer.S.EntryCount;
        var outcome = Call(peer, write, out var hash, out var error);
        switch (outcome)
        {
            case Outcome.Ok:
                peer.Acknowledged.Add(hash);
                _stats.Add(FuzzCounter.LocalWritesAcknowledged);
                Trace($"{peer.Id} {what} -> {Short(hash)}");
                if (peer.IsUp && readBack?.Invoke(peer.S) is { } problem) throw new FuzzFailure($"{peer.Id}: {problem}");
                return true;
            case Outcome.Failed when error is ValidationException:
                _stats.Add(FuzzCounter.LocalWritesRefused);
                Trace($"{peer.Id} {what} refused: {error.Message}");
                if (!peer.S.Heads.SequenceEqual(heads) || peer.S.EntryCount != count) throw new FuzzFailure($"{peer.Id}: a refused {what} changed the log");
                return false;
            case Outcome.Failed when error is StoreFaultedException:
                return false;
            case Outcome.Failed:
                throw new FuzzFailure($"{peer.Id} {what} threw {error!.GetType().Name}: {error.Message}", error);
            default:
                return false;
        }
    }

    // ---------------------------------------------------------------- hand-made entries

    /// <summary>An entry a validating peer would refuse, written by a rogue author on top of the target's heads: it must be quarantined.</summary>
    private void InjectInvalid()
    {
        if (RandomUpPeer() is not { } target) return;
        var op = InvalidOp(_rng);
        var entry = Entry.Create(op, target.S.Heads, new ClockStamp("rogue", (ulong)_now, (uint)_rng.Next(3)), "rogue");
        _stats.Add(FuzzCounter.InvalidEntriesInjected);
        Trace($"inject invalid {op.Tag} {op.EntityId} at {target.Id} -> {Short(entry.Hash)}");
        Push(target, [entry]);
    }

    /// <summary>An entry claiming a trusted signer as author with a bad signature: every peer must drop it.</summary>
    private void InjectForged()
    {
        if (_signing.Signers.Count == 0 || RandomUpPeer() is not { } target) return;
        var signer = Pick(_rng, _signing.Signers);
        var signature = new byte[Entry.SignatureLength];
        _rng.NextBytes(signature);
        var entry = Entry.Create(AnyOp(_rng), target.S.Heads, new ClockStamp(signer.PeerId, (ulong)_now, 9_999), signer.PeerId, signature);
        _mustNeverAppear.Add(entry.Hash);
        _stats.Add(FuzzCounter.ForgedEntriesInjected);
        Trace($"inject forged entry by {signer.PeerId} at {target.Id} -> {Short(entry.Hash)}");
        Push(target, [entry]);
    }

    /// <summary>An entry dated beyond the drift window of most peers: dropped until the receiver's clock catches up.</summary>
    private void InjectFuture()
    {
        if (RandomUpPeer() is not { } target) return;
        var entry = Entry.Create(AnyOp(_rng), target.S.Heads, new ClockStamp("rogue", (ulong)(_now + _rng.Next(1_050_000, 1_500_000)), 0), "rogue");
        _stats.Add(FuzzCounter.FutureEntriesInjected);
        Trace($"inject future-dated entry at {target.Id} -> {Short(entry.Hash)}");
        Push(target, [entry]);
    }

    /// <summary>An entry whose parent exists nowhere: held back or refused, never in a log.</summary>
    private void InjectOrphan()
    {
        if (RandomUpPeer() is not { } target) return;
        var parent = new byte[Hash.Size];
        _rng.NextBytes(parent);
        var entry = Entry.Create(AnyOp(_rng), [Hash.FromBytes(parent)], new ClockStamp("rogue", (ulong)_now, 0), "rogue");
        _mustNeverAppear.Add(entry.Hash);
        _stats.Add(FuzzCounter.OrphanEntriesInjected);
        Trace($"inject orphan at {target.Id} -> {Short(entry.Hash)}");
        Push(target, [entry]);
    }

    private void Push(SimPeer target, IReadOnlyList<Entry> entries)
    {
        if (_rng.Next(5) == 0) entries = [.. entries, .. entries]; // the same entry twice in one message
        var from = (target.Index + 1 + _rng.Next(_peers.Count - 1)) % _peers.Count;
        _net.Send(_step, from, target.Index, MessageKind.Inject, new SyncPayload(entries, []).ToBytes(), _rng.Next(2) == 0 ? PayloadMode.Delta : PayloadMode.Compatible, 0, _epoch);
    }
}
