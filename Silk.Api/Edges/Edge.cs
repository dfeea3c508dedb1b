using Silk.Core.Graph;
using Silk.Core.Wire;

namespace Silk.Api.Edges;

/// <summary>A live edge, in the original's dict shape.</summary>
/// <param name="EdgeId">The edge's id.</param>
/// <param name="EdgeType">Its type.</param>
/// <param name="SourceId">The node it leaves.</param>
/// <param name="TargetId">The node it arrives at.</param>
/// <param name="Properties">Its properties (per key, the newest write wins).</param>
public sealed record Edge(string EdgeId, string EdgeType, string SourceId, string TargetId, ValueMap Properties)
{
    public static Edge From(EdgeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new Edge(view.EdgeId, view.EdgeType, view.SourceId, view.TargetId, view.Properties);
    }

    public static IReadOnlyList<Edge> From(IReadOnlyList<EdgeView> views)
    {
        ArgumentNullException.ThrowIfNull(views);
        var edges = new Edge[views.Count];
        for (var i = 0; i < edges.Length; i++) edges[i] = From(views[i]);
        return edges;
    }
}

/// <summary>A page of edges in id order.</summary>
/// <param name="Items">The edges of this page.</param>
/// <param name="Next">Cursor for the next page (pass it as <c>after</c>); null on the last page.</param>
public sealed record EdgePage(IReadOnlyList<Edge> Items, string? Next);

/// <summary>Edges in id order.</summary>
/// <param name="Items">The edges.</param>
public sealed record EdgeList(IReadOnlyList<Edge> Items);

/// <summary>An edge as written, and the entry that wrote it.</summary>
/// <param name="Edge">The edge as it is after the write.</param>
/// <param name="Hash">The add_edge entry's hash.</param>
public sealed record EdgeWritten(Edge Edge, string Hash);

/// <summary>An edge after a property update, and the entries that updated it.</summary>
/// <param name="Edge">The edge as it is after the update.</param>
/// <param name="Hashes">One update_property entry per key, in key order.</param>
public sealed record EdgeUpdated(Edge Edge, IReadOnlyList<string> Hashes);

/// <summary>Body of <c>POST /edges</c>: an add_edge between two existing nodes whose types the edge type accepts.</summary>
/// <param name="EdgeId">The edge's id.</param>
/// <param name="EdgeType">An edge type of the ontology.</param>
/// <param name="SourceId">The node the edge leaves; must exist (409 otherwise).</param>
/// <param name="TargetId">The node the edge arrives at; must exist (409 otherwise).</param>
/// <param name="Properties">Property values, checked against the edge type.</param>
public sealed record CreateEdgeRequest(string EdgeId, string EdgeType, string SourceId, string TargetId, ValueMap? Properties = null);
