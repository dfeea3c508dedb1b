using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>Reads under the read lock: each call sees one consistent state.</summary>
public sealed partial class GraphStore
{
    public NodeView? GetNode(string nodeId) => Read(() => _graph.GetNode(nodeId));

    public EdgeView? GetEdge(string edgeId) => Read(() => _graph.GetEdge(edgeId));

    public IReadOnlyList<NodeView> AllNodes() => Read(_graph.AllNodes);

    public IReadOnlyList<EdgeView> AllEdges() => Read(_graph.AllEdges);

    public IReadOnlyList<EdgeView> OutgoingEdges(string nodeId) => Read(() => _graph.OutgoingEdges(nodeId));

    public IReadOnlyList<EdgeView> IncomingEdges(string nodeId) => Read(() => _graph.IncomingEdges(nodeId));

    public IReadOnlyList<string> Neighbors(string nodeId) => Read(() => _graph.Neighbors(nodeId));

    public IReadOnlyList<QuarantineRecord> Quarantined() => Read(() => _graph.Quarantined);

    public int NodeCount => Read(() => _graph.NodeCount);

    public int EdgeCount => Read(() => _graph.EdgeCount);

    /// <summary>Runs several reads against one consistent state of the graph.</summary>
    public T ReadGraph<T>(Func<MaterializedGraph, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return Read(() => read(_graph));
    }

    public Entry? GetEntry(Hash hash) => Read(() => _log.Get(hash));

    /// <summary>Everything not reachable from <paramref name="known"/> (all when null), in topological order.</summary>
    public IReadOnlyList<Entry> EntriesSince(Hash? known) => Read(() => _log.EntriesSince(known));

    /// <summary>Checks hashes, parents and heads of the log; empty when healthy.</summary>
    public IReadOnlyList<string> VerifyIntegrity() => Read(_log.VerifyIntegrity);

    /// <summary>
    /// The graph as it was at a clock reading: every entry at or before (physical, logical), rebuilt
    /// with the schema of that moment. Read-only and independent of later writes.
    /// </summary>
    public GraphSnapshot AsOf(ulong physicalMs, uint logical = 0) =>
        Read(() => GraphSnapshot.AsOf(_log, physicalMs, logical, RootOntology(_log.InArrivalOrder.First())));

    /// <summary>Every entry whose op names <paramref name="id"/> (nodes also as edge endpoints), in topological order.</summary>
    public IReadOnlyList<Entry> EntriesAffecting(string id) => Read(() => _log.EntriesAffecting(id));
}
