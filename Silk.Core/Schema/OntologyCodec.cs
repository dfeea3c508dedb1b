using System.Collections.Immutable;
using MessagePack;
using Silk.Core.Wire;

namespace Silk.Core.Schema;

/// <summary>MessagePack form of the ontology model: positional arrays in declaration order.</summary>
public static class OntologyCodec
{
    public static void Write(ref MessagePackWriter w, Ontology o)
    {
        w.WriteArrayHeader(2);
        WriteMap(ref w, o.NodeTypes, WriteNodeType);
        WriteMap(ref w, o.EdgeTypes, WriteEdgeType);
    }

    public static Ontology Read(ref MessagePackReader r)
    {
        ReadStructHeader(ref r, 2, 2, "an Ontology");
        var nodeTypes = ReadMap(ref r, ReadNodeType);
        var edgeTypes = ReadMap(ref r, ReadEdgeType);
        return new Ontology(nodeTypes, edgeTypes);
    }

    public static void WriteExtension(ref MessagePackWriter w, OntologyExtension e)
    {
        w.WriteArrayHeader(4);
        WriteMap(ref w, e.NodeTypes, WriteNodeType);
        WriteMap(ref w, e.EdgeTypes, WriteEdgeType);
        WriteMap(ref w, e.NodeTypeUpdates, WriteNodeTypeUpdate);
        WriteMap(ref w, e.EdgeTypeUpdates, WriteEdgeTypeUpdate);
    }

    /// <summary>Reads the 4-field (0.4.x) and the 3-field (0.2.4, no edge_type_updates) forms.</summary>
    public static OntologyExtension ReadExtension(ref MessagePackReader r)
    {
        var n = ReadStructHeader(ref r, 3, 4, "an OntologyExtension");
        var nodeTypes = ReadMap(ref r, ReadNodeType);
        var edgeTypes = ReadMap(ref r, ReadEdgeType);
        var nodeUpdates = ReadMap(ref r, ReadNodeTypeUpdate);
        var edgeUpdates = n == 4 ? ReadMap(ref r, ReadEdgeTypeUpdate) : SortedMap.Empty<EdgeTypeUpdate>();
        return new OntologyExtension(nodeTypes, edgeTypes, nodeUpdates, edgeUpdates);
    }

    private static void WriteNodeType(ref MessagePackWriter w, NodeTypeDef t)
    {
        w.WriteArrayHeader(4);
        MsgPack.WriteOptionalString(ref w, t.Description);
        WriteMap(ref w, t.Properties, WriteProperty);
        if (t.Subtypes is null) w.WriteNil();
        else WriteMap(ref w, t.Subtypes, WriteSubtype);
        MsgPack.WriteOptionalString(ref w, t.ParentType);
    }

    private static NodeTypeDef ReadNodeType(ref MessagePackReader r)
    {
        var n = ReadStructHeader(ref r, 0, 4, "a NodeTypeDef");
        var description = n > 0 ? MsgPack.ReadOptionalString(ref r) : null;
        var properties = n > 1 ? ReadMap(ref r, ReadProperty) : SortedMap.Empty<PropertyDef>();
        var subtypes = n > 2 && !MsgPack.TryReadNil(ref r) ? ReadMap(ref r, ReadSubtype) : null;
        var parent = n > 3 ? MsgPack.ReadOptionalString(ref r) : null;
        return new NodeTypeDef(description, properties, subtypes, parent);
    }

    private static void WriteSubtype(ref MessagePackWriter w, SubtypeDef s)
    {
        w.WriteArrayHeader(2);
        MsgPack.WriteOptionalString(ref w, s.Description);
        WriteMap(ref w, s.Properties, WriteProperty);
    }

    private static SubtypeDef ReadSubtype(ref MessagePackReader r)
    {
        var n = ReadStructHeader(ref r, 0, 2, "a SubtypeDef");
        var description = n > 0 ? MsgPack.ReadOptionalString(ref r) : null;
        var properties = n > 1 ? ReadMap(ref r, ReadProperty) : SortedMap.Empty<PropertyDef>();
        return new SubtypeDef(description, properties);
    }

    private static void WriteEdgeType(ref MessagePackWriter w, EdgeTypeDef t)
    {
        w.WriteArrayHeader(4);
        MsgPack.WriteOptionalString(ref w, t.Description);
        MsgPack.WriteStringList(ref w, t.SourceTypes);
        MsgPack.WriteStringList(ref w, t.TargetTypes);
        WriteMap(ref w, t.Properties, WriteProperty);
    }

    private static EdgeTypeDef ReadEdgeType(ref MessagePackReader r)
    {
        var n = ReadStructHeader(ref r, 3, 4, "an EdgeTypeDef");
        var description = MsgPack.ReadOptionalString(ref r);
        var sources = MsgPack.ReadStringList(ref r).ToImmutableArray();
        var targets = MsgPack.ReadStringList(ref r).ToImmutableArray();
        var properties = n > 3 ? ReadMap(ref r, ReadProperty) : SortedMap.Empty<PropertyDef>();
        return new EdgeTypeDef(description, sources, targets, properties);
    }

    private static void WriteProperty(ref MessagePackWriter w, PropertyDef p)
    {
        w.WriteArrayHeader(4);
        w.Write(ValueTypeNames.ToWire(p.ValueType));
        w.Write(p.Required);
        MsgPack.WriteOptionalString(ref w, p.Description);
        if (p.Constraints is null) w.WriteNil();
        else ValueCodec.WriteMap(ref w, p.Constraints);
    }

    private static PropertyDef ReadProperty(ref MessagePackReader r)
    {
        var n = ReadStructHeader(ref r, 1, 4, "a PropertyDef");
        var typeName = MsgPack.ReadString(ref r);
        var valueType = ValueTypeNames.TryParse(typeName)
            ?? throw new WireFormatException($"unknown variant `{typeName}`, expected one of `string`, `int`, `float`, `bool`, `list`, `map`, `any`");
        var required = n > 1 && MsgPack.ReadBool(ref r);
        var description = n > 2 ? MsgPack.ReadOptionalString(ref r) : null;
        var constraints = n > 3 && !MsgPack.TryReadNil(ref r) ? ValueCodec.ReadMap(ref r) : null;
        return new PropertyDef(valueType, required, description, constraints);
    }

    private static void WriteNodeTypeUpdate(ref MessagePackWriter w, NodeTypeUpdate u)
    {
        w.WriteArrayHeader(3);
        WriteMap(ref w, u.AddProperties, WriteProperty);
        MsgPack.WriteStringList(ref w, u.RelaxProperties);
        WriteMap(ref w, u.AddSubtypes, WriteSubtype);
    }

    private static NodeTypeUpdate ReadNodeTypeUpdate(ref MessagePackReader r)
    {
        var n = ReadStructHeader(ref r, 0, 3, "a NodeTypeUpdate");
        var add = n > 0 ? ReadMap(ref r, ReadProperty) : SortedMap.Empty<PropertyDef>();
        var relax = n > 1 ? MsgPack.ReadStringList(ref r).ToImmutableArray() : [];
        var subtypes = n > 2 ? ReadMap(ref r, ReadSubtype) : SortedMap.Empty<SubtypeDef>();
        return new NodeTypeUpdate(add, relax, subtypes);
    }

    private static void WriteEdgeTypeUpdate(ref MessagePackWriter w, EdgeTypeUpdate u)
    {
        w.WriteArrayHeader(3);
        MsgPack.WriteStringList(ref w, u.AddSourceTypes);
        MsgPack.WriteStringList(ref w, u.AddTargetTypes);
        WriteMap(ref w, u.AddProperties, WriteProperty);
    }

    private static EdgeTypeUpdate ReadEdgeTypeUpdate(ref MessagePackReader r)
    {
        var n = ReadStructHeader(ref r, 0, 3, "an EdgeTypeUpdate");
        var sources = n > 0 ? MsgPack.ReadStringList(ref r).ToImmutableArray() : [];
        var targets = n > 1 ? MsgPack.ReadStringList(ref r).ToImmutableArray() : [];
        var add = n > 2 ? ReadMap(ref r, ReadProperty) : SortedMap.Empty<PropertyDef>();
        return new EdgeTypeUpdate(sources, targets, add);
    }

    private delegate void WriteItem<in T>(ref MessagePackWriter w, T item);

    private static void WriteMap<T>(ref MessagePackWriter w, ImmutableSortedDictionary<string, T> map, WriteItem<T> write)
    {
        w.WriteMapHeader(map.Count);
        foreach (var (k, v) in map)
        {
            w.Write(k);
            write(ref w, v);
        }
    }

    private static ImmutableSortedDictionary<string, T> ReadMap<T>(ref MessagePackReader r, MsgPack.ReadFunc<T> read)
    {
        var count = MsgPack.ReadMapHeader(ref r);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, T>(Utf8Order.Instance);
        for (var i = 0; i < count; i++)
        {
            var key = MsgPack.ReadString(ref r);
            builder[key] = read(ref r);
        }

        return builder.ToImmutable();
    }

    // serde fills trailing #[serde(default)] fields of a shorter sequence; anything else is a shape error.
    private static int ReadStructHeader(ref MessagePackReader r, int min, int max, string what)
    {
        var n = MsgPack.ReadArrayHeader(ref r);
        if (n < min || n > max)
        {
            throw new WireFormatException($"invalid length {n}, expected {what} of {(min == max ? $"{max}" : $"{min} to {max}")} elements");
        }

        return n;
    }
}

public static class ValueTypeNames
{
    public static string ToWire(ValueType type) => type switch
    {
        ValueType.String => "string",
        ValueType.Int => "int",
        ValueType.Float => "float",
        ValueType.Bool => "bool",
        ValueType.List => "list",
        ValueType.Map => "map",
        _ => "any",
    };

    public static ValueType? TryParse(string name) => name switch
    {
        "string" => ValueType.String,
        "int" => ValueType.Int,
        "float" => ValueType.Float,
        "bool" => ValueType.Bool,
        "list" => ValueType.List,
        "map" => ValueType.Map,
        "any" => ValueType.Any,
        _ => null,
    };
}
