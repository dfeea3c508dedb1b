using Silk.Core.Graph;
using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>What a query's working set holds: nodes, or edges (a query that starts from edges and never follows).</summary>
public enum QueryTarget
{
    Nodes,
    Edges,
}

/// <summary>Which part of a node or edge a selector, sort key or grouping reads.</summary>
public enum FieldKind
{
    Property,
    NodeId,
    NodeType,
    Subtype,
    Label,
    EdgeId,
    EdgeType,
    SourceId,
    TargetId,
}

/// <summary>
/// A name in a selector, sort or grouping: one of the item's own fields (<c>node_id</c>, <c>node_type</c>,
/// <c>subtype</c>, <c>label</c>; <c>edge_id</c>, <c>edge_type</c>, <c>source_id</c>, <c>target_id</c>), or else a property.
/// </summary>
public sealed record QueryField(string Name, FieldKind Kind)
{
    public bool IsProperty => Kind == FieldKind.Property;

    public static QueryField Property(string name) => new(name, FieldKind.Property);

    /// <summary>The field a name means for nodes or edges; a name that is not one of their fields is a property.</summary>
    public static QueryField Of(string name, QueryTarget target)
    {
        ArgumentNullException.ThrowIfNull(name);
        var kind = (target, name) switch
        {
            (QueryTarget.Nodes, "node_id") => FieldKind.NodeId,
            (QueryTarget.Nodes, "node_type") => FieldKind.NodeType,
            (QueryTarget.Nodes, "subtype") => FieldKind.Subtype,
            (QueryTarget.Nodes, "label") => FieldKind.Label,
            (QueryTarget.Edges, "edge_id") => FieldKind.EdgeId,
            (QueryTarget.Edges, "edge_type") => FieldKind.EdgeType,
            (QueryTarget.Edges, "source_id") => FieldKind.SourceId,
            (QueryTarget.Edges, "target_id") => FieldKind.TargetId,
            _ => FieldKind.Property,
        };
        return new QueryField(name, kind);
    }

    /// <summary>The value of this field on a node; false when it is absent (a missing property, no subtype).</summary>
    public bool TryGet(NodeView node, out Value value)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (Kind)
        {
            case FieldKind.Property: return node.Properties.TryGetValue(Name, out value);
            case FieldKind.NodeId: value = Value.FromString(node.NodeId); return true;
            case FieldKind.NodeType: value = Value.FromString(node.NodeType); return true;
            case FieldKind.Label: value = Value.FromString(node.Label); return true;
            case FieldKind.Subtype:
                value = node.Subtype is null ? default : Value.FromString(node.Subtype);
                return node.Subtype is not null;
            default: value = default; return false;
        }
    }

    /// <summary>The value of this field on an edge; false when it is absent.</summary>
    public bool TryGet(EdgeView edge, out Value value)
    {
        ArgumentNullException.ThrowIfNull(edge);
        switch (Kind)
        {
            case FieldKind.Property: return edge.Properties.TryGetValue(Name, out value);
            case FieldKind.EdgeId: value = Value.FromString(edge.EdgeId); return true;
            case FieldKind.EdgeType: value = Value.FromString(edge.EdgeType); return true;
            case FieldKind.SourceId: value = Value.FromString(edge.SourceId); return true;
            case FieldKind.TargetId: value = Value.FromString(edge.TargetId); return true;
            default: value = default; return false;
        }
    }

    public bool TryGet(QueryItem item, out Value value) =>
        item.Node is { } node ? TryGet(node, out value) : TryGet(item.Edge!, out value);
}

/// <summary>One item of a working set: a node or an edge.</summary>
public readonly record struct QueryItem(NodeView? Node, EdgeView? Edge)
{
    public string Id => Node?.NodeId ?? Edge!.EdgeId;
}
