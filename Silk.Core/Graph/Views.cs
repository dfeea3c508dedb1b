using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>A live node as readers see it (no clocks, no tombstones).</summary>
public sealed record NodeView(string NodeId, string NodeType, string? Subtype, string Label, ValueMap Properties);

/// <summary>A live edge as readers see it.</summary>
public sealed record EdgeView(string EdgeId, string EdgeType, string SourceId, string TargetId, ValueMap Properties);

/// <summary>An entry kept in the log but invisible to reads, with the rule it broke.</summary>
public sealed record QuarantineRecord(Hash Hash, string OpKind, string Reason, Hash OntologyHash);

/// <summary>A subgraph's node and edge ids, each list in ordinal id order.</summary>
public sealed record SubgraphView(IReadOnlyList<string> NodeIds, IReadOnlyList<string> EdgeIds)
{
    public static SubgraphView Empty { get; } = new([], []);
}
