using System.Text.Json;
using System.Text.Json.Serialization;

namespace Silk.Api.Json;

/// <summary>
/// One set of JSON rules for requests, responses and the OpenAPI document: snake_case names as in the
/// original's dicts, and strict reading, because a silently dropped or coerced field would write something
/// the client did not mean: unknown fields, numbers in strings, nulls for required values and missing
/// required fields are all refused (400).
/// </summary>
public static class JsonSetup
{
    public static IServiceCollection AddSilkJson(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        return services;
    }

    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.AllowOutOfOrderMetadataProperties = true;
        options.AllowTrailingCommas = false;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new ValueJsonConverter());
        options.Converters.Add(new ValueMapJsonConverter());
        options.Converters.Add(new GraphOpJsonConverter());
    }
}
