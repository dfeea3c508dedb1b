using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Silk.Api.Diagnostics;
using Silk.Api.Problems;

namespace Silk.Api.Auth;

/// <summary>
/// Checks the API key of every request to an endpoint that needs a role: 401 (with <c>WWW-Authenticate: Bearer</c>)
/// without a key or with an unknown one, 403 when the key's role does not reach the route; both problem+json and
/// before the body is read. The key comes as <c>Authorization: Bearer</c>, <c>X-Api-Key</c>, or, on routes with
/// <see cref="QueryAccessTokenMetadata"/>, <c>?access_token=</c>. Keys and tokens are never logged.
/// </summary>
internal sealed partial class SilkAuthMiddleware(RequestDelegate next, ApiKeyRing keys, TailTokens tokens, ILogger<SilkAuthMiddleware> logger)
{
    public const string ApiKeyHeader = "X-Api-Key";

    public Task InvokeAsync(HttpContext context)
    {
        // No endpoint: a 404, or middleware such as Swagger UI that serves only static files.
        if (!keys.Enabled || context.GetEndpoint() is not { } endpoint || endpoint.Metadata.GetMetadata<SilkAnonymousMetadata>() is not null)
        {
            return next(context);
        }

        // An endpoint without a declaration cannot start (SilkAccessConventions); were one to slip through, it is admin-only.
        var required = endpoint.Metadata.GetMetadata<SilkRoleMetadata>()?.Role ?? SilkRole.Admin;
        var tokenRoute = endpoint.Metadata.GetMetadata<QueryAccessTokenMetadata>() is not null;
        var presented = PresentedKey(context.Request, tokenRoute, out var malformed);
        if (presented is null)
        {
            LogRefused(logger, context.Request.Method, context.Request.Path, "no key");
            return Unauthorized(context, malformed
                ? "The Authorization header must be `Bearer <key>`."
                : $"This route needs an API key with role {required.Name()}: send `Authorization: Bearer <key>` or `{ApiKeyHeader}: <key>`.",
                "Bearer realm=\"silk\"");
        }

        if ((keys.Find(presented) ?? (tokenRoute ? tokens.Validate(presented, keys) : null)) is not { } entry)
        {
            LogRefused(logger, context.Request.Method, context.Request.Path, "unknown key");
            return Unauthorized(context, tokenRoute ? "The API key or token is not valid (a token of POST /auth/tail-token expires)." : "The API key is not valid.",
                "Bearer realm=\"silk\", error=\"invalid_token\"");
        }

        if (!entry.Role.Grants(required))
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var reason = $"key '{entry.Name}' has role {entry.Role.Name()}";
                LogRefused(logger, context.Request.Method, context.Request.Path, reason);
            }
            var problem = ApiProblems.Create(StatusCodes.Status403Forbidden,
                $"The key '{entry.Name}' has role {entry.Role.Name()}; this route needs {required.Name()}{(required == SilkRole.Peer ? " (or admin)" : " or a role that includes it")}.",
                "Forbidden");
            return new ForbiddenProblem(problem).ExecuteAsync(context);
        }

        context.Features.Set(new SilkCaller(entry.Name, entry.Role));
        return next(context);
    }

    /// <summary>The key from the headers (Bearer, then X-Api-Key), else from the query when allowed; null when none.</summary>
    private static string? PresentedKey(HttpRequest request, bool queryAllowed, out bool malformed)
    {
        malformed = false;
        var authorization = request.Headers.Authorization;
        if (!StringValues.IsNullOrEmpty(authorization))
        {
            var value = authorization.ToString();
            const string scheme = "Bearer ";
            if (authorization.Count == 1 && value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && value[scheme.Length..].Trim() is { Length: > 0 } bearer)
            {
                return bearer;
            }

            malformed = true;
            return null;
        }

        if (request.Headers[ApiKeyHeader] is { Count: 1 } header && header.ToString().Trim() is { Length: > 0 } key) return key;
        if (queryAllowed && request.Query[QueryAccessTokenMetadata.ParameterName] is { Count: 1 } query && query.ToString() is { Length: > 0 } token) return token;
        return null;
    }

    private static Task Unauthorized(HttpContext context, string detail, string challenge)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = challenge;
        return new UnauthorizedProblem(ApiProblems.Create(StatusCodes.Status401Unauthorized, detail, "Unauthorized")).ExecuteAsync(context);
    }

    [LoggerMessage(EventId = LogEvents.RequestRefused, Level = LogLevel.Debug, Message = "Refused {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string reason);
}
