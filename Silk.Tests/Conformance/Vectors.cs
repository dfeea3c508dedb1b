using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Tests.Conformance;

/// <summary>
/// Access to the golden conformance vectors (produced by the original Rust silk-graph). The folder is
/// <c>SILK_CONFORMANCE_DIR</c> if set, else <c>&lt;repo root&gt;/../shared/conformance/vectors</c>.
/// A missing folder or file is a test FAILURE with a clear message, never a skip.
/// </summary>
internal static class Vectors
{
    public const string EnvVar = "SILK_CONFORMANCE_DIR";

    private static readonly ConcurrentDictionary<string, JsonDocument> Cache = new(StringComparer.Ordinal);

    private static readonly Lazy<string> Folder = new(Locate);

    public static string Directory => Folder.Value;

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvVar);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            if (!System.IO.Directory.Exists(fromEnv))
            {
                throw new InvalidOperationException($"{EnvVar} is set to '{fromEnv}', but that folder does not exist.");
            }

            return fromEnv;
        }

        var root = RepoRoot.Path;
        var folder = Path.GetFullPath(Path.Combine(root, "..", "shared", "conformance", "vectors"));
        if (!System.IO.Directory.Exists(folder))
        {
            throw new InvalidOperationException(
                $"Conformance vectors folder not found at {folder} (repo root {root}); set {EnvVar} to the vectors folder.");
        }

        return folder;
    }

    /// <summary>The root element of a vector file, e.g. <c>Load("values.json")</c>. Documents are cached for the run.</summary>
    public static JsonElement Load(string file) => Cache.GetOrAdd(file, static f =>
    {
        var path = Path.Combine(Directory, f);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Conformance vector file missing: {path}");
        }

        return JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { MaxDepth = 256 });
    }).RootElement;

    /// <summary>Follows a path of property names from a file's root, failing clearly when one is absent.</summary>
    public static JsonElement Get(string file, params string[] path)
    {
        var e = Load(file);
        foreach (var name in path)
        {
            e = Prop(e, name);
        }

        return e;
    }

    public static JsonElement Prop(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v
            : throw new InvalidOperationException($"vector field `{name}` missing in {Truncate(e.GetRawText())}");

    /// <summary>The <c>name</c> of every element of an array property, for MemberData.</summary>
    public static TheoryData<string> Names(string file, params string[] arrayPath)
    {
        var data = new TheoryData<string>();
        foreach (var item in Get(file, arrayPath).EnumerateArray())
        {
            data.Add(Prop(item, "name").GetString()!);
        }

        return data;
    }

    /// <summary>The element of an array property whose <c>name</c> is <paramref name="name"/>.</summary>
    public static JsonElement ByName(string file, string[] arrayPath, string name)
    {
        foreach (var item in Get(file, arrayPath).EnumerateArray())
        {
            if (Prop(item, "name").GetString() == name) return item;
        }

        throw new InvalidOperationException($"no vector named '{name}' in {file}:{string.Join('.', arrayPath)}");
    }

    /// <summary>Indices (and a short label) of an unnamed array, for MemberData.</summary>
    public static TheoryData<int, string> Indexed(string file, params string[] arrayPath)
    {
        var data = new TheoryData<int, string>();
        var i = 0;
        foreach (var item in Get(file, arrayPath).EnumerateArray())
        {
            var label = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("note", out var note)
                ? note.GetString()!
                : Truncate(item.GetRawText(), 60);
            data.Add(i++, label);
        }

        return data;
    }

    public static JsonElement At(string file, string[] arrayPath, int index) => Get(file, arrayPath)[index];

    public static string Str(JsonElement e, string name) => Prop(e, name).GetString()!;

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    public static byte[] HexOf(JsonElement e, string name) => Hex(Str(e, name));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static Hash HashOf(JsonElement hexString) => Hash.ParseHex(hexString.GetString()!);

    public static Hash[] Hashes(JsonElement array) => array.EnumerateArray().Select(HashOf).ToArray();

    public static ClockStamp Clock(JsonElement e) =>
        new(Str(e, "id"), Prop(e, "physical_ms").GetUInt64(), Prop(e, "logical").GetUInt32());

    /// <summary>
    /// A typed value <c>{"type": …, "value": …}</c>. Floats are built from <c>bits</c>, so NaN, ±inf and -0.0
    /// are exact.
    /// </summary>
    public static Value ToValue(JsonElement typed)
    {
        var type = Str(typed, "type");
        return type switch
        {
            "null" => Value.Null,
            "bool" => Value.FromBool(Prop(typed, "value").GetBoolean()),
            "int" => Value.FromInt(Prop(typed, "value").GetInt64()),
            "float" => Value.FromFloat(BitConverter.Int64BitsToDouble(
                unchecked((long)ulong.Parse(Str(typed, "bits"), NumberStyles.HexNumber, CultureInfo.InvariantCulture)))),
            "string" => Value.FromString(Prop(typed, "value").GetString()!),
            "list" => Value.FromList(Prop(typed, "value").EnumerateArray().Select(ToValue).ToArray()),
            "map" => Value.FromMap(ToValueMap(Prop(typed, "value"))),
            _ => throw new InvalidOperationException($"unknown typed value type '{type}'"),
        };
    }

    /// <summary>A JSON object whose members are typed values.</summary>
    public static ValueMap ToValueMap(JsonElement obj) =>
        ValueMap.From(obj.EnumerateObject().Select(p => new KeyValuePair<string, Value>(p.Name, ToValue(p.Value))));

    /// <summary>
    /// The readable payload of entries.json / sync.json: property values are typed, the ontology is plain
    /// JSON with explicit nulls (number kinds kept from the text), define_lens carries <c>transforms_hex</c>.
    /// </summary>
    public static GraphOp ToGraphOp(JsonElement p)
    {
        var op = Str(p, "op");
        return op switch
        {
            DefineOntology.OpTag => new DefineOntology(OntologyJson.ReadOntology(Prop(p, "ontology"))),
            AddNode.OpTag => new AddNode(
                Str(p, "node_id"),
                Str(p, "node_type"),
                Prop(p, "subtype").ValueKind == JsonValueKind.Null ? null : Str(p, "subtype"),
                Str(p, "label"),
                ToValueMap(Prop(p, "properties"))),
            AddEdge.OpTag => new AddEdge(
                Str(p, "edge_id"), Str(p, "edge_type"), Str(p, "source_id"), Str(p, "target_id"), ToValueMap(Prop(p, "properties"))),
            UpdateProperty.OpTag => new UpdateProperty(Str(p, "entity_id"), Str(p, "key"), ToValue(Prop(p, "value"))),
            RemoveNode.OpTag => new RemoveNode(Str(p, "node_id")),
            RemoveEdge.OpTag => new RemoveEdge(Str(p, "edge_id")),
            ExtendOntology.OpTag => new ExtendOntology(OntologyJson.ReadExtension(Prop(p, "extension"))),
            DefineLens.OpTag => new DefineLens(HexOf(p, "transforms_hex")),
            Checkpoint.OpTag => new Checkpoint(
                Prop(p, "ops").EnumerateArray().Select(ToGraphOp).ToImmutableArray(),
                Prop(p, "op_clocks").EnumerateArray().Select(c => (c[0].GetUInt64(), c[1].GetUInt32())).ToImmutableArray(),
                Prop(p, "compacted_at_physical_ms").GetUInt64(),
                Prop(p, "compacted_at_logical").GetUInt32()),
            _ => throw new InvalidOperationException($"unknown op '{op}' in vector payload"),
        };
    }

    /// <summary>Builds the entry a vector describes (payload, next, refs, clock, author, optional signature).</summary>
    public static Entry ToEntry(JsonElement e)
    {
        var signature = Prop(e, "signature_hex") is { ValueKind: JsonValueKind.String } s ? Hex(s.GetString()!) : null;
        return Entry.Create(
            ToGraphOp(Prop(e, "payload")), Hashes(Prop(e, "next")), Clock(Prop(e, "clock")), Str(e, "author"), signature, Hashes(Prop(e, "refs")));
    }

    /// <summary>Every hex byte string anywhere in the vector files whose field name ends in <c>_hex</c> (for the fuzz corpus).</summary>
    public static IEnumerable<(string Where, byte[] Bytes)> AllHexBlobs(params string[] files)
    {
        foreach (var file in files)
        {
            foreach (var item in Walk(Load(file), file))
            {
                yield return item;
            }
        }

        static IEnumerable<(string, byte[])> Walk(JsonElement e, string path)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        if (p.Name.EndsWith("_hex", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.String
                            && p.Name is not ("signature_hex" or "transforms_hex" or "bits_words_hex"))
                        {
                            yield return ($"{path}.{p.Name}", Convert.FromHexString(p.Value.GetString()!));
                        }
                        else
                        {
                            foreach (var x in Walk(p.Value, $"{path}.{p.Name}")) yield return x;
                        }
                    }

                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in e.EnumerateArray())
                    {
                        foreach (var x in Walk(item, $"{path}[{i}]")) yield return x;
                        i++;
                    }

                    break;
            }
        }
    }

    private static string Truncate(string s, int max = 200) => s.Length <= max ? s : s[..max] + "…";
}
