using System.Buffers;
using MessagePack;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Core.Entries;

/// <summary>
/// MessagePack form of <see cref="GraphOp"/>: an array whose first element is the tag, then the
/// variant's fields in order. The map form <c>{"op": tag, field: …}</c> is accepted on read.
/// </summary>
public static class GraphOpCodec
{
    /// <summary>Checkpoints nest ops; deeper nesting than this is hostile.</summary>
    private const int MaxCheckpointNesting = 8;

    public static void Write(ref MessagePackWriter w, GraphOp op)
    {
        switch (op)
        {
            case DefineOntology d:
                w.WriteArrayHeader(2);
                w.Write(DefineOntology.OpTag);
                OntologyCodec.Write(ref w, d.Ontology);
                break;
            case AddNode n:
                w.WriteArrayHeader(6);
                w.Write(AddNode.OpTag);
                w.Write(n.NodeId);
                w.Write(n.NodeType);
                MsgPack.WriteOptionalString(ref w, n.Subtype);
                w.Write(n.Label);
                ValueCodec.WriteMap(ref w, n.Properties);
                break;
            case AddEdge e:
                w.WriteArrayHeader(6);
                w.Write(AddEdge.OpTag);
                w.Write(e.EdgeId);
                w.Write(e.EdgeType);
                w.Write(e.SourceId);
                w.Write(e.TargetId);
                ValueCodec.WriteMap(ref w, e.Properties);
                break;
            case UpdateProperty u:
                w.WriteArrayHeader(4);
                w.Write(UpdateProperty.OpTag);
                w.Write(u.EntityIdValue);
                w.Write(u.Key);
                ValueCodec.Write(ref w, u.Value);
                break;
            case RemoveNode rn:
                w.WriteArrayHeader(2);
                w.Write(RemoveNode.OpTag);
                w.Write(rn.NodeId);
                break;
            case RemoveEdge re:
                w.WriteArrayHeader(2);
                w.Write(RemoveEdge.OpTag);
                w.Write(re.EdgeId);
                break;
            case ExtendOntology x:
                w.WriteArrayHeader(2);
                w.Write(ExtendOntology.OpTag);
                OntologyCodec.WriteExtension(ref w, x.Extension);
                break;
            case DefineLens l:
                w.WriteArrayHeader(2);
                w.Write(DefineLens.OpTag);
                MsgPack.WriteByteArrayAsInts(ref w, l.Transforms);
                break;
            case Checkpoint c:
                w.WriteArrayHeader(5);
                w.Write(Checkpoint.OpTag);
                w.WriteArrayHeader(c.Ops.Count);
                foreach (var inner in c.Ops) Write(ref w, inner);
                w.WriteArrayHeader(c.OpClocks.Count);
                foreach (var (p, l) in c.OpClocks)
                {
                    w.WriteArrayHeader(2);
                    w.Write(p);
                    w.Write(l);
                }

                w.Write(c.CompactedAtPhysicalMs);
                w.Write(c.CompactedAtLogical);
                break;
            default:
                throw new ArgumentException($"unknown op {op.GetType().Name}", nameof(op));
        }
    }

    public static byte[] Encode(GraphOp op) => MsgPack.Encode(op, static (ref MessagePackWriter w, GraphOp o) => Write(ref w, o));

    public static GraphOp Decode(ReadOnlyMemory<byte> bytes) =>
        MsgPack.DecodeWhole(bytes, "invalid op", static (ref MessagePackReader r) => Read(ref r));

    public static GraphOp Read(ref MessagePackReader r) => Read(ref r, 0);

    private static GraphOp Read(ref MessagePackReader r, int nesting)
    {
        if (MsgPack.NextIsMap(ref r)) return ReadMapForm(ref r, nesting);
        var count = MsgPack.ReadArrayHeader(ref r);
        if (count == 0) throw new WireFormatException("invalid length 0, expected an op tag");
        var tag = MsgPack.ReadName(ref r);
        var fields = count - 1;
        switch (tag)
        {
            case AddNode.OpTag:
                Expect(fields, 5, tag);
                return new AddNode(
                    MsgPack.ReadString(ref r),
                    MsgPack.ReadName(ref r),
                    MsgPack.ReadOptionalName(ref r),
                    MsgPack.ReadString(ref r),
                    ValueCodec.ReadMap(ref r));
            case AddEdge.OpTag:
                Expect(fields, 5, tag);
                return new AddEdge(
                    MsgPack.ReadString(ref r),
                    MsgPack.ReadName(ref r),
                    MsgPack.ReadString(ref r),
                    MsgPack.ReadString(ref r),
                    ValueCodec.ReadMap(ref r));
            case UpdateProperty.OpTag:
                Expect(fields, 3, tag);
                return new UpdateProperty(MsgPack.ReadString(ref r), MsgPack.ReadName(ref r), ValueCodec.Read(ref r));
            case RemoveNode.OpTag:
                Expect(fields, 1, tag);
                return new RemoveNode(MsgPack.ReadString(ref r));
            case RemoveEdge.OpTag:
                Expect(fields, 1, tag);
                return new RemoveEdge(MsgPack.ReadString(ref r));
            case DefineOntology.OpTag:
                Expect(fields, 1, tag);
                return new DefineOntology(OntologyCodec.Read(ref r));
            case ExtendOntology.OpTag:
                Expect(fields, 1, tag);
                return new ExtendOntology(OntologyCodec.ReadExtension(ref r));
            case DefineLens.OpTag:
                Expect(fields, 1, tag);
                return new DefineLens(MsgPack.ReadByteList(ref r));
            case Checkpoint.OpTag:
                Expect(fields, 4, tag);
                return ReadCheckpointFields(ref r, nesting);
            default:
                throw UnknownTag(tag);
        }
    }

    private static Checkpoint ReadCheckpointFields(ref MessagePackReader r, int nesting)
    {
        if (nesting >= MaxCheckpointNesting) throw new WireFormatException("checkpoints nested too deeply");
        var opCount = MsgPack.ReadArrayHeader(ref r);
        var ops = new GraphOp[opCount];
        for (var i = 0; i < opCount; i++) ops[i] = Read(ref r, nesting + 1);
        var clockCount = MsgPack.ReadArrayHeader(ref r);
        var clocks = new (ulong, uint)[clockCount];
        for (var i = 0; i < clockCount; i++)
        {
            MsgPack.ReadArrayHeaderExactly(ref r, 2, "an op clock");
            clocks[i] = (MsgPack.ReadU64(ref r), MsgPack.ReadU32(ref r));
        }

        return new Checkpoint(ops, clocks, MsgPack.ReadU64(ref r), MsgPack.ReadU32(ref r));
    }

    /// <summary>
    /// serde's internally tagged map form: fields by name, in any order. Missing fields are an error,
    /// except those the original defaults.
    /// </summary>
    private static GraphOp ReadMapForm(ref MessagePackReader r, int nesting)
    {
        var count = MsgPack.ReadMapHeader(ref r);
        string? tag = null;
        var fields = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = MsgPack.ReadString(ref r);
            if (name == "op")
            {
                tag = MsgPack.ReadString(ref r);
                continue;
            }

            var start = r.Position;
            r.Skip();
            fields[name] = r.Sequence.Slice(start, r.Position).ToArray();
        }

        if (tag is null) throw new WireFormatException("missing field `op`");
        MessagePackReader Field(string name) =>
            fields.TryGetValue(name, out var bytes) ? new MessagePackReader(bytes) : throw new WireFormatException($"missing field `{name}`");

        switch (tag)
        {
            case AddNode.OpTag:
            {
                var id = Field("node_id"); var type = Field("node_type"); var label = Field("label");
                string? subtype = null;
                if (fields.ContainsKey("subtype")) { var s = Field("subtype"); subtype = MsgPack.ReadOptionalString(ref s); }
                var props = ValueMap.Empty;
                if (fields.ContainsKey("properties")) { var p = Field("properties"); props = ValueCodec.ReadMap(ref p); }
                return new AddNode(MsgPack.ReadString(ref id), MsgPack.ReadString(ref type), subtype, MsgPack.ReadString(ref label), props);
            }
            case AddEdge.OpTag:
            {
                var id = Field("edge_id"); var type = Field("edge_type"); var src = Field("source_id"); var tgt = Field("target_id");
                var props = ValueMap.Empty;
                if (fields.ContainsKey("properties")) { var p = Field("properties"); props = ValueCodec.ReadMap(ref p); }
                return new AddEdge(MsgPack.ReadString(ref id), MsgPack.ReadString(ref type), MsgPack.ReadString(ref src), MsgPack.ReadString(ref tgt), props);
            }
            case UpdateProperty.OpTag:
            {
                var id = Field("entity_id"); var key = Field("key"); var value = Field("value");
                return new UpdateProperty(MsgPack.ReadString(ref id), MsgPack.ReadString(ref key), ValueCodec.Read(ref value));
            }
            case RemoveNode.OpTag:
            {
                var id = Field("node_id");
                return new RemoveNode(MsgPack.ReadString(ref id));
            }
            case RemoveEdge.OpTag:
            {
                var id = Field("edge_id");
                return new RemoveEdge(MsgPack.ReadString(ref id));
            }
            case DefineOntology.OpTag:
            {
                var o = Field("ontology");
                return new DefineOntology(OntologyCodec.Read(ref o));
            }
            case ExtendOntology.OpTag:
            {
                var x = Field("extension");
                return new ExtendOntology(OntologyCodec.ReadExtension(ref x));
            }
            case DefineLens.OpTag:
            {
                var t = Field("transforms");
                return new DefineLens(MsgPack.ReadByteList(ref t));
            }
            case Checkpoint.OpTag:
            {
                var ops = Field("ops"); var clocks = Field("op_clocks"); var p = Field("compacted_at_physical_ms"); var l = Field("compacted_at_logical");
                var opCount = MsgPack.ReadArrayHeader(ref ops);
                if (nesting >= MaxCheckpointNesting) throw new WireFormatException("checkpoints nested too deeply");
                var inner = new GraphOp[opCount];
                for (var i = 0; i < opCount; i++) inner[i] = Read(ref ops, nesting + 1);
                var clockCount = MsgPack.ReadArrayHeader(ref clocks);
                var pairs = new (ulong, uint)[clockCount];
                for (var i = 0; i < clockCount; i++)
                {
                    MsgPack.ReadArrayHeaderExactly(ref clocks, 2, "an op clock");
                    pairs[i] = (MsgPack.ReadU64(ref clocks), MsgPack.ReadU32(ref clocks));
                }

                return new Checkpoint(inner, pairs, MsgPack.ReadU64(ref p), MsgPack.ReadU32(ref l));
            }
            default:
                throw UnknownTag(tag);
        }
    }

    private static void Expect(int fields, int expected, string tag)
    {
        if (fields != expected)
        {
            throw new WireFormatException($"invalid length {fields}, expected {expected} fields for op `{tag}`");
        }
    }

    private static WireFormatException UnknownTag(string tag) =>
        new($"unknown variant `{tag}`, expected one of `define_ontology`, `add_node`, `add_edge`, `update_property`, `remove_node`, `remove_edge`, `extend_ontology`, `define_lens`, `checkpoint`");
}
