using Silk.Core.Log;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>
/// A read-only view of the graph as it was at a cut-off clock (SPEC §10, time travel): the entries
/// with clock (physical, logical) ≤ the cut-off, in topological order, rebuilt from scratch. Its
/// schema comes from those entries (their define_ontology or checkpoint, with their extensions
/// folded in); a window without one (cut-off before genesis) gets the fallback ontology and an empty
/// graph. It owns its graph, so later writes to the store or log never change it.
/// </summary>
public sealed class GraphSnapshot : IGraphReader
{
    private readonly MaterializedGraph _graph;

    private GraphSnapshot(MaterializedGraph graph, ulong physicalMs, uint logical, int entryCount)
    {
        _graph = graph;
        CutoffClock = (physicalMs, logical);
        EntryCount = entryCount;
    }

    /// <summary>
    /// The graph at (<paramref name="physicalMs"/>, <paramref name="logical"/>) of <paramref name="log"/>.
    /// <paramref name="currentGenesisOntology"/> serves only when the window holds no schema.
    /// </summary>
    public static GraphSnapshot AsOf(OpLog log, ulong physicalMs, uint logical, Ontology currentGenesisOntology)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(currentGenesisOntology);
        var entries = log.EntriesAsOf(physicalMs, logical);
        return new GraphSnapshot(MaterializedGraph.FromEntries(entries, currentGenesisOntology), physicalMs, logical, entries.Count);
    }

    /// <summary>The cut-off (physical ms, logical) the snapshot was taken at.</summary>
    public (ulong PhysicalMs, uint Logical) CutoffClock { get; }

    /// <summary>How many log entries fell inside the window.</summary>
    public int EntryCount { get; }

    public Ontology Ontology => _graph.Ontology;

    public int NodeCount => _graph.NodeCount;

    public int EdgeCount => _graph.EdgeCount;

    /// <summary>Entries of the window that did not count, with their reasons.</summary>
    public IReadOnlyList<QuarantineRecord> Quarantined => _graph.Quarantined;

    public NodeView? GetNode(string nodeId) => _graph.GetNode(nodeId);

    public EdgeView? GetEdge(string edgeId) => _graph.GetEdge(edgeId);

    public IReadOnlyList<NodeView> AllNodes() => _graph.AllNodes();

    public IReadOnlyList<EdgeView> AllEdges() => _graph.AllEdges();

    public IReadOnlyList<EdgeView> OutgoingEdges(string nodeId) => _graph.OutgoingEdges(nodeId);

    public IReadOnlyList<EdgeView> IncomingEdges(string nodeId) => _graph.IncomingEdges(nodeId);

    public IReadOnlyList<string> Neighbors(string nodeId) => _graph.Neighbors(nodeId);

    public IReadOnlyList<NodeView> NodesByType(string nodeType) => _graph.NodesByType(nodeType);

    public IReadOnlyList<NodeView> NodesBySubtype(string subtype) => _graph.NodesBySubtype(subtype);

    public IReadOnlyList<NodeView> NodesByProperty(string key, Value value) => _graph.NodesByProperty(key, value);

    public IReadOnlyList<string> Bfs(string start, int? maxDepth = null, string? edgeType = null) => _graph.Bfs(start, maxDepth, edgeType);

    public IReadOnlyList<string> Dfs(string start, int? maxDepth = null, string? edgeType = null) => _graph.Dfs(start, maxDepth, edgeType);

    public IReadOnlyList<string>? ShortestPath(string from, string to) => _graph.ShortestPath(from, to);

    public IReadOnlyList<string> ImpactAnalysis(string nodeId, int? maxDepth = null) => _graph.ImpactAnalysis(nodeId, maxDepth);

    public SubgraphView Subgraph(string start, int hops) => _graph.Subgraph(start, hops);

    public IReadOnlyList<IReadOnlyList<string>> PatternMatch(IReadOnlyList<string> typeSequence, int maxResults = 1000) =>
        _graph.PatternMatch(typeSequence, maxResults);

    public IReadOnlyList<string>? TopologicalSort() => _graph.TopologicalSort();

    public bool HasCycle() => _graph.HasCycle();
}
