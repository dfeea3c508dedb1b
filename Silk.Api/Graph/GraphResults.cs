using Silk.Api.Edges;
using Silk.Api.Nodes;

namespace Silk.Api.Graph;

/// <summary>A path of node ids, both ends included; null when the target cannot be reached.</summary>
/// <param name="Path">The node ids from start to end, or null.</param>
public sealed record PathResult(IReadOnlyList<string>? Path);

/// <summary>The nodes within some hops of a start node and the edges met on the way.</summary>
/// <param name="Nodes">The nodes, in id order.</param>
/// <param name="Edges">The edges, in id order.</param>
public sealed record Subgraph(IReadOnlyList<Node> Nodes, IReadOnlyList<Edge> Edges);

/// <summary>Every live node with sources first, or null when the graph has a cycle.</summary>
/// <param name="NodeIds">The order, or null.</param>
/// <param name="HasCycle">Whether the visible edges form a cycle (a self-loop counts).</param>
public sealed record TopologicalOrder(IReadOnlyList<string>? NodeIds, bool HasCycle);

/// <summary>Whether the visible edges form a cycle.</summary>
/// <param name="HasCycle">True when they do (a self-loop counts).</param>
public sealed record CycleCheck(bool HasCycle);

/// <summary>Body of <c>POST /graph/pattern-match</c>.</summary>
/// <param name="TypeSequence">Node types along a chain of outgoing edges: the first matches its subtypes too, later ones exactly.</param>
/// <param name="MaxResults">At most this many chains (default 1000).</param>
public sealed record PatternMatchRequest(IReadOnlyList<string> TypeSequence, int? MaxResults = null);

/// <summary>Chains of node ids matching a type sequence.</summary>
/// <param name="Matches">Each chain lists one node per type of the sequence.</param>
public sealed record PatternMatches(IReadOnlyList<IReadOnlyList<string>> Matches);
