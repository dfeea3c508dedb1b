using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Silk.Api.Nodes;
using Silk.Api.TimeTravel;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Api.OpenApi;

/// <summary>
/// Schemas for the types the API writes with its own JSON converters (which the generator cannot see
/// into), and for problem bodies, which carry extension members such as <c>rule</c>.
/// </summary>
internal sealed class SilkSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (context.JsonPropertyInfo is null) DocumentOmittedWhenNull(schema, context.JsonTypeInfo);
        if (type == typeof(ValueMap))
        {
            schema.Type = JsonSchemaType.Object;
            schema.AdditionalProperties = new OpenApiSchema { Description = ValueDescription };
            schema.Description = "Properties by name. " + ValueDescription;
        }
        else if (type == typeof(Value))
        {
            schema.Description = ValueDescription;
        }
        else if (type == typeof(GraphOp))
        {
            schema.Type = JsonSchemaType.Object;
            schema.Required = new HashSet<string> { "op" };
            schema.Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["op"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "The operation: define_ontology, add_node, add_edge, update_property, remove_node, remove_edge, extend_ontology, define_lens or checkpoint.",
                },
            };
            schema.AdditionalProperties = new OpenApiSchema();
            schema.Description = "An operation as the original renders it: its tag in `op` and its fields (e.g. add_node: node_id, node_type, subtype, label, properties).";
        }
        else if (type == typeof(AsOf))
        {
            schema.Type = JsonSchemaType.String;
            schema.Pattern = @"^[0-9]+(\.[0-9]+)?$";
            schema.Properties = null;
            schema.AdditionalProperties = null;
            schema.AdditionalPropertiesAllowed = true;
            schema.Description = "A clock reading: `<physical_ms>[.<logical>]`.";
        }
        else if (type == typeof(Direction))
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. Direction.Names.Select(n => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(n))];
            schema.Properties = null;
            schema.AdditionalProperties = null;
            schema.AdditionalPropertiesAllowed = true;
            schema.Required = null;
        }
        else if (type.IsEnum)
        {
            // Enums are written as their snake_case names; a nullable one is documented by a oneOf with null around it.
            schema.Type = JsonSchemaType.String;
            schema.Enum = schema.Enum?.Where(v => v is not null).ToList();
        }
        else if (typeof(ProblemDetails).IsAssignableFrom(type))
        {
            // Validation problems add rule, type_name, property, constraint, …; unsafe compaction adds reasons.
            schema.AdditionalProperties = new OpenApiSchema();
            schema.AdditionalPropertiesAllowed = true;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A member written only when set (<c>[JsonIgnore(Condition = WhenWritingNull)]</c>) is absent, never null, when
    /// unset; the generator would list it as required and nullable, so clients would expect a null that never comes.
    /// </summary>
    private static void DocumentOmittedWhenNull(OpenApiSchema schema, JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object || schema.Properties is null) return;
        foreach (var property in typeInfo.Properties)
        {
            var omitted = property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
                .OfType<JsonIgnoreAttribute>()
                .Any(a => a.Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault) == true;
            if (!omitted || !schema.Properties.TryGetValue(property.Name, out var propertySchema)) continue;
            schema.Required?.Remove(property.Name);
            if (propertySchema is OpenApiSchema { Type: { } kinds } inline && kinds != JsonSchemaType.Null) inline.Type = kinds & ~JsonSchemaType.Null;
        }
    }

    private const string ValueDescription =
        "A property value: any JSON value. A number without fraction or exponent is an Int, one with either is a Float (1 and 1.0 differ); Floats are always written with a decimal point or exponent.";
}
