using System.Diagnostics;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>Local writes: validate, tick the clock, append on the current heads, apply, publish.</summary>
public sealed partial class GraphStore
{
    /// <summary>Adds (or re-adds) a node. Its properties must fit the type (and subtype, once the type declares subtypes).</summary>
    public Hash AddNode(string nodeId, string nodeType, string label, ValueMap? properties = null, string? subtype = null)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ArgumentNullException.ThrowIfNull(nodeType);
        ArgumentNullException.ThrowIfNull(label);
        properties ??= ValueMap.Empty;
        ValueLimits.Check(properties);
        return Append(new AddNode(nodeId, nodeType, subtype, label, properties), NodeCheck(nodeType, subtype, properties), validated: true);
    }

    /// <summary>Adds an edge between two live nodes whose types the edge type accepts.</summary>
    public Hash AddEdge(string edgeId, string edgeType, string sourceId, string targetId, ValueMap? properties = null)
    {
        ArgumentNullException.ThrowIfNull(edgeId);
        ArgumentNullException.ThrowIfNull(edgeType);
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentNullException.ThrowIfNull(targetId);
        properties ??= ValueMap.Empty;
        ValueLimits.Check(properties);
        return Append(new AddEdge(edgeId, edgeType, sourceId, targetId, properties), EdgeCheck(edgeType, sourceId, targetId, properties));
    }

    /// <summary>
    /// Sets one property of a node or edge. Checked against the node's type (inherited properties
    /// included) or the edge's type; an id that is neither is written and waits for its entity.
    /// </summary>
    public Hash UpdateProperty(string entityId, string key, Value value)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        ArgumentNullException.ThrowIfNull(key);
        ValueLimits.CheckKey(key);
        ValueLimits.Check(value, key);
        return Append(new UpdateProperty(entityId, key, value), UpdateCheck(entityId, key, value));
    }

    /// <summary>Removes a node (its edges hide until it is added again). An unknown id is still written.</summary>
    public Hash RemoveNode(string nodeId)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        return Append(new RemoveNode(nodeId), static _ => null);
    }

    public Hash RemoveEdge(string edgeId)
    {
        ArgumentNullException.ThrowIfNull(edgeId);
        return Append(new RemoveEdge(edgeId), static _ => null);
    }

    /// <summary>
    /// Extends the schema monotonically. Checked on a copy first; on success the entry is written and
    /// everything is judged again, so entries quarantined for the old schema may come out.
    /// </summary>
    public Hash ExtendOntology(OntologyExtension extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        return Append(new ExtendOntology(extension), ExtensionCheck(extension));
    }

    private static Func<MaterializedGraph, object?> NodeCheck(string nodeType, string? subtype, ValueMap properties) => graph =>
        graph.Rules.ValidateNode(nodeType, subtype, properties) is { } violation ? throw new SchemaException(violation) : null;

    private static Func<MaterializedGraph, object?> EdgeCheck(string edgeType, string sourceId, string targetId, ValueMap properties) => graph =>
    {
        if (!graph.TryGetLiveNodeType(sourceId, out var sourceType, out _))
        {
            throw new ValidationException("endpoint_not_found", $"source node '{sourceId}' not found — add it before creating edges");
        }

        if (!graph.TryGetLiveNodeType(targetId, out var targetType, out _))
        {
            throw new ValidationException("endpoint_not_found", $"target node '{targetId}' not found — add it before creating edges");
        }

        return graph.Rules.ValidateEdge(edgeType, sourceType, targetType, properties) is { } violation ? throw new SchemaException(violation) : null;
    };

    private static Func<MaterializedGraph, object?> UpdateCheck(string entityId, string key, Value value) => graph =>
    {
        var violation = graph.TryGetLiveNodeType(entityId, out var nodeType, out var subtype)
            ? graph.Rules.ValidateLocalPropertyUpdate(nodeType, subtype, key, value)
            : graph.LiveEdgeType(entityId) is { } edgeType
                ? graph.Rules.ValidateEdgePropertyUpdate(edgeType, key, value)
                : null;
        return violation is null ? null : throw new SchemaException(violation);
    };

    private static Func<MaterializedGraph, object?> ExtensionCheck(OntologyExtension extension) => graph =>
    {
        _ = OntologyRules.Merge(graph.Ontology, extension);
        return null;
    };

    /// <summary>Re-judges every entry against the current schema; returns how many left quarantine.</summary>
    public int Revalidate()
    {
        // A rebuild of the whole graph from the log: one step, reported when it ends.
        using var progress = _options.Operations?.Start("revalidate", 1);
        var released = Write(() =>
        {
            var before = QuarantinedHashes();
            _graph.Rebuild(_log.TopologicalOrder());
            var left = LeftQuarantine(before).ToList();
            Stage([], left);
            return left.Count;
        });
        CommitThrough(-1);
        progress?.Advance();
        return released;
    }

    /// <summary>
    /// The one local write path. <paramref name="check"/> runs under the write lock against the
    /// current graph and throws to refuse; nothing is written then (the clock is not ticked either).
    /// </summary>
    private Hash Append(GraphOp op, Func<MaterializedGraph, object?> check, bool validated = false)
    {
        ValueLimits.CheckIdentifiers(op);
        ThrowIfFaulted();
        ObjectDisposedException.ThrowIf(_disposed, this);
        var started = Stopwatch.GetTimestamp();
        (Hash Hash, long Sequence) written;
        _lock.EnterWriteLock();
        try
        {
            written = AppendLocked(op, check, validated);
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        CommitThrough(written.Sequence);
        _options.Metrics?.WriteDone(local: true, started);
        return written.Hash;
    }

    private (Hash Hash, long Sequence) AppendLocked(GraphOp op, Func<MaterializedGraph, object?> check, bool validated)
    {
        check(_graph);
        var created = SignLocal(Entry.CreateOwned(op, _log.HeadsArray(), _clock.Tick(), InstanceId));
        _log.Append(created, hashVerified: true);
        var before = MaterializedGraph.RequiresRebuild(created) ? QuarantinedHashes() : null;
        if (!_graph.Apply(created, validated)) _graph.Rebuild(_log.TopologicalOrder());
        var events = !HasSubscribers ? NoEvents
            : before is null ? [ChangeEvent.From(created, local: true)]
            : [ChangeEvent.From(created, local: true), .. LeftQuarantine(before)];
        Stage(created, events);
        _options.Metrics?.Appended(local: true, 1);
        return (created.Hash, _log.SequenceOf(created.Hash));
    }

    private HashSet<Hash> QuarantinedHashes() => _graph.Quarantined.Select(q => q.Hash).ToHashSet();

    private IEnumerable<ChangeEvent> LeftQuarantine(HashSet<Hash> before) =>
        before.Where(h => !_graph.IsQuarantined(h) && _log.Contains(h)).Order().Select(h => ChangeEvent.From(_log.Get(h)!, local: false));
}
