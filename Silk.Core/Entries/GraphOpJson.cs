using System.Text.Json;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Core.Entries;

/// <summary>
/// JSON form of <see cref="GraphOp"/> as the original renders an entry's payload:
/// <c>{"op": tag, field: …}</c> with fields in declaration order and plain JSON values.
/// </summary>
public static class GraphOpJson
{
    public static string ToJson(GraphOp op)
    {
        var text = new JsonText();
        Write(text, op);
        return text.ToString();
    }

    public static void Write(JsonText t, GraphOp op)
    {
        t.StartObject();
        t.Name("op").String(op.Tag);
        switch (op)
        {
            case DefineOntology d:
                t.Name("ontology");
                OntologyJson.Write(t, d.Ontology);
                break;
            case AddNode n:
                t.Name("node_id").String(n.NodeId);
                t.Name("node_type").String(n.NodeType);
                t.Name("subtype").String(n.Subtype);
                t.Name("label").String(n.Label);
                t.Name("properties");
                ValueJson.WriteMap(t, n.Properties);
                break;
            case AddEdge e:
                t.Name("edge_id").String(e.EdgeId);
                t.Name("edge_type").String(e.EdgeType);
                t.Name("source_id").String(e.SourceId);
                t.Name("target_id").String(e.TargetId);
                t.Name("properties");
                ValueJson.WriteMap(t, e.Properties);
                break;
            case UpdateProperty u:
                t.Name("entity_id").String(u.EntityIdValue);
                t.Name("key").String(u.Key);
                t.Name("value");
                ValueJson.Write(t, u.Value);
                break;
            case RemoveNode rn:
                t.Name("node_id").String(rn.NodeId);
                break;
            case RemoveEdge re:
                t.Name("edge_id").String(re.EdgeId);
                break;
            case ExtendOntology x:
                t.Name("extension");
                OntologyJson.Write(t, x.Extension);
                break;
            case DefineLens l:
                t.Name("transforms").StartArray();
                foreach (var b in l.Transforms) t.Int(b);
                t.EndArray();
                break;
            case Checkpoint c:
                t.Name("ops").StartArray();
                foreach (var inner in c.Ops) Write(t, inner);
                t.EndArray();
                t.Name("op_clocks").StartArray();
                foreach (var (p, l) in c.OpClocks) t.StartArray().UInt(p).UInt(l).EndArray();
                t.EndArray();
                t.Name("compacted_at_physical_ms").UInt(c.CompactedAtPhysicalMs);
                t.Name("compacted_at_logical").UInt(c.CompactedAtLogical);
                break;
        }

        t.EndObject();
    }

    public static GraphOp Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 80 });
            return Read(doc.RootElement);
        }
        catch (OntologyFormatException ex)
        {
            throw new WireFormatException(ex.Message, ex);
        }
        catch (Exception ex) when (ValueJson.IsParseFailure(ex))
        {
            // Includes the typed getters below (GetByte, GetUInt64, p[1]) meeting a value of the wrong kind or range.
            throw new WireFormatException($"invalid op JSON: {ex.Message}", ex);
        }
    }

    public static GraphOp Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new WireFormatException("an op must be a JSON object");
        var tag = Str(e, "op");
        return tag switch
        {
            DefineOntology.OpTag => new DefineOntology(OntologyJson.ReadOntology(Get(e, "ontology"))),
            AddNode.OpTag => new AddNode(Str(e, "node_id"), Str(e, "node_type"), OptStr(e, "subtype"), Str(e, "label"), Props(e)),
            AddEdge.OpTag => new AddEdge(Str(e, "edge_id"), Str(e, "edge_type"), Str(e, "source_id"), Str(e, "target_id"), Props(e)),
            UpdateProperty.OpTag => new UpdateProperty(Str(e, "entity_id"), Str(e, "key"), ValueJson.FromElement(Get(e, "value"))),
            RemoveNode.OpTag => new RemoveNode(Str(e, "node_id")),
            RemoveEdge.OpTag => new RemoveEdge(Str(e, "edge_id")),
            ExtendOntology.OpTag => new ExtendOntology(OntologyJson.ReadExtension(Get(e, "extension"))),
            DefineLens.OpTag => new DefineLens(Get(e, "transforms").EnumerateArray().Select(b => b.GetByte()).ToArray()),
            Checkpoint.OpTag => new Checkpoint(
                Get(e, "ops").EnumerateArray().Select(Read).ToArray(),
                Get(e, "op_clocks").EnumerateArray().Select(p => (p[0].GetUInt64(), p[1].GetUInt32())).ToArray<(ulong, uint)>(),
                Get(e, "compacted_at_physical_ms").GetUInt64(),
                Get(e, "compacted_at_logical").GetUInt32()),
            _ => throw new WireFormatException($"unknown op `{tag}`"),
        };
    }

    private static JsonElement Get(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v : throw new WireFormatException($"missing field `{name}`");

    private static string Str(JsonElement e, string name)
    {
        var v = Get(e, name);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new WireFormatException($"field `{name}` must be a string");
    }

    private static string? OptStr(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Str(e, name) : null;

    private static ValueMap Props(JsonElement e) =>
        e.TryGetProperty("properties", out var v) && v.ValueKind != JsonValueKind.Null ? ValueJson.MapFromElement(v) : ValueMap.Empty;
}
