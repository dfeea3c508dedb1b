using MessagePack;

namespace Silk.Core.Wire;

/// <summary>MessagePack form of <see cref="Value"/>: the bare msgpack value (untagged).</summary>
public static class ValueCodec
{
    /// <summary>Nesting deeper than this is refused when decoding, so hostile bytes cannot overflow the stack.</summary>
    public const int MaxDecodeDepth = 128;

    public static void Write(ref MessagePackWriter writer, Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Null: writer.WriteNil(); break;
            case ValueKind.Bool: writer.Write(value.AsBool); break;
            case ValueKind.Int: writer.Write(value.AsInt); break;
            case ValueKind.Float: writer.Write(value.AsFloat); break;
            case ValueKind.String: writer.Write(value.AsString); break;
            case ValueKind.List:
                var items = value.ListItems;
                writer.WriteArrayHeader(items.Length);
                foreach (var item in items) Write(ref writer, item);
                break;
            case ValueKind.Map:
                WriteMap(ref writer, value.AsMap);
                break;
        }
    }

    public static void WriteMap(ref MessagePackWriter writer, ValueMap map)
    {
        writer.WriteMapHeader(map.Count);
        var keys = map.KeySpan;
        var values = map.ValueSpan;
        for (var i = 0; i < keys.Length; i++)
        {
            writer.Write(keys[i]);
            Write(ref writer, values[i]);
        }
    }

    public static byte[] Encode(Value value) => MsgPack.Encode(value, static (ref MessagePackWriter w, Value v) => Write(ref w, v));

    public static Value Decode(ReadOnlyMemory<byte> bytes) =>
        MsgPack.DecodeWhole(bytes, "invalid value", static (ref MessagePackReader r) => Read(ref r));

    public static Value Read(ref MessagePackReader reader) => Read(ref reader, 0);

    public static ValueMap ReadMap(ref MessagePackReader reader) => ReadMap(ref reader, 0);

    private static Value Read(ref MessagePackReader reader, int depth)
    {
        if (depth > MaxDecodeDepth) throw new WireFormatException($"value nesting deeper than {MaxDecodeDepth}");
        var code = MsgPack.PeekCode(ref reader);
        switch (code)
        {
            case 0xc0:
                reader.ReadNil();
                return Value.Null;
            case 0xc2 or 0xc3:
                return Value.FromBool(reader.ReadBoolean());
            case 0xcb:
                return Value.FromFloat(reader.ReadDouble());
            case 0xca:
                return Value.FromFloat(reader.ReadSingle());
            case 0xcf:
                var unsigned = reader.ReadUInt64();
                // Above i64::MAX the original's untagged Value falls through to its float variant.
                return unsigned <= long.MaxValue ? Value.FromInt((long)unsigned) : Value.FromFloat(unsigned);
            case <= 0x7f or >= 0xe0 or (>= 0xcc and <= 0xd3):
                return Value.FromInt(reader.ReadInt64());
            case (>= 0xa0 and <= 0xbf) or 0xd9 or 0xda or 0xdb:
                return Value.FromString(MsgPack.ReadString(ref reader));
            case (>= 0x90 and <= 0x9f) or 0xdc or 0xdd:
                var count = MsgPack.ReadArrayHeader(ref reader);
                var items = count == 0 ? [] : new Value[count];
                for (var i = 0; i < count; i++) items[i] = Read(ref reader, depth + 1);
                return Value.FromList(items);
            case (>= 0x80 and <= 0x8f) or 0xde or 0xdf:
                return Value.FromMap(ReadMap(ref reader, depth + 1));
            default:
                throw MsgPack.WrongMarker(code);
        }
    }

    private static ValueMap ReadMap(ref MessagePackReader reader, int depth)
    {
        var count = MsgPack.ReadMapHeader(ref reader);
        if (count == 0) return ValueMap.Empty;
        var keys = new string[count];
        var values = new Value[count];
        for (var i = 0; i < count; i++)
        {
            var code = MsgPack.PeekCode(ref reader);
            if (code is not ((>= 0xa0 and <= 0xbf) or 0xd9 or 0xda or 0xdb))
            {
                throw new WireFormatException($"map keys must be strings, found {MsgPack.MarkerName(code)}");
            }

            keys[i] = MsgPack.ReadName(ref reader);
            values[i] = Read(ref reader, depth);
        }

        return ValueMap.FromArrays(keys, values);
    }
}
