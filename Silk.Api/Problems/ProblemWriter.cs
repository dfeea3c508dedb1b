using Microsoft.AspNetCore.Mvc;

namespace Silk.Api.Problems;

/// <summary>
/// Writes a problem as <c>application/problem+json</c> whatever the client's Accept header says. The problem
/// details service declines when Accept rules JSON out (a sync peer asking for MessagePack, an event-stream
/// client, a browser asking for HTML); the answer is then written anyway, because it is the only form there is
/// and a bare status would leave the client without the reason.
/// </summary>
internal static class ProblemWriter
{
    public const string MediaType = "application/problem+json";

    public static async Task WriteAsync(HttpContext httpContext, ProblemDetails problem, Exception? exception = null)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(problem);
        if (httpContext.RequestServices.GetService<IProblemDetailsService>() is { } service)
        {
            if (await service.TryWriteAsync(Context(httpContext, problem, exception)).ConfigureAwait(false)) return;

            // The service declined because of Accept alone; answered as if JSON were asked for, the problem gets
            // everything the service adds (type, title, trace id, customizations), not a reduced copy.
            httpContext.Request.Headers.Accept = MediaType;
            if (await service.TryWriteAsync(Context(httpContext, problem, exception)).ConfigureAwait(false)) return;
        }

        problem.Title ??= Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(problem.Status ?? httpContext.Response.StatusCode);
        await httpContext.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: MediaType).ConfigureAwait(false);
    }

    private static ProblemDetailsContext Context(HttpContext httpContext, ProblemDetails problem, Exception? exception) =>
        new() { HttpContext = httpContext, ProblemDetails = problem, Exception = exception };
}
