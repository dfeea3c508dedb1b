using Microsoft.AspNetCore.Http.HttpResults;

namespace Silk.Api.Health;

/// <summary>Liveness endpoint: answers as soon as the server accepts requests.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/healthz").WithTags("Health");

        group.MapGet("", GetHealth)
            .WithName("GetHealth")
            .WithSummary("Liveness check")
            .WithDescription("Returns {\"status\":\"ok\"} while the server is running.");

        return app;
    }

    internal static Ok<HealthResponse> GetHealth() => TypedResults.Ok(HealthResponse.Ok);
}

/// <summary>Body of <c>GET /healthz</c>.</summary>
/// <param name="Status">Always <c>ok</c> while the server answers.</param>
public sealed record HealthResponse(string Status)
{
    public static HealthResponse Ok { get; } = new("ok");
}
