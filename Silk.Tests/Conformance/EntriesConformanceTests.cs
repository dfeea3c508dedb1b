using System.Text.Json;
using Silk.Core.Entries;
using Silk.Core.Schema;
using Silk.Core.Wire;
using static Silk.Tests.Conformance.Vectors;

namespace Silk.Tests.Conformance;

/// <summary>entries.json: every GraphOp variant as payload, signable content, hash and wire entry.</summary>
public sealed class EntriesConformanceTests
{
    private const string File = "entries.json";

    public static TheoryData<string> EntryCases => Names(File, "entries");

    public static TheoryData<string> DecodingCases => Names(File, "entry_decoding");

    private static JsonElement Case(string name) => ByName(File, ["entries"], name);

    [Fact]
    public void All_41_entries_are_present()
    {
        Assert.Equal(41, Get(File, "entries").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(EntryCases))]
    public void Payload_msgpack_matches(string name)
    {
        var e = Case(name);
        var op = ToGraphOp(Prop(e, "payload"));
        Assert.Equal(Str(e, "payload_msgpack_hex"), ToHex(GraphOpCodec.Encode(op)));
    }

    [Theory]
    [MemberData(nameof(EntryCases))]
    public void Create_gives_signable_bytes_and_hash(string name)
    {
        var e = Case(name);
        var entry = ToEntry(e);
        Assert.Equal(Str(e, "signable_msgpack_hex"), ToHex(entry.SignableBytes));
        Assert.Equal(Str(e, "hash"), entry.Hash.ToHex());
        Assert.True(entry.VerifyHash());
    }

    [Theory]
    [MemberData(nameof(EntryCases))]
    public void Entry_bytes_match(string name)
    {
        var e = Case(name);
        var entry = ToEntry(e);
        var bytes = entry.ToBytes();
        Assert.Equal(Str(e, "entry_msgpack_hex"), ToHex(bytes));
        Assert.Equal(bytes.Length, entry.EncodedLength());
    }

    [Theory]
    [MemberData(nameof(EntryCases))]
    public void Decode_verifies_and_reencodes_identically(string name)
    {
        var e = Case(name);
        var entry = Entry.Decode(HexOf(e, "entry_msgpack_hex"));
        Assert.True(entry.VerifyHash());
        Assert.Equal(Str(e, "hash"), entry.Hash.ToHex());
        Assert.Equal(Str(e, "entry_msgpack_hex"), ToHex(entry.ToBytes()));
        Assert.Equal(Str(e, "payload_msgpack_hex"), ToHex(GraphOpCodec.Encode(entry.Payload)));
        Assert.Equal(Str(e, "author"), entry.Author);
        Assert.Equal(Clock(Prop(e, "clock")), entry.Clock);
        Assert.Equal(Hashes(Prop(e, "next")), entry.Next);
        Assert.Equal(Hashes(Prop(e, "refs")), entry.Refs);
        var signature = Prop(e, "signature_hex");
        if (signature.ValueKind == JsonValueKind.Null) Assert.Null(entry.Signature);
        else Assert.Equal(signature.GetString(), ToHex(entry.Signature));

        // The payload alone decodes to an op that re-encodes to the same bytes.
        Assert.Equal(Str(e, "payload_msgpack_hex"), ToHex(GraphOpCodec.Encode(GraphOpCodec.Decode(HexOf(e, "payload_msgpack_hex")))));
    }

    [Theory]
    [MemberData(nameof(EntryCases))]
    public void Json_form_round_trips(string name)
    {
        var e = Case(name);
        var op = ToGraphOp(Prop(e, "payload"));
        var json = GraphOpJson.ToJson(op);
        var back = GraphOpJson.Parse(json);
        Assert.Equal(Str(e, "payload_msgpack_hex"), ToHex(GraphOpCodec.Encode(back)));
        Assert.Equal(json, GraphOpJson.ToJson(back));
    }

    [Theory]
    [MemberData(nameof(DecodingCases))]
    public void Entry_decoding(string name)
    {
        var c = ByName(File, ["entry_decoding"], name);
        var bytes = HexOf(c, "bytes_hex");

        if (!Prop(c, "decodes_ok").GetBoolean())
        {
            var ex = Assert.Throws<WireFormatException>(() => Entry.Decode(bytes));
            Assert.Equal(Str(c, "error"), ex.Message);
            return;
        }

        if (c.TryGetProperty("decoded_equal", out var decodedEqual))
        {
            // A GraphOp in serde's map form {"op": …, field: …} decodes to the same op as the array form.
            Assert.True(decodedEqual.GetBoolean());
            var arrayForm = HexOf(Case("add_node_server_props"), "payload_msgpack_hex");
            var fromMap = GraphOpCodec.Decode(bytes);
            Assert.Equal(GraphOpCodec.Decode(arrayForm), fromMap);
            Assert.Equal(ToHex(arrayForm), ToHex(GraphOpCodec.Encode(fromMap)));
            return;
        }

        var entry = Entry.Decode(bytes);
        if (c.TryGetProperty("verify_hash", out var verify))
        {
            Assert.Equal(verify.GetBoolean(), entry.VerifyHash());
            return;
        }

        // Legacy 8-field (nil or hash ontology_hash) and 6-field forms.
        Assert.True(Prop(c, "decoded_equals_entry").GetBoolean());
        Assert.Equal(Str(c, "hash"), entry.Hash.ToHex());
        Assert.True(entry.VerifyHash());
        Assert.Equal(Str(c, "reencoded_hex"), ToHex(entry.ToBytes()));

        var baseName = name[..name.LastIndexOf(name.EndsWith("_six_fields", StringComparison.Ordinal) ? "_six_fields" : "_legacy8", StringComparison.Ordinal)];
        var original = Case(baseName);
        Assert.Equal(Str(original, "hash"), entry.Hash.ToHex());
        Assert.Equal(Str(original, "signable_msgpack_hex"), ToHex(entry.SignableBytes));
        if (!name.EndsWith("_six_fields", StringComparison.Ordinal))
        {
            Assert.Equal(Str(original, "entry_msgpack_hex"), ToHex(entry.ToBytes()));
        }
    }

    [Fact]
    public void Rich_ontology_canonical_json_and_content_hash()
    {
        var ontology = OntologyJson.Parse(Get(File, "rich_ontology").GetRawText());
        Assert.Equal(Get(File, "rich_ontology_canonical_json").GetString(), OntologyJson.ToCanonicalJson(ontology));
        Assert.Equal(Get(File, "rich_ontology_content_hash").GetString(), ontology.ContentHash().ToHex());
    }

    [Fact]
    public void Ontology_validation_rich_ontology_content_hash()
    {
        const string file = "ontology_validation.json";
        var ontology = OntologyJson.Parse(Get(file, "rich_ontology").GetRawText());
        Assert.Equal(Get(file, "rich_ontology_content_hash").GetString(), ontology.ContentHash().ToHex());
        Assert.Equal(Get(File, "rich_ontology_canonical_json").GetString(), OntologyJson.ToCanonicalJson(ontology));
    }

    [Fact]
    public void Canonical_json_reparses_to_the_same_ontology_and_hash()
    {
        var canonical = Get(File, "rich_ontology_canonical_json").GetString()!;
        var ontology = OntologyJson.Parse(canonical);
        Assert.Equal(canonical, OntologyJson.ToCanonicalJson(ontology));
        Assert.Equal(Get(File, "rich_ontology_content_hash").GetString(), ontology.ContentHash().ToHex());
    }
}
