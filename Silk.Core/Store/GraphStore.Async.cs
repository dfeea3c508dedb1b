using System.Diagnostics;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Schema;
using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>
/// The writes again, awaiting durability instead of blocking a thread on it: for servers, where many
/// requests wait on the same group commit.
/// </summary>
public sealed partial class GraphStore
{
    public Task<Hash> AddNodeAsync(string nodeId, string nodeType, string label, ValueMap? properties = null, string? subtype = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ArgumentNullException.ThrowIfNull(nodeType);
        ArgumentNullException.ThrowIfNull(label);
        properties ??= ValueMap.Empty;
        ValueLimits.Check(properties);
        return AppendAsync(new AddNode(nodeId, nodeType, subtype, label, properties), NodeCheck(nodeType, subtype, properties), true, cancellationToken);
    }

    public Task<Hash> AddEdgeAsync(string edgeId, string edgeType, string sourceId, string targetId, ValueMap? properties = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edgeId);
        ArgumentNullException.ThrowIfNull(edgeType);
        properties ??= ValueMap.Empty;
        ValueLimits.Check(properties);
        return AppendAsync(new AddEdge(edgeId, edgeType, sourceId, targetId, properties), EdgeCheck(edgeType, sourceId, targetId, properties), false, cancellationToken);
    }

    public Task<Hash> UpdatePropertyAsync(string entityId, string key, Value value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        ArgumentNullException.ThrowIfNull(key);
        ValueLimits.CheckKey(key);
        ValueLimits.Check(value, key);
        return AppendAsync(new UpdateProperty(entityId, key, value), UpdateCheck(entityId, key, value), false, cancellationToken);
    }

    public Task<Hash> RemoveNodeAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        return AppendAsync(new RemoveNode(nodeId), static _ => null, false, cancellationToken);
    }

    public Task<Hash> RemoveEdgeAsync(string edgeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edgeId);
        return AppendAsync(new RemoveEdge(edgeId), static _ => null, false, cancellationToken);
    }

    public Task<Hash> ExtendOntologyAsync(OntologyExtension extension, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(extension);
        return AppendAsync(new ExtendOntology(extension), ExtensionCheck(extension), false, cancellationToken);
    }

    public Task<MergeResult> MergeAsync(IReadOnlyList<Entry> entries, bool holdUnresolved = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        try
        {
            var started = Stopwatch.GetTimestamp();
            VerifyAll(entries);
            ThrowIfFaulted();
            var (result, lastSequence) = Write(() => MergeLocked(entries, holdUnresolved));
            return CommitThroughAsync(lastSequence, result, local: false, started, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<MergeResult>(ex);
        }
    }

    public Task<MergeResult> MergeAsync(SyncPayload payload, bool holdUnresolved = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return MergeAsync(payload.Entries, holdUnresolved, cancellationToken);
    }

    // Not an async method: the task it returns is the commit's own, so a caller blocking on it needs no pool thread.
    private Task<Hash> AppendAsync(GraphOp op, Func<MaterializedGraph, object?> check, bool validated, CancellationToken cancellationToken)
    {
        try
        {
            ValueLimits.CheckIdentifiers(op);
            ThrowIfFaulted();
            var started = Stopwatch.GetTimestamp();
            var (hash, sequence) = Write(() => AppendLocked(op, check, validated));
            return CommitThroughAsync(sequence, hash, local: true, started, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<Hash>(ex);
        }
    }
}
