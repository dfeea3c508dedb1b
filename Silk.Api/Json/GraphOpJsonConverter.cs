using System.Text.Json;
using System.Text.Json.Serialization;
using Silk.Core.Entries;

namespace Silk.Api.Json;

/// <summary>An entry's payload as the original renders it: <c>{"op": tag, …fields}</c>. Write-only.</summary>
public sealed class GraphOpJsonConverter : JsonConverter<GraphOp>
{
    public override bool CanConvert(Type typeToConvert) => typeof(GraphOp).IsAssignableFrom(typeToConvert);

    public override GraphOp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new JsonException("operations are not read in this form");

    public override void Write(Utf8JsonWriter writer, GraphOp value, JsonSerializerOptions options) =>
        writer.WriteRawValue(GraphOpJson.ToJson(value), skipInputValidation: true);
}
