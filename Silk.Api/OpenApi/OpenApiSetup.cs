using Microsoft.OpenApi;
using Silk.Api.Auth;

namespace Silk.Api.OpenApi;

/// <summary>
/// OpenAPI document (Microsoft.AspNetCore.OpenApi) served as JSON and YAML, plus Swagger UI over it.
/// The document must not depend on the request (no <c>servers</c> entry), so the committed
/// <c>openapi.yaml</c> can be compared byte for byte with what the server generates.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string JsonPath = "/openapi/v1.json";
    public const string YamlPath = "/openapi/v1.yaml";
    public const string SwaggerUiPrefix = "swagger";

    public static IServiceCollection AddSilkOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Silk API",
                    Version = "v1",
                    Description = "HTTP API of the Silk Merkle-CRDT graph database server.",
                };
                // By default the document lists the address of the request that fetched it.
                document.Servers = null;
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer<SilkSchemaTransformer>();
        });
        return services;
    }

    public static WebApplication MapSilkOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowSilkAnonymous();
        app.MapOpenApi("/openapi/{documentName}.yaml").AllowSilkAnonymous();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = SwaggerUiPrefix;
            o.SwaggerEndpoint(JsonPath, "Silk API v1");
        });
        return app;
    }
}
