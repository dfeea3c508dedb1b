using System.Diagnostics;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>
/// Several local writes at once: the original's <c>OperationBuffer.drain</c> (SPEC §18) and multi-key
/// property updates. Each operation goes through the same validation as the single writes; all of them
/// share group commits, so a batch costs one durable flush per chunk instead of one per operation.
/// </summary>
public sealed partial class GraphStore
{
    // Readers get a turn between chunks of a long batch.
    private const int DrainChunk = 256;

    /// <summary>
    /// Applies <paramref name="ops"/> in order through the local write path. Stops at the first operation
    /// that fails validation (or is not bufferable: only add/remove of nodes and edges and update_property
    /// are); the ones before it stay applied and durable, the rest are not attempted.
    /// </summary>
    public Task<DrainResult> DrainAsync(IReadOnlyList<GraphOp> ops, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ops);
        try
        {
            return Drain(ops, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<DrainResult>(ex);
        }
    }

    private Task<DrainResult> Drain(IReadOnlyList<GraphOp> ops, CancellationToken cancellationToken)
    {
        ThrowIfFaulted();
        var started = Stopwatch.GetTimestamp();
        var applied = new List<Hash>(ops.Count);
        int? failedIndex = null;
        ValidationException? error = null;
        long last = -1;
        for (var start = 0; start < ops.Count && error is null; start += DrainChunk)
        {
            var end = Math.Min(ops.Count, start + DrainChunk);
            Write(() =>
            {
                for (var i = start; i < end; i++)
                {
                    try
                    {
                        var (check, validated) = DrainCheck(ops[i], i);
                        var (hash, sequence) = AppendLocked(ops[i], check, validated);
                        applied.Add(hash);
                        last = sequence;
                    }
                    catch (ValidationException ex)
                    {
                        (failedIndex, error) = (i, ex);
                        break;
                    }
                }

                return 0;
            });
        }

        var result = new DrainResult(applied, failedIndex, error);
        return last >= 0 ? CommitThroughAsync(last, result, local: true, started, cancellationToken) : Task.FromResult(result);
    }

    /// <summary>
    /// Sets several properties of one node or edge atomically: every key is checked first, and only when all
    /// pass is one update_property entry written per key (in key order). Returns their hashes.
    /// </summary>
    public Task<IReadOnlyList<Hash>> UpdatePropertiesAsync(string entityId, ValueMap properties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        ArgumentNullException.ThrowIfNull(properties);
        try
        {
            ValueLimits.CheckId(entityId, "entity id");
            foreach (var (key, value) in properties)
            {
                ValueLimits.CheckKey(key);
                ValueLimits.Check(value, key);
            }

            return UpdateProperties(entityId, properties, cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<IReadOnlyList<Hash>>(ex);
        }
    }

    private Task<IReadOnlyList<Hash>> UpdateProperties(string entityId, ValueMap properties, CancellationToken cancellationToken)
    {
        ThrowIfFaulted();
        var started = Stopwatch.GetTimestamp();
        var (hashes, last) = Write(() =>
        {
            foreach (var (key, value) in properties) UpdateCheck(entityId, key, value)(_graph);
            var written = new List<Hash>(properties.Count);
            long sequence = -1;
            foreach (var (key, value) in properties)
            {
                (var hash, sequence) = AppendLocked(new UpdateProperty(entityId, key, value), static _ => null, validated: false);
                written.Add(hash);
            }

            return (written, sequence);
        });
        IReadOnlyList<Hash> written = hashes;
        return last >= 0 ? CommitThroughAsync(last, written, local: true, started, cancellationToken) : Task.FromResult(written);
    }

    /// <summary>True once a write could not be persisted: the store then refuses writes (a server reports itself not ready).</summary>
    public bool IsFaulted => _fault is not null;

    private static (Func<MaterializedGraph, object?> Check, bool Validated) DrainCheck(GraphOp op, int position)
    {
        ValueLimits.CheckIdentifiers(op);
        switch (op)
        {
            case AddNode n:
                ValueLimits.Check(n.Properties);
                return (NodeCheck(n.NodeType, n.Subtype, n.Properties), true);
            case AddEdge e:
                ValueLimits.Check(e.Properties);
                return (EdgeCheck(e.EdgeType, e.SourceId, e.TargetId, e.Properties), false);
            case UpdateProperty u:
                ValueLimits.CheckKey(u.Key);
                ValueLimits.Check(u.Value, u.Key);
                return (UpdateCheck(u.EntityIdValue, u.Key, u.Value), false);
            case Entries.RemoveNode or Entries.RemoveEdge:
                return (static _ => null, false);
            default:
                throw new ValidationException("non_bufferable", $"non-bufferable operation at position {position}: {op.Tag}");
        }
    }
}
