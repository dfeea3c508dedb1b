using System.Text.Json;
using System.Text.Json.Nodes;
using Silk.Core.Graph;
using Silk.Core.Wire;

namespace Silk.Tests.Graph;

/// <summary>
/// Renders a materialized graph in the conformance vectors' state shape, so a state can be compared
/// to <c>expected_rebuild</c> (and two states to each other) as one canonical string.
/// Typed values are <c>{"type": …, "value": …}</c>; floats are compared by their IEEE bits.
/// </summary>
internal static class GraphStateProjection
{
    public static string Canonical(MaterializedGraph graph, IReadOnlyDictionary<Hash, string>? labels = null)
    {
        var state = new JsonObject
        {
            ["nodes"] = new JsonArray(graph.AllNodes().Select(n => (JsonNode)new JsonObject
            {
                ["label"] = n.Label,
                ["node_id"] = n.NodeId,
                ["node_type"] = n.NodeType,
                ["properties"] = Typed(n.Properties),
                ["subtype"] = n.Subtype,
            }).ToArray()),
            ["edges"] = new JsonArray(graph.AllEdges().Select(e => (JsonNode)new JsonObject
            {
                ["edge_id"] = e.EdgeId,
                ["edge_type"] = e.EdgeType,
                ["properties"] = Typed(e.Properties),
                ["source_id"] = e.SourceId,
                ["target_id"] = e.TargetId,
            }).ToArray()),
            ["tombstoned_node_ids"] = Strings(graph.TombstonedNodeIds),
            ["tombstoned_edge_ids"] = Strings(graph.TombstonedEdgeIds),
            ["live_edges_hidden_by_dead_endpoint"] = Strings(graph.EdgesHiddenByDeadEndpoint),
            ["quarantined"] = new JsonArray(graph.Quarantined.Select(q => (JsonNode)new JsonObject
            {
                ["hash"] = q.Hash.ToHex(),
                ["label"] = labels is null ? null : labels.TryGetValue(q.Hash, out var label) ? label : null,
                ["ontology_hash"] = q.OntologyHash.ToHex(),
                ["op_kind"] = q.OpKind,
                ["reason"] = q.Reason,
            }).ToArray()),
            ["effective_ontology_hash"] = graph.OntologyHash.ToHex(),
        };
        return Normalize(state);
    }

    /// <summary>Canonical text of a vector state: keys sorted, floats reduced to their bits.</summary>
    public static string Canonical(JsonElement expected) => Normalize(JsonNode.Parse(expected.GetRawText())!);

    private static JsonArray Strings(IEnumerable<string> items) => new(items.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());

    private static JsonObject Typed(ValueMap map)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in map) obj[k] = Typed(v);
        return obj;
    }

    private static JsonNode Typed(Value v) => v.Kind switch
    {
        ValueKind.Null => new JsonObject { ["type"] = "null" },
        ValueKind.Bool => new JsonObject { ["type"] = "bool", ["value"] = v.AsBool },
        ValueKind.Int => new JsonObject { ["type"] = "int", ["value"] = v.AsInt },
        ValueKind.Float => new JsonObject { ["type"] = "float", ["bits"] = BitConverter.DoubleToInt64Bits(v.AsFloat).ToString("x16", System.Globalization.CultureInfo.InvariantCulture) },
        ValueKind.String => new JsonObject { ["type"] = "string", ["value"] = v.AsString },
        ValueKind.List => new JsonObject { ["type"] = "list", ["value"] = new JsonArray(v.AsList.Select(Typed).ToArray()) },
        _ => new JsonObject { ["type"] = "map", ["value"] = Typed(v.AsMap) },
    };

    private static string Normalize(JsonNode node) => Sort(node)?.ToJsonString() ?? "null";

    private static JsonNode? Sort(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.TryGetPropertyValue("type", out var t) && t?.GetValue<string>() == "float" && obj.ContainsKey("bits"))
                {
                    return new JsonObject { ["type"] = "float", ["bits"] = obj["bits"]!.GetValue<string>() };
                }

                var sorted = new JsonObject();
                foreach (var (k, v) in obj.OrderBy(p => p.Key, StringComparer.Ordinal)) sorted[k] = Sort(v?.DeepClone());
                return sorted;
            case JsonArray arr:
                return new JsonArray(arr.Select(item => Sort(item?.DeepClone())).ToArray());
            default:
                return node?.DeepClone();
        }
    }
}
