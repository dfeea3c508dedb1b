using System.Text.Json;
using MessagePack;
using Silk.Core.Schema;

namespace Silk.Tests.Schema;

/// <summary>Every check of ontology_validation.json (produced by the original) as its own test case.</summary>
public class OntologyValidationVectorTests
{
    private const string FileName = "ontology_validation.json";
    private const int ExpectedCaseCount = 79;
    private const string Unavailable = "vectors unavailable";

    private static readonly Lazy<ValidationVectors> File = new(() => new ValidationVectors());

    private sealed class ValidationVectors
    {
        public ValidationVectors()
        {
            var root = Conformance.Vectors.Load(FileName);
            RichOntologyJson = root.GetProperty("rich_ontology").GetRawText();
            RichOntologyHash = root.GetProperty("rich_ontology_content_hash").GetString()!;
            Cases = root.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToList();
            RichOntology = OntologyJson.Parse(RichOntologyJson);
            RichRules = new OntologyRules(RichOntology);
        }

        public string RichOntologyJson { get; }

        public string RichOntologyHash { get; }

        public Ontology RichOntology { get; }

        public OntologyRules RichRules { get; }

        public List<JsonElement> Cases { get; }
    }

    public static TheoryData<string> CaseLabels()
    {
        var data = new TheoryData<string>();
        List<JsonElement> cases;
        try
        {
            cases = File.Value.Cases;
        }
        catch (InvalidOperationException)
        {
            // Still produce a case, so the missing file shows up as a failing test rather than no tests.
            data.Add(Unavailable);
            return data;
        }

        for (var i = 0; i < cases.Count; i++) data.Add(Label(i, cases[i]));
        return data;
    }

    private static string Label(int index, JsonElement c)
    {
        var check = c.GetProperty("check").GetString()!;
        var subject = check switch
        {
            "validate_node" or "validate_property_update" =>
                c.GetProperty("node_type").GetString() + (OptionalString(c, "subtype") is { } s ? ":" + s : "")
                + (OptionalString(c, "key") is { } k ? "." + k : ""),
            "validate_edge" => $"{c.GetProperty("edge_type").GetString()} {c.GetProperty("source_type").GetString()}->{c.GetProperty("target_type").GetString()}",
            "validate_edge_property_update" => $"{c.GetProperty("edge_type").GetString()}.{c.GetProperty("key").GetString()}",
            "validate_self" => Shorten(c.GetProperty("ontology").GetRawText()),
            "merge_extension" => Shorten(c.GetProperty("extension").GetRawText()),
            _ => "",
        };
        var outcome = c.GetProperty("result").GetProperty("ok").GetBoolean() ? "ok" : "error";
        if (c.TryGetProperty("properties", out var properties))
        {
            subject += " {" + string.Join(",", properties.EnumerateObject().Select(p => p.Name)) + "}";
        }

        // The outcome comes before the subject because test runners truncate long labels.
        return $"{index:D2} {check} {outcome}: {subject}";
    }

    private static string Shorten(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var compact = JsonSerializer.Serialize(doc.RootElement);
        return compact.Length <= 80 ? compact : compact[..77] + "...";
    }

    private static JsonElement CaseFor(string label)
    {
        // Loading again rethrows the locator's message (which folder or file is missing).
        var cases = File.Value.Cases;
        var index = int.Parse(label.AsSpan(0, label.IndexOf(' ', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
        return cases[index];
    }

    [Fact]
    public void Vector_file_is_present_and_complete()
    {
        var vectors = File.Value;
        Assert.Equal(ExpectedCaseCount, vectors.Cases.Count);
        Assert.Equal(vectors.RichOntologyHash, vectors.RichOntology.ContentHash().ToHex());
    }

    [Theory]
    [MemberData(nameof(CaseLabels))]
    public void Matches_original(string label)
    {
        var c = CaseFor(label);
        var rules = File.Value.RichRules;
        var expected = c.GetProperty("result");
        switch (c.GetProperty("check").GetString())
        {
            case "validate_node":
                AssertOutcome(expected, rules.ValidateNode(
                    c.GetProperty("node_type").GetString()!,
                    OptionalString(c, "subtype"),
                    Conformance.Vectors.ToValueMap(c.GetProperty("properties"))));
                break;
            case "validate_edge":
                AssertOutcome(expected, rules.ValidateEdge(
                    c.GetProperty("edge_type").GetString()!,
                    c.GetProperty("source_type").GetString()!,
                    c.GetProperty("target_type").GetString()!,
                    Conformance.Vectors.ToValueMap(c.GetProperty("properties"))));
                break;
            case "validate_property_update":
                AssertOutcome(expected, rules.ValidatePropertyUpdate(
                    c.GetProperty("node_type").GetString()!,
                    OptionalString(c, "subtype"),
                    c.GetProperty("key").GetString()!,
                    Conformance.Vectors.ToValue(c.GetProperty("value"))));
                break;
            case "validate_edge_property_update":
                AssertOutcome(expected, rules.ValidateEdgePropertyUpdate(
                    c.GetProperty("edge_type").GetString()!,
                    c.GetProperty("key").GetString()!,
                    Conformance.Vectors.ToValue(c.GetProperty("value"))));
                break;
            case "validate_self":
                CheckValidateSelf(c, expected);
                break;
            case "merge_extension":
                CheckMerge(c, expected);
                break;
            default:
                Assert.Fail($"unknown check in {label}");
                break;
        }
    }

    private static void CheckValidateSelf(JsonElement c, JsonElement expected)
    {
        var ontology = OntologyJson.Parse(c.GetProperty("ontology").GetRawText());
        Assert.Equal(c.GetProperty("canonical_json").GetString(), OntologyJson.ToCanonicalJson(ontology));
        Assert.Equal(c.GetProperty("content_hash").GetString(), ontology.ContentHash().ToHex());
        AssertOutcome(expected, OntologyRules.ValidateSelf(ontology));
    }

    private static void CheckMerge(JsonElement c, JsonElement expected)
    {
        Assert.Equal("rich_ontology", c.GetProperty("base").GetString());
        var baseOntology = File.Value.RichOntology;
        var baseHash = baseOntology.ContentHash();

        var fromJson = OntologyJson.ParseExtension(c.GetProperty("extension").GetRawText());
        var reader = new MessagePackReader(Convert.FromHexString(c.GetProperty("extension_msgpack_hex").GetString()!));
        var fromMsgPack = OntologyCodec.ReadExtension(ref reader);
        Assert.True(reader.End, "extension bytes not fully consumed");
        Assert.Equal(OntologyJson.ToJson(fromJson), OntologyJson.ToJson(fromMsgPack));

        var (jsonHash, jsonViolation) = TryMerge(baseOntology, fromJson);
        var (packHash, packViolation) = TryMerge(baseOntology, fromMsgPack);
        Assert.Equal(jsonHash, packHash);
        Assert.Equal(jsonViolation, packViolation);

        AssertOutcome(expected, jsonViolation);
        var resulting = c.GetProperty("resulting_content_hash");
        Assert.Equal(resulting.ValueKind == JsonValueKind.Null ? null : resulting.GetString(), jsonHash);
        Assert.Equal(baseHash, baseOntology.ContentHash());
    }

    private static (string? Hash, SchemaViolation? Violation) TryMerge(Ontology current, OntologyExtension extension)
    {
        try
        {
            return (OntologyRules.Merge(current, extension).ContentHash().ToHex(), null);
        }
        catch (SchemaException ex)
        {
            Assert.Equal(ex.Violation.Message, ex.Message);
            return (null, ex.Violation);
        }
    }

    private static void AssertOutcome(JsonElement expected, SchemaViolation? actual)
    {
        if (expected.GetProperty("ok").GetBoolean())
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.GetProperty("error").GetString(), actual.Message);
        Assert.Equal(expected.GetProperty("error_debug").GetString(), actual.DebugText);
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
