using System.Text.Json;
using System.Text.Json.Serialization;
using Silk.Core.Wire;

namespace Silk.Api.Json;

/// <summary>A property map (string keys, <see cref="Value"/> values) as a JSON object.</summary>
public sealed class ValueMapJsonConverter : JsonConverter<ValueMap>
{
    public override ValueMap Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected a JSON object of properties, got {Describe(reader.TokenType)}");
        }

        try
        {
            return ValueJsonConverter.ReadObject(ref reader);
        }
        catch (Exception ex) when (ex is WireFormatException || (ValueJson.IsParseFailure(ex) && ex is not JsonException))
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, ValueMap value, JsonSerializerOptions options) => WriteMap(writer, value);

    internal static void WriteMap(Utf8JsonWriter writer, ValueMap map)
    {
        writer.WriteStartObject();
        var keys = map.KeySpan;
        var values = map.ValueSpan;
        for (var i = 0; i < keys.Length; i++)
        {
            writer.WritePropertyName(keys[i]);
            ValueJsonConverter.WriteValue(writer, values[i]);
        }

        writer.WriteEndObject();
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
