using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>
/// The read side of a materialized graph (SPEC §3.3, §11): what both the live graph and a
/// time-travel <see cref="GraphSnapshot"/> answer. Only live nodes and visible edges (live, with
/// live endpoints) are seen. Id lists come back in ordinal (UTF-8 byte) order and traversals visit
/// neighbours in that order (decision D6), so every answer is deterministic.
/// </summary>
public interface IGraphReader
{
    Ontology Ontology { get; }

    int NodeCount { get; }

    int EdgeCount { get; }

    NodeView? GetNode(string nodeId);

    EdgeView? GetEdge(string edgeId);

    IReadOnlyList<NodeView> AllNodes();

    IReadOnlyList<EdgeView> AllEdges();

    IReadOnlyList<EdgeView> OutgoingEdges(string nodeId);

    IReadOnlyList<EdgeView> IncomingEdges(string nodeId);

    IReadOnlyList<string> Neighbors(string nodeId);

    /// <summary>Live nodes whose type is <paramref name="nodeType"/> or a descendant of it, by id.</summary>
    IReadOnlyList<NodeView> NodesByType(string nodeType);

    /// <summary>Live nodes whose subtype is exactly <paramref name="subtype"/>, by id.</summary>
    IReadOnlyList<NodeView> NodesBySubtype(string subtype);

    /// <summary>Live nodes whose property <paramref name="key"/> equals <paramref name="value"/> (kind and value: Int 1 ≠ Float 1.0), by id.</summary>
    IReadOnlyList<NodeView> NodesByProperty(string key, Value value);

    /// <summary>
    /// Breadth-first over outgoing edges, start included; [] when the start is not live. A node at
    /// depth ≥ <paramref name="maxDepth"/> is listed but not expanded. <paramref name="edgeType"/>
    /// keeps only edges of exactly that type.
    /// </summary>
    IReadOnlyList<string> Bfs(string start, int? maxDepth = null, string? edgeType = null);

    /// <summary>Depth-first (LIFO; a node counts as visited when pushed), same contract as <see cref="Bfs"/>.</summary>
    IReadOnlyList<string> Dfs(string start, int? maxDepth = null, string? edgeType = null);

    /// <summary>
    /// Fewest outgoing hops from <paramref name="from"/> to <paramref name="to"/>, both ends included;
    /// null when either end is not live or <paramref name="to"/> is unreachable; [from] when they are equal.
    /// </summary>
    IReadOnlyList<string>? ShortestPath(string from, string to);

    /// <summary>Breadth-first over incoming edges ("what depends on this?"), the node itself first.</summary>
    IReadOnlyList<string> ImpactAnalysis(string nodeId, int? maxDepth = null);

    /// <summary>Nodes within <paramref name="hops"/> of the start in either direction and the edges seen on the way.</summary>
    SubgraphView Subgraph(string start, int hops);

    /// <summary>
    /// Chains of nodes linked by outgoing edges whose types follow <paramref name="typeSequence"/>:
    /// the first node matches hierarchy-aware, later ones exactly; no node twice in a chain.
    /// </summary>
    IReadOnlyList<IReadOnlyList<string>> PatternMatch(IReadOnlyList<string> typeSequence, int maxResults = 1000);

    /// <summary>Every live node, sources first (Kahn); null when the visible edges hold a cycle (a self-loop counts).</summary>
    IReadOnlyList<string>? TopologicalSort();

    bool HasCycle();
}
