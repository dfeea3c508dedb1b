using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace Silk.Api.Auth;

/// <summary>
/// How routes declare who may call them. Every endpoint declares exactly one of <see cref="RequireSilkRole{TBuilder}"/>
/// (usually on its route group) or <see cref="AllowSilkAnonymous{TBuilder}"/>; <see cref="Undeclared"/> lists those that
/// do not, and startup refuses to go on while there are any, so a new route cannot be open by omission.
/// </summary>
public static class SilkAccessConventions
{
    /// <summary>Calls need a key of this role (or one that includes it); documents the 401, 403 and 429 answers.</summary>
    public static TBuilder RequireSilkRole<TBuilder>(this TBuilder builder, SilkRole role) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(
            new SilkRoleMetadata(role),
            Problem(StatusCodes.Status401Unauthorized),
            Problem(StatusCodes.Status403Forbidden),
            Problem(StatusCodes.Status429TooManyRequests));
    }

    /// <summary>Open to anyone, with or without a key, and not rate limited.</summary>
    public static TBuilder AllowSilkAnonymous<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(SilkAnonymousMetadata.Instance);
    }

    /// <summary>The key may also come as <c>?access_token=</c> (for <c>EventSource</c>); documented as a query parameter.</summary>
    public static RouteHandlerBuilder AllowQueryAccessToken(this RouteHandlerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .WithMetadata(QueryAccessTokenMetadata.Instance)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = QueryAccessTokenMetadata.ParameterName,
                    In = ParameterLocation.Query,
                    Description = "The API key, for clients that cannot send headers (a browser's EventSource). "
                        + "`Authorization: Bearer` or `X-Api-Key` are preferred: query strings can end up in proxy logs. Never logged by this server.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
                return Task.CompletedTask;
            });
    }

    /// <summary>Endpoints that declare no access, or more than one; empty when every endpoint declares exactly one.</summary>
    public static IReadOnlyList<string> Undeclared(IEnumerable<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var roles = endpoint.Metadata.GetOrderedMetadata<SilkRoleMetadata>().Distinct().Count();
            var anonymous = endpoint.Metadata.GetMetadata<SilkAnonymousMetadata>() is null ? 0 : 1;
            if (roles + anonymous != 1) problems.Add($"{endpoint.DisplayName} ({roles} roles{(anonymous == 1 ? ", anonymous" : "")})");
        }

        return problems;
    }

    /// <summary>Stops startup when a mapped endpoint declares no access (see <see cref="Undeclared"/>).</summary>
    public static WebApplication CheckSilkAccessDeclared(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints);
        var undeclared = Undeclared(endpoints);
        if (undeclared.Count > 0)
        {
            throw new InvalidOperationException(
                "Every endpoint must declare its access with RequireSilkRole(…) or AllowSilkAnonymous(); these do not (or declare several): "
                + string.Join("; ", undeclared));
        }

        return app;
    }

    private static ProducesResponseTypeMetadata Problem(int status) => new(status, typeof(ProblemDetails), ["application/problem+json"]);
}
