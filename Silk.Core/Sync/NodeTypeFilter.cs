using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Sync;

/// <summary>
/// Filtered (partial) sync: a payload cut down to what concerns some node types, as the original's
/// <c>receive_filtered_sync_offer(offer, node_types)</c> does (silk-graph src/python/mod.rs,
/// <c>PyGraphStore::receive_filtered_sync_offer</c>; earlier versions had it in src/python.rs). Read from that function:
/// <list type="bullet">
/// <item>It starts from the full payload for the offer (<c>entries_missing</c>) and only removes entries from it.</item>
/// <item>A wanted node is the id of an <c>add_node</c> <b>in that payload</b> whose <c>node_type</c> is one of the names,
/// compared exactly: no parent_type hierarchy, no subtypes.</item>
/// <item>Kept: those <c>add_node</c>s; <c>add_edge</c> whose source or target is wanted; <c>update_property</c> and
/// <c>remove_node</c> whose id is wanted (an edge's <c>update_property</c> names an edge id, so it is not kept);
/// every <c>remove_edge</c>, <c>define_ontology</c>, <c>extend_ontology</c>, <c>checkpoint</c> and <c>define_lens</c>.</item>
/// <item>Then every ancestor of a kept entry that is in the payload (BFS over <c>next</c>; parents outside it are not followed).</item>
/// <item>The kept entries keep the payload's order; <c>need</c> is the full payload's, unchanged.</item>
/// </list>
/// With <c>history</c> (our delta mode, for Silk partial replicas) the wanted ids come from the whole log instead, and
/// edges touching a wanted node are wanted too, so that a later update of a node or edge the replica already holds
/// still reaches it; the original's rule drops such updates while the node's <c>add_node</c> is not in the payload.
/// </summary>
public static class NodeTypeFilter
{
    /// <summary>
    /// The entries of <paramref name="full"/> that concern <paramref name="nodeTypes"/>, with their ancestors in
    /// <paramref name="full"/>, in its order. Wanted ids are taken from <paramref name="full"/> itself (the original's
    /// rule, byte for byte) unless <paramref name="history"/> (every entry of the sender's log) is given.
    /// </summary>
    public static SyncPayload Apply(SyncPayload full, IReadOnlySet<string> nodeTypes, IEnumerable<Entry>? history = null)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(nodeTypes);
        var (wantedNodes, wantedEdges) = Wanted(history ?? full.Entries, nodeTypes, withEdges: history is not null);

        var keep = new HashSet<Hash>();
        foreach (var entry in full.Entries)
        {
            var kept = entry.Payload switch
            {
                AddNode add => nodeTypes.Contains(add.NodeType),
                AddEdge edge => wantedNodes.Contains(edge.SourceId) || wantedNodes.Contains(edge.TargetId),
                UpdateProperty update => wantedNodes.Contains(update.EntityIdValue) || wantedEdges.Contains(update.EntityIdValue),
                RemoveNode remove => wantedNodes.Contains(remove.NodeId),
                // The original keeps these whatever they touch (a remove_edge cannot be judged without an edge lookup).
                _ => true,
            };
            if (kept) keep.Add(entry.Hash);
        }

        var inPayload = new Dictionary<Hash, Entry>(full.Entries.Count);
        foreach (var entry in full.Entries) inPayload.TryAdd(entry.Hash, entry);
        var queue = new Queue<Hash>(keep);
        while (queue.TryDequeue(out var hash))
        {
            if (!inPayload.TryGetValue(hash, out var entry)) continue;
            foreach (var parent in entry.NextSpan)
            {
                if (keep.Add(parent)) queue.Enqueue(parent);
            }
        }

        return new SyncPayload(full.Entries.Where(e => keep.Contains(e.Hash)).ToList(), full.Need);
    }

    private static (HashSet<string> Nodes, HashSet<string> Edges) Wanted(IEnumerable<Entry> entries, IReadOnlySet<string> nodeTypes, bool withEdges)
    {
        var nodes = new HashSet<string>(StringComparer.Ordinal);
        var edges = new List<AddEdge>();
        foreach (var entry in entries)
        {
            var ops = entry.Payload is Checkpoint checkpoint && withEdges ? checkpoint.Ops : [entry.Payload];
            foreach (var op in ops)
            {
                if (op is AddNode add && nodeTypes.Contains(add.NodeType)) nodes.Add(add.NodeId);
                else if (op is AddEdge edge && withEdges) edges.Add(edge);
            }
        }

        var wantedEdges = new HashSet<string>(StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            if (nodes.Contains(edge.SourceId) || nodes.Contains(edge.TargetId)) wantedEdges.Add(edge.EdgeId);
        }

        return (nodes, wantedEdges);
    }
}
