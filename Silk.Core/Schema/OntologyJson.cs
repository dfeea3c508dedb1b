using System.Collections.Immutable;
using System.Text.Json;
using Silk.Core.Wire;

namespace Silk.Core.Schema;

/// <summary>
/// The client JSON form of the ontology model: parsing (missing optional keys take their defaults,
/// number kinds in constraints are preserved) and the canonical text the content hash is taken over.
/// </summary>
public static class OntologyJson
{
    public static Ontology Parse(string json) => ParseWith(json, ReadOntology);

    /// <summary>Parses an extension; unknown top-level keys are refused (0.4.0), so a typo never becomes a silent no-op.</summary>
    public static OntologyExtension ParseExtension(string json) => ParseWith(json, ReadExtension);

    private static T ParseWith<T>(string json, Func<JsonElement, T> read)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            return read(doc.RootElement);
        }
        catch (Exception ex) when (ValueJson.IsParseFailure(ex) || ex is WireFormatException)
        {
            // Bad syntax, invalid UTF-16 (raw or escaped, met when a name or string is read), or a constraint value
            // ValueJson refuses.
            throw new OntologyFormatException(ex.Message, ex);
        }
    }

    public static Ontology ReadOntology(JsonElement e)
    {
        RequireObject(e, "ontology");
        var nodeTypes = ReadMap(Required(e, "node_types", "ontology"), "node_types", ReadNodeType);
        var edgeTypes = ReadMap(Required(e, "edge_types", "ontology"), "edge_types", ReadEdgeType);
        return new Ontology(nodeTypes, edgeTypes);
    }

    private static readonly string[] ExtensionKeys = ["node_types", "edge_types", "node_type_updates", "edge_type_updates"];

    public static OntologyExtension ReadExtension(JsonElement e)
    {
        RequireObject(e, "extension");
        foreach (var p in e.EnumerateObject())
        {
            if (Array.IndexOf(ExtensionKeys, p.Name) < 0)
            {
                throw new OntologyFormatException($"unknown field `{p.Name}`, expected one of `node_types`, `edge_types`, `node_type_updates`, `edge_type_updates`");
            }
        }

        return new OntologyExtension(
            OptionalMap(e, "node_types", ReadNodeType),
            OptionalMap(e, "edge_types", ReadEdgeType),
            OptionalMap(e, "node_type_updates", ReadNodeTypeUpdate),
            OptionalMap(e, "edge_type_updates", ReadEdgeTypeUpdate));
    }

    private static NodeTypeDef ReadNodeType(JsonElement e, string path)
    {
        RequireObject(e, path);
        var subtypes = Optional(e, "subtypes") is { } s && s.ValueKind != JsonValueKind.Null
            ? ReadMap(s, path + ".subtypes", ReadSubtype)
            : null;
        return new NodeTypeDef(
            OptionalString(e, "description", path),
            OptionalMap(e, "properties", ReadProperty, path),
            subtypes,
            OptionalString(e, "parent_type", path));
    }

    private static SubtypeDef ReadSubtype(JsonElement e, string path)
    {
        RequireObject(e, path);
        return new SubtypeDef(OptionalString(e, "description", path), OptionalMap(e, "properties", ReadProperty, path));
    }

    private static EdgeTypeDef ReadEdgeType(JsonElement e, string path)
    {
        RequireObject(e, path);
        return new EdgeTypeDef(
            OptionalString(e, "description", path),
            ReadStringArray(Required(e, "source_types", path), path + ".source_types"),
            ReadStringArray(Required(e, "target_types", path), path + ".target_types"),
            OptionalMap(e, "properties", ReadProperty, path));
    }

    private static PropertyDef ReadProperty(JsonElement e, string path)
    {
        RequireObject(e, path);
        var typeElement = Required(e, "value_type", path);
        if (typeElement.ValueKind != JsonValueKind.String)
        {
            throw new OntologyFormatException($"{path}.value_type: expected a string");
        }

        var typeName = typeElement.GetString()!;
        var valueType = ValueTypeNames.TryParse(typeName)
            ?? throw new OntologyFormatException($"{path}.value_type: unknown variant `{typeName}`, expected one of `string`, `int`, `float`, `bool`, `list`, `map`, `any`");
        var required = false;
        if (Optional(e, "required") is { } r && r.ValueKind != JsonValueKind.Null)
        {
            required = r.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new OntologyFormatException($"{path}.required: expected a boolean"),
            };
        }

        ValueMap? constraints = null;
        if (Optional(e, "constraints") is { } c && c.ValueKind != JsonValueKind.Null)
        {
            if (c.ValueKind != JsonValueKind.Object) throw new OntologyFormatException($"{path}.constraints: expected an object");
            constraints = ValueJson.MapFromElement(c);
        }

        return new PropertyDef(valueType, required, OptionalString(e, "description", path), constraints);
    }

    private static NodeTypeUpdate ReadNodeTypeUpdate(JsonElement e, string path)
    {
        RequireObject(e, path);
        var relax = Optional(e, "relax_properties") is { } r && r.ValueKind != JsonValueKind.Null
            ? ReadStringArray(r, path + ".relax_properties")
            : [];
        return new NodeTypeUpdate(OptionalMap(e, "add_properties", ReadProperty, path), relax, OptionalMap(e, "add_subtypes", ReadSubtype, path));
    }

    private static EdgeTypeUpdate ReadEdgeTypeUpdate(JsonElement e, string path)
    {
        RequireObject(e, path);
        return new EdgeTypeUpdate(
            Optional(e, "add_source_types") is { ValueKind: not JsonValueKind.Null } s ? ReadStringArray(s, path + ".add_source_types") : [],
            Optional(e, "add_target_types") is { ValueKind: not JsonValueKind.Null } t ? ReadStringArray(t, path + ".add_target_types") : [],
            OptionalMap(e, "add_properties", ReadProperty, path));
    }

    private static void RequireObject(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new OntologyFormatException($"{path}: expected an object, got {e.ValueKind.ToString().ToLowerInvariant()}");
        }
    }

    private static JsonElement Required(JsonElement e, string name, string path) =>
        e.TryGetProperty(name, out var v) ? v : throw new OntologyFormatException($"{path}: missing field `{name}`");

    private static JsonElement? Optional(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v : null;

    private static string? OptionalString(JsonElement e, string name, string path)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new OntologyFormatException($"{path}.{name}: expected a string");
    }

    private static ImmutableArray<string> ReadStringArray(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new OntologyFormatException($"{path}: expected an array of strings");
        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw new OntologyFormatException($"{path}: expected an array of strings");
            builder.Add(item.GetString()!);
        }

        return builder.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, T> OptionalMap<T>(JsonElement e, string name, Func<JsonElement, string, T> read, string path = "")
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return SortedMap.Empty<T>();
        return ReadMap(v, path.Length == 0 ? name : $"{path}.{name}", read);
    }

    private static ImmutableSortedDictionary<string, T> ReadMap<T>(JsonElement e, string path, Func<JsonElement, string, T> read)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new OntologyFormatException($"{path}: expected an object");
        var builder = ImmutableSortedDictionary.CreateBuilder<string, T>(Utf8Order.Instance);
        foreach (var p in e.EnumerateObject())
        {
            builder[p.Name] = read(p.Value, $"{path}.{p.Name}");
        }

        return builder.ToImmutable();
    }

    /// <summary>serde_json's compact text of the ontology: declaration field order, sorted keys, nulls written.</summary>
    public static string ToCanonicalJson(Ontology ontology)
    {
        var text = new JsonText();
        Write(text, ontology);
        return text.ToString();
    }

    public static string ToJson(OntologyExtension extension)
    {
        var text = new JsonText();
        Write(text, extension);
        return text.ToString();
    }

    public static void Write(JsonText t, Ontology o)
    {
        t.StartObject();
        t.Name("node_types"); WriteMap(t, o.NodeTypes, WriteNodeType);
        t.Name("edge_types"); WriteMap(t, o.EdgeTypes, WriteEdgeType);
        t.EndObject();
    }

    public static void Write(JsonText t, OntologyExtension x)
    {
        t.StartObject();
        t.Name("node_types"); WriteMap(t, x.NodeTypes, WriteNodeType);
        t.Name("edge_types"); WriteMap(t, x.EdgeTypes, WriteEdgeType);
        t.Name("node_type_updates"); WriteMap(t, x.NodeTypeUpdates, WriteNodeTypeUpdate);
        t.Name("edge_type_updates"); WriteMap(t, x.EdgeTypeUpdates, WriteEdgeTypeUpdate);
        t.EndObject();
    }

    private static void WriteNodeType(JsonText t, NodeTypeDef n)
    {
        t.StartObject();
        t.Name("description").String(n.Description);
        t.Name("properties"); WriteMap(t, n.Properties, WriteProperty);
        t.Name("subtypes");
        if (n.Subtypes is null) t.Null();
        else WriteMap(t, n.Subtypes, WriteSubtype);
        t.Name("parent_type").String(n.ParentType);
        t.EndObject();
    }

    private static void WriteSubtype(JsonText t, SubtypeDef s)
    {
        t.StartObject();
        t.Name("description").String(s.Description);
        t.Name("properties"); WriteMap(t, s.Properties, WriteProperty);
        t.EndObject();
    }

    private static void WriteEdgeType(JsonText t, EdgeTypeDef e)
    {
        t.StartObject();
        t.Name("description").String(e.Description);
        t.Name("source_types"); WriteStrings(t, e.SourceTypes);
        t.Name("target_types"); WriteStrings(t, e.TargetTypes);
        t.Name("properties"); WriteMap(t, e.Properties, WriteProperty);
        t.EndObject();
    }

    private static void WriteProperty(JsonText t, PropertyDef p)
    {
        t.StartObject();
        t.Name("value_type").String(ValueTypeNames.ToWire(p.ValueType));
        t.Name("required").Bool(p.Required);
        t.Name("description").String(p.Description);
        t.Name("constraints");
        if (p.Constraints is null) t.Null();
        else ValueJson.WriteMap(t, p.Constraints);
        t.EndObject();
    }

    private static void WriteNodeTypeUpdate(JsonText t, NodeTypeUpdate u)
    {
        t.StartObject();
        t.Name("add_properties"); WriteMap(t, u.AddProperties, WriteProperty);
        t.Name("relax_properties"); WriteStrings(t, u.RelaxProperties);
        t.Name("add_subtypes"); WriteMap(t, u.AddSubtypes, WriteSubtype);
        t.EndObject();
    }

    private static void WriteEdgeTypeUpdate(JsonText t, EdgeTypeUpdate u)
    {
        t.StartObject();
        t.Name("add_source_types"); WriteStrings(t, u.AddSourceTypes);
        t.Name("add_target_types"); WriteStrings(t, u.AddTargetTypes);
        t.Name("add_properties"); WriteMap(t, u.AddProperties, WriteProperty);
        t.EndObject();
    }

    private static void WriteStrings(JsonText t, ImmutableArray<string> items)
    {
        t.StartArray();
        foreach (var item in items) t.String(item);
        t.EndArray();
    }

    private static void WriteMap<T>(JsonText t, ImmutableSortedDictionary<string, T> map, Action<JsonText, T> write)
    {
        t.StartObject();
        foreach (var (k, v) in map)
        {
            t.Name(k);
            write(t, v);
        }

        t.EndObject();
    }
}
