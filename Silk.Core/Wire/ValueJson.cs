using System.Globalization;
using System.Text.Json;

namespace Silk.Core.Wire;

/// <summary>
/// JSON form of <see cref="Value"/>: plain JSON where a number with a fraction or exponent is a Float
/// and one without is an Int, and Floats are always written with a decimal point or exponent.
/// </summary>
public static class ValueJson
{
    public const int MaxDepth = 64;

    public static string ToJson(Value value)
    {
        var text = new JsonText();
        Write(text, value);
        return text.ToString();
    }

    public static void Write(JsonText text, Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Null: text.Null(); break;
            case ValueKind.Bool: text.Bool(value.AsBool); break;
            case ValueKind.Int: text.Int(value.AsInt); break;
            case ValueKind.Float: text.Float(value.AsFloat); break;
            case ValueKind.String: text.String(value.AsString); break;
            case ValueKind.List:
                text.StartArray();
                foreach (var item in value.ListItems) Write(text, item);
                text.EndArray();
                break;
            case ValueKind.Map:
                WriteMap(text, value.AsMap);
                break;
        }
    }

    public static void WriteMap(JsonText text, ValueMap map)
    {
        text.StartObject();
        foreach (var (k, v) in map)
        {
            text.Name(k);
            Write(text, v);
        }

        text.EndObject();
    }

    /// <summary>Parses JSON text into a Value; bad JSON → <see cref="WireFormatException"/>.</summary>
    public static Value Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth + 1 });
            return FromElement(doc.RootElement);
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            throw new WireFormatException($"invalid JSON value: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// What System.Text.Json throws for text it cannot read: JsonException for bad syntax, ArgumentException for
    /// text that is not valid UTF-16 (a lone surrogate), InvalidOperationException when a string escape decodes to
    /// invalid UTF-16 (<c>"\ud800"</c>), FormatException or InvalidOperationException from typed getters on a
    /// value of the wrong kind or range, IndexOutOfRangeException from indexing a too-short array.
    /// </summary>
    public static bool IsParseFailure(Exception ex) =>
        ex is JsonException or ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException;

    public static Value FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => Value.Null,
        JsonValueKind.True => Value.True,
        JsonValueKind.False => Value.False,
        JsonValueKind.String => Value.FromString(element.GetString()!),
        JsonValueKind.Number => ParseNumber(element.GetRawText()),
        JsonValueKind.Array => Value.FromList(element.EnumerateArray().Select(FromElement).ToArray()),
        JsonValueKind.Object => Value.FromMap(MapFromElement(element)),
        _ => throw new WireFormatException($"unsupported JSON token {element.ValueKind}"),
    };

    public static ValueMap MapFromElement(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new WireFormatException($"expected a JSON object, got {element.ValueKind}");
        }

        return ValueMap.From(element.EnumerateObject().Select(p => new KeyValuePair<string, Value>(p.Name, FromElement(p.Value))));
    }

    /// <summary>
    /// A number's kind comes from its text, as serde_json decides: a fraction or exponent makes a float, and so
    /// does <c>-0</c> (serde_json reads it as -0.0). A number beyond the double range is refused, as serde_json
    /// refuses it ("number out of range"), rather than read as infinity.
    /// </summary>
    public static Value ParseNumber(string raw)
    {
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0
            && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer == 0 && raw.StartsWith('-') ? Value.FromFloat(-0.0) : Value.FromInt(integer);
        }

        var number = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(number) ? Value.FromFloat(number) : throw new WireFormatException($"number out of range: {raw}");
    }
}
