using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Silk.Api.Problems;

namespace Silk.Api.Auth;

/// <summary>Answer of <c>POST /auth/tail-token</c>.</summary>
/// <param name="AccessToken">Pass as <c>GET /tail?access_token=…</c>.</param>
/// <param name="ExpiresAtMs">Wall time (ms) after which the token is refused (a stream opened before goes on).</param>
/// <param name="ExpiresInSeconds">Seconds the token is valid from now.</param>
public sealed record TailToken(string AccessToken, long ExpiresAtMs, int ExpiresInSeconds);

/// <summary>The <c>Silk:Auth</c> settings besides the keys.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Silk:Auth";

    /// <summary>How long a token of <c>POST /auth/tail-token</c> is valid.</summary>
    public int TailTokenSeconds { get; set; } = 300;
}

/// <summary><c>POST /auth/tail-token</c>: a short-lived token for <c>GET /tail</c> in a browser.</summary>
public static class TailTokenApi
{
    public static IEndpointRouteBuilder MapTailTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth/tail-token", IssueTailToken)
            .RequireSilkRole(SilkRole.Read)
            .WithTags("Auth")
            .WithName("IssueTailToken")
            .WithSummary("A short-lived token for GET /tail")
            .WithDescription("A token to pass as `GET /tail?access_token=…` instead of the key itself, which a browser's EventSource would "
                + "otherwise carry in its URL: it acts with the calling key's role, expires after Silk:Auth:TailTokenSeconds (default 300), "
                + "and does not survive a restart of the server. It is checked when a request starts: a stream opened in time runs on, but "
                + "an EventSource reconnecting after expiry gets 401 and the page must fetch a new token. 409 when authentication is off.");
        return app;
    }

    internal static Results<Ok<TailToken>, ConflictProblem> IssueTailToken(HttpContext context, ApiKeyRing keys, TailTokens tokens, IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!keys.Enabled || context.Features.Get<SilkCaller>() is not { } caller || keys.Entries.FirstOrDefault(e => e.Name == caller.Name) is not { } entry)
        {
            return ApiProblems.Conflict($"Authentication is off (no keys in {ApiKeyRing.SectionName}): GET /tail needs no token.");
        }

        var seconds = options.Value.TailTokenSeconds;
        var (token, expires) = tokens.Issue(entry, TimeSpan.FromSeconds(seconds));
        return TypedResults.Ok(new TailToken(token, expires.ToUnixTimeMilliseconds(), seconds));
    }
}
