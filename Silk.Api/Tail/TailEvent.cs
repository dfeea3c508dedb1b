using System.Text.Json.Serialization;
using Silk.Core.Entries;

namespace Silk.Api.Tail;

/// <summary>
/// One oplog entry as a tail event (SPEC §12.1's event dict, always <c>local=false</c>), with the full
/// operation in <c>payload</c> so a consumer can rebuild the graph from events alone. The id fields that do
/// not apply to the operation are left out.
/// </summary>
/// <param name="Hash">The entry's hash (64 hex characters).</param>
/// <param name="Op">The operation's tag: define_ontology, add_node, add_edge, update_property, remove_node, remove_edge, extend_ontology, define_lens or checkpoint.</param>
/// <param name="Author">Instance id of the replica that wrote the entry.</param>
/// <param name="PhysicalMs">Its hybrid clock: milliseconds since the Unix epoch.</param>
/// <param name="Logical">Its hybrid clock: logical counter within the millisecond.</param>
/// <param name="Local">Always false: a tail does not tell local writes from merged ones.</param>
/// <param name="NodeId">add_node, remove_node: the node.</param>
/// <param name="NodeType">add_node: the node's type.</param>
/// <param name="Subtype">add_node: the node's subtype, when it has one.</param>
/// <param name="EdgeId">add_edge, remove_edge: the edge.</param>
/// <param name="EdgeType">add_edge: the edge's type.</param>
/// <param name="SourceId">add_edge: the node the edge leaves.</param>
/// <param name="TargetId">add_edge: the node the edge arrives at.</param>
/// <param name="EntityId">update_property: the node or edge.</param>
/// <param name="Key">update_property: the property.</param>
/// <param name="Payload">The operation with all its fields, as in <c>GET /entries/{hash}</c>.</param>
public sealed record TailEvent(
    string Hash,
    string Op,
    string Author,
    ulong PhysicalMs,
    uint Logical,
    bool Local,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NodeId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NodeType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Subtype,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EdgeId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EdgeType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SourceId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TargetId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EntityId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key,
    GraphOp Payload)
{
    /// <summary>The op tags an event can carry (the values of <c>types</c>).</summary>
    public static IReadOnlyList<string> OpTags { get; } =
    [
        DefineOntology.OpTag, AddNode.OpTag, AddEdge.OpTag, UpdateProperty.OpTag, RemoveNode.OpTag, RemoveEdge.OpTag,
        ExtendOntology.OpTag, DefineLens.OpTag, Checkpoint.OpTag,
    ];

    public static TailEvent From(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var op = entry.Payload;
        var e = new TailEvent(
            entry.Hash.ToHex(), op.Tag, entry.Author, entry.Clock.PhysicalMs, entry.Clock.Logical, false,
            null, null, null, null, null, null, null, null, null, op);
        return op switch
        {
            AddNode n => e with { NodeId = n.NodeId, NodeType = n.NodeType, Subtype = n.Subtype },
            AddEdge a => e with { EdgeId = a.EdgeId, EdgeType = a.EdgeType, SourceId = a.SourceId, TargetId = a.TargetId },
            UpdateProperty u => e with { EntityId = u.EntityIdValue, Key = u.Key },
            RemoveNode r => e with { NodeId = r.NodeId },
            RemoveEdge r => e with { EdgeId = r.EdgeId },
            _ => e,
        };
    }
}

/// <summary>A long-poll answer of <c>GET /tail</c>.</summary>
/// <param name="Events">The entries past the request's cursor, in arrival order (only those of the requested types).</param>
/// <param name="Cursor">The cursor to send next time: hex hashes of the frontier of everything seen, filtered entries included.</param>
/// <param name="UpToDate">True when nothing was left past <c>cursor</c> when it was read; false when the answer was cut at max_count.</param>
public sealed record TailResponse(IReadOnlyList<TailEvent> Events, IReadOnlyList<string> Cursor, bool UpToDate);
