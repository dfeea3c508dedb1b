using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Api.Problems;

/// <summary>
/// Turns client mistakes that surface as exceptions into problem+json 4xx answers: request binding errors
/// (malformed JSON, wrong types, unknown or missing fields, unparsable query values, unsupported media
/// types, oversized bodies) and, as a safety net behind the endpoints' own handling, refused writes and
/// unreadable ontology or value JSON. Everything else is left to the default 500 handler.
/// </summary>
internal sealed class ClientErrorExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException bad => ApiProblems.Create(bad.StatusCode, Describe(bad)),
            JsonException json => ApiProblems.Create(StatusCodes.Status400BadRequest, json.Message),
            OntologyFormatException or WireFormatException => ApiProblems.Create(StatusCodes.Status400BadRequest, exception.Message),
            ValidationException validation when ApiProblems.IsConflict(validation) => ApiProblems.Validation(StatusCodes.Status409Conflict, validation),
            ValidationException validation => ApiProblems.Validation(StatusCodes.Status422UnprocessableEntity, validation),
            _ => null,
        };
        if (problem is null) return false;

        httpContext.Response.StatusCode = problem.Status!.Value;
        await ProblemWriter.WriteAsync(httpContext, problem, exception).ConfigureAwait(false);
        return true;
    }

    /// <summary>The framework's message, with the JSON reader's own explanation (which names the field) when there is one.</summary>
    private static string Describe(BadHttpRequestException exception) => exception.InnerException switch
    {
        JsonException json => $"{exception.Message} {json.Message}",
        BadHttpRequestException inner => inner.Message,
        _ => exception.Message,
    };
}
