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

    internal static Value ReadValue(ref Utf8JsonReader reader)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        try
        {
            return ValueJson.FromElement(document.RootElement);
        }
        catch (Exception ex) when (ex is WireFormatException || ValueJson.IsParseFailure(ex))
        {
            throw new JsonException(ex.Message, ex);
        }
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
