using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Silk.Core.Wire;

namespace Silk.Api.Json;

/// <summary>
/// A property value as plain JSON. Reading keeps the number kind of the text (<c>1</c> is an Int, <c>1.0</c>
/// a Float); writing gives every Float a decimal point or exponent so that it reads back as a Float.
/// Anything the value model refuses becomes a <see cref="JsonException"/>, i.e. a 400 for the client.
/// </summary>
public sealed class ValueJsonConverter : JsonConverter<Value>
{
    public override bool HandleNull => true;

    public override Value Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, Value value, JsonSerializerOptions options) => WriteValue(writer, value);

    /// <summary>Reads the value at the reader's current token, straight from the tokens (no intermediate document).</summary>
    internal static Value ReadValue(ref Utf8JsonReader reader)
    {
        try
        {
            return ReadToken(ref reader);
        }
        catch (Exception ex) when (ex is WireFormatException || (ValueJson.IsParseFailure(ex) && ex is not JsonException))
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    private static Value ReadToken(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return Value.Null;
            case JsonTokenType.True:
                return Value.True;
            case JsonTokenType.False:
                return Value.False;
            case JsonTokenType.Number:
                var raw = reader.HasValueSequence ? Encoding.UTF8.GetString(reader.ValueSequence) : Encoding.UTF8.GetString(reader.ValueSpan);
                return ValueJson.ParseNumber(raw);
            case JsonTokenType.String:
                return Value.FromString(reader.GetString()!);
            case JsonTokenType.StartArray:
                var items = new List<Value>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(ReadToken(ref reader));
                return Value.FromList([.. items]);
            case JsonTokenType.StartObject:
                return Value.FromMap(ReadObject(ref reader));
            default:
                throw new JsonException($"unexpected JSON token {reader.TokenType}");
        }
    }

    /// <summary>Reads an object (the reader is on its StartObject) into a map; a repeated key keeps its last value.</summary>
    internal static ValueMap ReadObject(ref Utf8JsonReader reader)
    {
        var pairs = new List<KeyValuePair<string, Value>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            pairs.Add(new KeyValuePair<string, Value>(key, ReadToken(ref reader)));
        }

        return pairs.Count == 0 ? ValueMap.Empty : ValueMap.From(pairs);
    }

    internal static void WriteValue(Utf8JsonWriter writer, Value value)
    {
        switch (value.Kind)
        {
            case ValueKind.Null:
                writer.WriteNullValue();
                break;
            case ValueKind.Bool:
                writer.WriteBooleanValue(value.AsBool);
                break;
            case ValueKind.Int:
                writer.WriteNumberValue(value.AsInt);
                break;
            case ValueKind.Float:
                var number = value.AsFloat;
                if (double.IsFinite(number)) writer.WriteRawValue(JsonText.FormatFloat(number), skipInputValidation: true);
                else writer.WriteNullValue(); // as serde_json writes NaN and infinities
                break;
            case ValueKind.String:
                writer.WriteStringValue(value.AsString);
                break;
            case ValueKind.List:
                writer.WriteStartArray();
                foreach (var item in value.AsList) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            case ValueKind.Map:
                ValueMapJsonConverter.WriteMap(writer, value.AsMap);
                break;
        }
    }
}
