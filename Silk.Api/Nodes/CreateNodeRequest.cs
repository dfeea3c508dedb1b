using Silk.Core.Wire;

namespace Silk.Api.Nodes;

/// <summary>Body of <c>POST /nodes</c>: an add_node. Re-adding an existing id updates its label and subtype and merges properties.</summary>
/// <param name="NodeId">The node's id.</param>
/// <param name="NodeType">A node type of the ontology.</param>
/// <param name="Label">A human-readable label.</param>
/// <param name="Subtype">A subtype of the node type; required when the type declares subtypes.</param>
/// <param name="Properties">Property values, checked against the type (and subtype).</param>
public sealed record CreateNodeRequest(string NodeId, string NodeType, string Label, string? Subtype = null, ValueMap? Properties = null);
