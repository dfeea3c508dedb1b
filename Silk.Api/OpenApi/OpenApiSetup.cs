using Microsoft.OpenApi;
using Silk.Api.Auth;
using Silk.Api.Problems;

namespace Silk.Api.OpenApi;

/// <summary>
/// OpenAPI document (Microsoft.AspNetCore.OpenApi) served as JSON and YAML, plus Swagger UI over it.
/// The document must not depend on the request (its one server is the relative <c>/</c>, not the address
/// that fetched it), so the committed <c>openapi.yaml</c> can be compared byte for byte with what the server
/// generates; it passes <c>redocly lint --extends recommended</c> without errors or warnings (a test runs it).
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
                    License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
                };
                // By default the document lists the address of the request that fetched it.
                document.Servers = [new OpenApiServer { Url = "/", Description = "The server that serves this document" }];
                TagDescriptions.Describe(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(ProblemOpenApi.DocumentClientErrors);
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
