using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>
/// One applied entry, as change subscribers see it (SPEC §12.1): who wrote it and when, whether it
/// was written here, the op and the ids it names. Labels and property maps are not included; an
/// update carries its key and value.
/// </summary>
public sealed record ChangeEvent(
    Hash Hash,
    string Author,
    ulong PhysicalMs,
    uint Logical,
    bool Local,
    string Op,
    string? NodeId = null,
    string? NodeType = null,
    string? Subtype = null,
    string? EdgeId = null,
    string? EdgeType = null,
    string? SourceId = null,
    string? TargetId = null,
    string? EntityId = null,
    string? Key = null,
    Value? Value = null)
{
    public static ChangeEvent From(Entry entry, bool local)
    {
        var e = new ChangeEvent(entry.Hash, entry.Author, entry.Clock.PhysicalMs, entry.Clock.Logical, local, entry.Payload.Tag);
        return entry.Payload switch
        {
            AddNode n => e with { NodeId = n.NodeId, NodeType = n.NodeType, Subtype = n.Subtype },
            AddEdge a => e with { EdgeId = a.EdgeId, EdgeType = a.EdgeType, SourceId = a.SourceId, TargetId = a.TargetId },
            UpdateProperty u => e with { EntityId = u.EntityIdValue, Key = u.Key, Value = u.Value },
            RemoveNode r => e with { NodeId = r.NodeId },
            RemoveEdge r => e with { EdgeId = r.EdgeId },
            _ => e,
        };
    }
}
