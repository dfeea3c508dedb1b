using Silk.Core.Graph;

namespace Silk.Core.Query;

/// <summary>The final working set of a <see cref="GraphQuery"/>: nodes, or edges when it started from edges and never followed.</summary>
public sealed record QueryResult(IReadOnlyList<NodeView>? Nodes, IReadOnlyList<EdgeView>? Edges)
{
    public bool IsEdges => Edges is not null;

    /// <summary>The <c>collect_ids()</c> form: node ids or edge ids, in working-set order.</summary>
    public IReadOnlyList<string> Ids => Nodes is not null ? Nodes.Select(n => n.NodeId).ToList() : Edges!.Select(e => e.EdgeId).ToList();

    /// <summary>The <c>count()</c> form.</summary>
    public int Count => Nodes?.Count ?? Edges!.Count;
}
