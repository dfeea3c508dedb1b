using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Silk.Api.Auth;

/// <summary>
/// The OpenAPI document's side of authentication: the two ways to send a key as security schemes (so Swagger UI
/// offers "Authorize"), and on each operation that needs a key, those schemes and the role it needs.
/// </summary>
internal static class AuthOpenApi
{
    public const string BearerScheme = "bearer";
    public const string ApiKeyScheme = "api_key";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key of Silk:Auth:Keys as `Authorization: Bearer <key>`.",
            };
            document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = SilkAuthMiddleware.ApiKeyHeader,
                Description = "An API key of Silk:Auth:Keys as `X-Api-Key: <key>`.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<SilkAnonymousMetadata>().Any())
            {
                // Open to anyone: said explicitly, so a reader (or linter) does not take a missing list for an oversight.
                operation.Security = [];
                return Task.CompletedTask;
            }

            var role = metadata.OfType<SilkRoleMetadata>().LastOrDefault()?.Role;
            if (role is not { } needed) return Task.CompletedTask;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] });
            var reaches = needed switch
            {
                SilkRole.Read => "`read`, `write` or `admin`",
                SilkRole.Write => "`write` or `admin`",
                SilkRole.Peer => "`peer` or `admin`",
                _ => "`admin`",
            };
            operation.Description = (string.IsNullOrEmpty(operation.Description) ? "" : operation.Description + "\n\n")
                + $"Role: {needed.Name()} (a key of role {reaches}, when keys are configured).";
            return Task.CompletedTask;
        });
    }
}
