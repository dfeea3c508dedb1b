using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Core.Entries;

/// <summary>The operation an entry carries. The tag names the variant on the wire (<c>op</c>).</summary>
public abstract record GraphOp
{
    public abstract string Tag { get; }

    /// <summary>The node or edge id the op is about, when it has one.</summary>
    public virtual string? EntityId => null;
}

public sealed record DefineOntology(Ontology Ontology) : GraphOp
{
    public const string OpTag = "define_ontology";
    public override string Tag => OpTag;
}

public sealed record AddNode(string NodeId, string NodeType, string? Subtype, string Label, ValueMap Properties) : GraphOp
{
    public const string OpTag = "add_node";
    public override string Tag => OpTag;
    public override string? EntityId => NodeId;
}

public sealed record AddEdge(string EdgeId, string EdgeType, string SourceId, string TargetId, ValueMap Properties) : GraphOp
{
    public const string OpTag = "add_edge";
    public override string Tag => OpTag;
    public override string? EntityId => EdgeId;
}

public sealed record UpdateProperty(string EntityIdValue, string Key, Value Value) : GraphOp
{
    public const string OpTag = "update_property";
    public override string Tag => OpTag;
    public override string? EntityId => EntityIdValue;
}

public sealed record RemoveNode(string NodeId) : GraphOp
{
    public const string OpTag = "remove_node";
    public override string Tag => OpTag;
    public override string? EntityId => NodeId;
}

public sealed record RemoveEdge(string EdgeId) : GraphOp
{
    public const string OpTag = "remove_edge";
    public override string Tag => OpTag;
    public override string? EntityId => EdgeId;
}

public sealed record ExtendOntology(OntologyExtension Extension) : GraphOp
{
    public const string OpTag = "extend_ontology";
    public override string Tag => OpTag;
}

/// <summary>Reserved by the original: carried and hashed, never materialized.</summary>
public sealed record DefineLens(byte[] Transforms) : GraphOp
{
    public const string OpTag = "define_lens";
    public override string Tag => OpTag;

    public bool Equals(DefineLens? other) => other is not null && Transforms.AsSpan().SequenceEqual(other.Transforms);

    public override int GetHashCode() => Transforms.Length;
}

/// <summary>Compaction's root entry: the live state as ops, each with its own original clock.</summary>
public sealed record Checkpoint(
    IReadOnlyList<GraphOp> Ops,
    IReadOnlyList<(ulong PhysicalMs, uint Logical)> OpClocks,
    ulong CompactedAtPhysicalMs,
    uint CompactedAtLogical) : GraphOp
{
    public const string OpTag = "checkpoint";
    public override string Tag => OpTag;
}
