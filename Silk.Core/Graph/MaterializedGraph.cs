using Silk.Core.Entries;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>
/// The graph materialized from a set of entries (decision D3): a function of the entry SET, never of
/// arrival order. Entities are registers (see <see cref="EntityState"/>); validity against the
/// ontology decides which entries count, and invalid ones are quarantined with their reason.
/// Validity of an update or an edge depends on other entries (the target's type, the endpoints'
/// existence and types), so when those change the affected entries are judged again.
/// Schema changes (extend_ontology, checkpoint) need a rebuild: see <see cref="Rebuild"/>.
/// Single writer; the store serializes access.
/// </summary>
public sealed partial class MaterializedGraph
{
    private readonly Dictionary<string, NodeState> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EdgeState> _edges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Entry>> _updatesByEntity = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Entry>> _edgeAddsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _edgeIdsByEndpoint = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _outgoing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _incoming = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _nodesByType = new(StringComparer.Ordinal);
    private readonly Dictionary<Hash, QuarantineRecord> _quarantine = [];
    private readonly HashSet<Hash> _checkpointReplays = [];
    private Hash _ontologyHash;

    public MaterializedGraph(Ontology ontology)
    {
        ArgumentNullException.ThrowIfNull(ontology);
        SetOntology(ontology);
    }

    public Ontology Ontology => Rules.Ontology;

    public OntologyRules Rules { get; private set; } = null!;

    public Hash OntologyHash => _ontologyHash;

    private void SetOntology(Ontology ontology)
    {
        Rules = new OntologyRules(ontology);
        _ontologyHash = ontology.ContentHash();
    }

    /// <summary>Schema changes are folded in topological order over the whole log, so they take a rebuild.</summary>
    public static bool RequiresRebuild(Entry entry) => entry.Payload is ExtendOntology or Checkpoint;

    /// <summary>
    /// Applies one entry not applied before. Returns false, changing nothing, for entries that need a
    /// rebuild (<see cref="RequiresRebuild"/>).
    /// </summary>
    public bool Apply(Entry entry) => Apply(entry, alreadyValidated: false);

    /// <summary>
    /// As <see cref="Apply(Entry)"/>; <paramref name="alreadyValidated"/> says an add_node was just checked
    /// against this same schema (a local write under the store's lock), so it is not checked twice.
    /// </summary>
    internal bool Apply(Entry entry, bool alreadyValidated)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (RequiresRebuild(entry)) return false;
        ApplyData(entry, alreadyValidated);
        SettleCounts();
        SettleIndexes();
        return true;
    }

    /// <summary>The materialized type and subtype of a live node, without building a view.</summary>
    internal bool TryGetLiveNodeType(string nodeId, out string nodeType, out string? subtype)
    {
        if (_nodes.TryGetValue(nodeId, out var node) && node.Alive)
        {
            nodeType = node.NodeType;
            subtype = node.NewestAdd.Subtype;
            return true;
        }

        (nodeType, subtype) = (string.Empty, null);
        return false;
    }

    /// <summary>The type of a live edge, without building a view.</summary>
    internal string? LiveEdgeType(string edgeId) =>
        _edges.TryGetValue(edgeId, out var edge) && edge.Alive ? edge.OldestAdd.EdgeType : null;

    private void ApplyData(Entry entry, bool alreadyValidated = false)
    {
        switch (entry.Payload)
        {
            case AddNode add:
                ApplyAddNode(entry, add, alreadyValidated);
                break;
            case AddEdge add:
                ApplyAddEdge(entry, add);
                break;
            case UpdateProperty update:
                Bucket(_updatesByEntity, update.EntityIdValue).Add(entry);
                EvaluateUpdate(entry, update);
                break;
            case RemoveNode remove:
                GetOrCreateNode(remove.NodeId).Remove(entry);
                break;
            case RemoveEdge remove:
                GetOrCreateEdge(remove.EdgeId).Remove(entry);
                break;
        }
    }

    private void ApplyAddNode(Entry entry, AddNode add, bool alreadyValidated)
    {
        var violation = alreadyValidated ? null : Rules.ValidateNode(add.NodeType, add.Subtype, add.Properties, skipRequired: _checkpointReplays.Contains(entry.Hash));
        if (violation is not null)
        {
            Quarantine(entry, violation.Message);
            return;
        }

        var node = GetOrCreateNode(add.NodeId);
        var existed = node.Exists;
        var oldType = existed ? node.NodeType : null;
        var oldSubtype = existed ? node.NewestAdd.Subtype : null;
        node.AddValid(entry);
        if (!existed)
        {
            // The node just came to exist: updates aimed at its id now count, and so may edges naming it.
            IndexNodeType(node.Id, null, node.NodeType);
            if (_updatesByEntity.ContainsKey(node.Id)) RecomputeNode(node);
            if (_edges.TryGetValue(node.Id, out var sameIdEdge) && sameIdEdge.Exists) RecomputeEdge(sameIdEdge);
            RevalidateEdgesAt(node.Id);
            return;
        }

        if (node.NodeType != oldType)
        {
            // An older add with another type: updates and edges were judged against the wrong type.
            IndexNodeType(node.Id, oldType, node.NodeType);
            RecomputeNode(node);
            RevalidateEdgesAt(node.Id);
        }
        else if (node.NewestAdd.Subtype != oldSubtype)
        {
            RecomputeNode(node);
        }
    }

    private void ApplyAddEdge(Entry entry, AddEdge add)
    {
        Bucket(_edgeAddsById, add.EdgeId).Add(entry);
        BucketSet(_edgeIdsByEndpoint, add.SourceId).Add(add.EdgeId);
        BucketSet(_edgeIdsByEndpoint, add.TargetId).Add(add.EdgeId);
        var edge = GetOrCreateEdge(add.EdgeId);
        if (!JudgeEdgeAdd(entry, add)) return;
        var existed = edge.Exists;
        var oldOldest = edge.Oldest;
        edge.AddValid(entry);
        if (!existed)
        {
            IndexEdgeEndpoints(edge);
            EvaluateEdgeUpdates(edge);
        }
        else if (!ReferenceEquals(edge.Oldest, oldOldest))
        {
            // An older add now fixes type and endpoints: re-judge what depended on them.
            RecomputeEdge(edge);
        }
    }

    private void EvaluateEdgeUpdates(EdgeState edge)
    {
        var updatesGoToNode = _nodes.TryGetValue(edge.Id, out var node) && node.Exists;
        if (updatesGoToNode || !_updatesByEntity.TryGetValue(edge.Id, out var updates)) return;
        foreach (var update in updates) EvaluateUpdate(update, (UpdateProperty)update.Payload);
    }

    /// <summary>Judges an update against its target's current type; quarantines it or applies it.</summary>
    private void EvaluateUpdate(Entry entry, UpdateProperty update)
    {
        if (_nodes.TryGetValue(update.EntityIdValue, out var node) && node.Exists)
        {
            var violation = Rules.ValidatePropertyUpdate(node.NodeType, node.NewestAdd.Subtype, update.Key, update.Value);
            if (violation is not null)
            {
                Quarantine(entry, violation.Message);
                return;
            }

            Release(entry);
            if (node.Properties.Set(update.Key, update.Value, entry)) MarkPropertyForIndex(node.Id, update.Key);
            return;
        }

        if (_edges.TryGetValue(update.EntityIdValue, out var edge) && edge.Exists)
        {
            var violation = Rules.ValidateEdgePropertyUpdate(edge.OldestAdd.EdgeType, update.Key, update.Value);
            if (violation is not null)
            {
                Quarantine(entry, violation.Message);
                return;
            }

            Release(entry);
            edge.Properties.Set(update.Key, update.Value, entry);
            return;
        }

        // No such entity (yet): the update waits, unjudged, until an add for its id counts.
        Release(entry);
    }

    /// <summary>
    /// An add_edge counts when its type exists and both endpoints exist (live or tombstoned) with
    /// types the edge type accepts. Until both endpoints exist it is held pending (reported as quarantined).
    /// </summary>
    private bool JudgeEdgeAdd(Entry entry, AddEdge add)
    {
        if (!Rules.HasEdgeType(add.EdgeType))
        {
            Quarantine(entry, Rules.ValidateEdge(add.EdgeType, string.Empty, string.Empty, add.Properties)!.Message);
            return false;
        }

        if (!_nodes.TryGetValue(add.SourceId, out var source) || !source.Exists
            || !_nodes.TryGetValue(add.TargetId, out var target) || !target.Exists)
        {
            Quarantine(entry, $"endpoint not yet materialized (source '{add.SourceId}', target '{add.TargetId}'); held pending until both arrive");
            return false;
        }

        var violation = Rules.ValidateEdge(add.EdgeType, source.NodeType, target.NodeType, add.Properties, skipRequired: _checkpointReplays.Contains(entry.Hash));
        if (violation is not null)
        {
            Quarantine(entry, violation.Message);
            return false;
        }

        Release(entry);
        return true;
    }

    /// <summary>Rebuilds a node's properties from its valid adds and re-judges every update aimed at it.</summary>
    private void RecomputeNode(NodeState node)
    {
        var adds = node.ValidAdds;
        node.ResetAdds();
        foreach (var add in adds) node.AddValid(add);
        if (_updatesByEntity.TryGetValue(node.Id, out var updates))
        {
            foreach (var update in updates) EvaluateUpdate(update, (UpdateProperty)update.Payload);
        }
    }

    /// <summary>Re-judges every add of an edge, rebuilds its registers and indexes, and re-judges its updates.</summary>
    private void RecomputeEdge(EdgeState edge)
    {
        MarkEdgeForCount(edge.Id);
        edge.ResetAdds();
        if (_edgeAddsById.TryGetValue(edge.Id, out var adds))
        {
            foreach (var add in adds)
            {
                if (JudgeEdgeAdd(add, (AddEdge)add.Payload)) edge.AddValid(add);
            }
        }

        IndexEdgeEndpoints(edge);
        EvaluateEdgeUpdates(edge);
    }

    private void RevalidateEdgesAt(string nodeId)
    {
        if (!_edgeIdsByEndpoint.TryGetValue(nodeId, out var edgeIds)) return;
        foreach (var edgeId in edgeIds.ToList()) RecomputeEdge(_edges[edgeId]);
    }

    private void IndexNodeType(string nodeId, string? oldType, string newType)
    {
        if (oldType == newType) return;
        if (oldType is not null && _nodesByType.TryGetValue(oldType, out var old)) old.Remove(nodeId);
        BucketSet(_nodesByType, newType).Add(nodeId);
    }

    private void IndexEdgeEndpoints(EdgeState edge)
    {
        (string, string)? endpoints = edge.Exists ? (edge.OldestAdd.SourceId, edge.OldestAdd.TargetId) : null;
        if (edge.IndexedEndpoints == endpoints) return;
        if (edge.IndexedEndpoints is var (oldSource, oldTarget))
        {
            _outgoing[oldSource].Remove(edge.Id);
            _incoming[oldTarget].Remove(edge.Id);
            InvalidateAdjacency(oldSource, oldTarget);
        }

        if (endpoints is var (source, target))
        {
            BucketSet(_outgoing, source).Add(edge.Id);
            BucketSet(_incoming, target).Add(edge.Id);
            InvalidateAdjacency(source, target);
        }

        edge.IndexedEndpoints = endpoints;
    }

    private void Quarantine(Entry entry, string reason) =>
        _quarantine[entry.Hash] = new QuarantineRecord(entry.Hash, entry.Payload.Tag, reason, _ontologyHash);

    private void Release(Entry entry) => _quarantine.Remove(entry.Hash);

    /// <summary>The node an add or remove is about to change (so it is also marked for recounting).</summary>
    private NodeState GetOrCreateNode(string id)
    {
        MarkNodeForCount(id);
        MarkNodeForIndex(id);
        if (!_nodes.TryGetValue(id, out var node)) _nodes[id] = node = new NodeState(id);
        return node;
    }

    /// <summary>The edge an add or remove is about to change (so it is also marked for recounting).</summary>
    private EdgeState GetOrCreateEdge(string id)
    {
        MarkEdgeForCount(id);
        if (!_edges.TryGetValue(id, out var edge)) _edges[id] = edge = new EdgeState(id);
        return edge;
    }

    private static List<Entry> Bucket(Dictionary<string, List<Entry>> map, string key)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        return list;
    }

    private static HashSet<string> BucketSet(Dictionary<string, HashSet<string>> map, string key)
    {
        if (!map.TryGetValue(key, out var set)) map[key] = set = new HashSet<string>(StringComparer.Ordinal);
        return set;
    }
}
