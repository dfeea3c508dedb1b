using System.Text.Json.Serialization;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Api.Batch;

/// <summary>
/// One operation of <c>POST /batch</c>, in the original's OperationBuffer line form: <c>{"op": tag, …fields}</c>.
/// Only the data operations can be batched; schema changes go through <c>POST /ontology/extensions</c>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(AddNodeOperation), AddNode.OpTag)]
[JsonDerivedType(typeof(AddEdgeOperation), AddEdge.OpTag)]
[JsonDerivedType(typeof(UpdatePropertyOperation), UpdateProperty.OpTag)]
[JsonDerivedType(typeof(RemoveNodeOperation), RemoveNode.OpTag)]
[JsonDerivedType(typeof(RemoveEdgeOperation), RemoveEdge.OpTag)]
public abstract record BatchOperation
{
    /// <summary>The op tags a batch accepts.</summary>
    public static IReadOnlyList<string> Tags { get; } = [AddNode.OpTag, AddEdge.OpTag, UpdateProperty.OpTag, RemoveNode.OpTag, RemoveEdge.OpTag];

    public abstract GraphOp ToGraphOp();
}

/// <summary>add_node.</summary>
/// <param name="NodeId">The node's id.</param>
/// <param name="NodeType">A node type of the ontology.</param>
/// <param name="Label">A human-readable label.</param>
/// <param name="Subtype">A subtype of the node type, or null.</param>
/// <param name="Properties">Property values.</param>
public sealed record AddNodeOperation(string NodeId, string NodeType, string Label, string? Subtype = null, ValueMap? Properties = null) : BatchOperation
{
    public override GraphOp ToGraphOp() => new AddNode(NodeId, NodeType, Subtype, Label, Properties ?? ValueMap.Empty);
}

/// <summary>add_edge.</summary>
/// <param name="EdgeId">The edge's id.</param>
/// <param name="EdgeType">An edge type of the ontology.</param>
/// <param name="SourceId">The node it leaves (must exist by then).</param>
/// <param name="TargetId">The node it arrives at (must exist by then).</param>
/// <param name="Properties">Property values.</param>
public sealed record AddEdgeOperation(string EdgeId, string EdgeType, string SourceId, string TargetId, ValueMap? Properties = null) : BatchOperation
{
    public override GraphOp ToGraphOp() => new AddEdge(EdgeId, EdgeType, SourceId, TargetId, Properties ?? ValueMap.Empty);
}

/// <summary>update_property.</summary>
/// <param name="EntityId">A node or edge id.</param>
/// <param name="Key">The property to set.</param>
/// <param name="Value">Its new value.</param>
public sealed record UpdatePropertyOperation(string EntityId, string Key, Value Value) : BatchOperation
{
    public override GraphOp ToGraphOp() => new UpdateProperty(EntityId, Key, Value);
}

/// <summary>remove_node.</summary>
/// <param name="NodeId">The node to remove.</param>
public sealed record RemoveNodeOperation(string NodeId) : BatchOperation
{
    public override GraphOp ToGraphOp() => new RemoveNode(NodeId);
}

/// <summary>remove_edge.</summary>
/// <param name="EdgeId">The edge to remove.</param>
public sealed record RemoveEdgeOperation(string EdgeId) : BatchOperation
{
    public override GraphOp ToGraphOp() => new RemoveEdge(EdgeId);
}
