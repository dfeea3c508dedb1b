using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Log;

/// <summary>Provenance: which entries touched an id (the original's <c>entries_affecting</c>, 0.2.5).</summary>
public sealed partial class OpLog
{
    /// <summary>
    /// Every entry whose payload names <paramref name="id"/> (as node id, edge id, update target, or an
    /// edge's source or target; inside a checkpoint's ops too, which yields the checkpoint entry), in
    /// the log's topological order T(all) restricted to those entries. Schema and lens entries never
    /// match. Deliberately not the original's layered sort of the subset alone, which ignores
    /// ancestry through entries outside the subset (an update could come after a later remove).
    /// </summary>
    public IReadOnlyList<Entry> EntriesAffecting(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var matching = new HashSet<Hash>();
        foreach (var record in _arrival)
        {
            if (Mentions(record.Entry.Payload, id)) matching.Add(record.Entry.Hash);
        }

        if (matching.Count == 0) return [];
        var result = new List<Entry>(matching.Count);
        foreach (var entry in TopologicalOrder())
        {
            if (matching.Contains(entry.Hash)) result.Add(entry);
        }

        return result;
    }

    private static bool Mentions(GraphOp op, string id) => op switch
    {
        AddNode add => add.NodeId == id,
        AddEdge add => add.EdgeId == id || add.SourceId == id || add.TargetId == id,
        UpdateProperty update => update.EntityIdValue == id,
        RemoveNode remove => remove.NodeId == id,
        RemoveEdge remove => remove.EdgeId == id,
        Checkpoint checkpoint => checkpoint.Ops.Any(inner => Mentions(inner, id)),
        _ => false,
    };
}
