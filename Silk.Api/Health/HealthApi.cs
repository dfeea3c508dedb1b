using Microsoft.AspNetCore.Http.HttpResults;
using Silk.Api.Auth;
using Silk.Api.Hosting;
using Silk.Api.Problems;

namespace Silk.Api.Health;

/// <summary>Liveness and readiness.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Health").AllowSilkAnonymous();

        group.MapGet("/healthz", GetHealth)
            .WithName("GetHealth")
            .WithSummary("Liveness check")
            .WithDescription("Returns {\"status\":\"ok\"} while the server is running.");

        group.MapGet("/readyz", GetReadiness)
            .WithName("GetReadiness")
            .WithSummary("Readiness check")
            .WithDescription("200 {\"status\":\"ready\"} while the store is open and accepts writes; 503 once a write could not be persisted.");

        return app;
    }

    internal static Ok<HealthResponse> GetHealth() => TypedResults.Ok(HealthResponse.Ok);

    internal static Results<Ok<HealthResponse>, UnavailableProblem> GetReadiness(StoreHost host) =>
        host.IsReady
            ? TypedResults.Ok(HealthResponse.Ready)
            : ApiProblems.Unavailable("the store refuses writes after a failed write; see the server log");
}

/// <summary>Body of <c>GET /healthz</c> and <c>GET /readyz</c>.</summary>
/// <param name="Status"><c>ok</c> (alive) or <c>ready</c> (store open).</param>
public sealed record HealthResponse(string Status)
{
    public static HealthResponse Ok { get; } = new("ok");

    public static HealthResponse Ready { get; } = new("ready");
}
