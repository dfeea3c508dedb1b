using Silk.Core.Graph;
using Silk.Core.Wire;

namespace Silk.Api.Nodes;

/// <summary>A live node, in the original's dict shape.</summary>
/// <param name="NodeId">The node's id.</param>
/// <param name="NodeType">Its type, from the first add.</param>
/// <param name="Subtype">Its subtype, from the newest add; null when none.</param>
/// <param name="Label">Its label, from the newest add.</param>
/// <param name="Properties">Its properties (per key, the newest write wins).</param>
public sealed record Node(string NodeId, string NodeType, string? Subtype, string Label, ValueMap Properties)
{
    public static Node From(NodeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new Node(view.NodeId, view.NodeType, view.Subtype, view.Label, view.Properties);
    }

    public static IReadOnlyList<Node> From(IReadOnlyList<NodeView> views)
    {
        ArgumentNullException.ThrowIfNull(views);
        var nodes = new Node[views.Count];
        for (var i = 0; i < nodes.Length; i++) nodes[i] = From(views[i]);
        return nodes;
    }
}

/// <summary>A page of nodes in id order.</summary>
/// <param name="Items">The nodes of this page.</param>
/// <param name="Next">Cursor for the next page (pass it as <c>after</c>); null on the last page.</param>
public sealed record NodePage(IReadOnlyList<Node> Items, string? Next);

/// <summary>A node as written, and the entry that wrote it.</summary>
/// <param name="Node">The node as it is after the write.</param>
/// <param name="Hash">The add_node entry's hash.</param>
public sealed record NodeWritten(Node Node, string Hash);

/// <summary>A node after a property update, and the entries that updated it.</summary>
/// <param name="Node">The node as it is after the update.</param>
/// <param name="Hashes">One update_property entry per key, in key order.</param>
public sealed record NodeUpdated(Node Node, IReadOnlyList<string> Hashes);

/// <summary>Node ids, in the order the operation defines.</summary>
/// <param name="NodeIds">The ids.</param>
public sealed record NodeIdList(IReadOnlyList<string> NodeIds);
