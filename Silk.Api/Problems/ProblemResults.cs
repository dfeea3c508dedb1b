using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Silk.Api.Problems;

/// <summary>
/// A typed result that writes an RFC 9457 problem as <c>application/problem+json</c> (the framework's
/// <c>NotFound&lt;ProblemDetails&gt;</c> and friends write plain <c>application/json</c>) and documents its status
/// and schema for the OpenAPI document, so that an endpoint's <c>Results&lt;…&gt;</c> union lists every answer.
/// </summary>
public abstract class ProblemResult<TProblem> : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<TProblem>
    where TProblem : ProblemDetails
{
    protected ProblemResult(TProblem problem, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(problem);
        problem.Status = statusCode;
        Value = problem;
        StatusCode = statusCode;
    }

    public TProblem Value { get; }

    public int StatusCode { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    object? IValueHttpResult.Value => Value;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCode;
        await ProblemWriter.WriteAsync(httpContext, Value);
    }

    protected static void Document(EndpointBuilder builder, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, typeof(TProblem), ["application/problem+json"]));
    }
}

/// <summary>400: the request is malformed (beyond what binding catches).</summary>
public sealed class BadRequestProblem(ProblemDetails problem) : ProblemResult<ProblemDetails>(problem, StatusCodes.Status400BadRequest), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status400BadRequest);
}

/// <summary>404: the node, edge or entry does not exist.</summary>
public sealed class NotFoundProblem(ProblemDetails problem) : ProblemResult<ProblemDetails>(problem, StatusCodes.Status404NotFound), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status404NotFound);
}

/// <summary>409: the write conflicts with the current state (e.g. an edge endpoint is missing, compaction is unsafe).</summary>
public sealed class ConflictProblem(ProblemDetails problem) : ProblemResult<ProblemDetails>(problem, StatusCodes.Status409Conflict), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status409Conflict);
}

/// <summary>422: the write breaks a rule of the ontology or a value limit; <c>rule</c> names it.</summary>
public sealed class UnprocessableProblem(ValidationProblem problem) : ProblemResult<ValidationProblem>(problem, StatusCodes.Status422UnprocessableEntity), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status422UnprocessableEntity);
}

/// <summary>503: the server cannot serve the request now.</summary>
public sealed class UnavailableProblem(ProblemDetails problem) : ProblemResult<ProblemDetails>(problem, StatusCodes.Status503ServiceUnavailable), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status503ServiceUnavailable);
}

/// <summary>401: no API key, or one this server does not know; carries <c>WWW-Authenticate: Bearer</c>.</summary>
public sealed class UnauthorizedProblem(ProblemDetails problem) : ProblemResult<ProblemDetails>(problem, StatusCodes.Status401Unauthorized), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status401Unauthorized);
}

/// <summary>403: the API key is valid but its role does not reach this route.</summary>
public sealed class ForbiddenProblem(ProblemDetails problem) : ProblemResult<ProblemDetails>(problem, StatusCodes.Status403Forbidden), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status403Forbidden);
}

/// <summary>429: the caller (key, or client address) is over its request rate or its number of open streams; see <c>Retry-After</c>.</summary>
public sealed class TooManyRequestsProblem(ProblemDetails problem) : ProblemResult<ProblemDetails>(problem, StatusCodes.Status429TooManyRequests), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status429TooManyRequests);
}
