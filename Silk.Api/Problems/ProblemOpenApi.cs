using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Silk.Api.Problems;

/// <summary>
/// Operations whose handler can refuse nothing (liveness, readiness) are still answered 400 by the server itself,
/// before any handler runs, when it cannot parse a request (a malformed request line or header). Such operations
/// document that 400, so that every operation names a client error. The status code is a plain one, not the
/// range <c>4XX</c>, which generated clients (NSwag) cannot compile.
/// </summary>
public static class ProblemOpenApi
{
    /// <summary>The description of that 400, which has no body: Kestrel answers it without running the app.</summary>
    public const string ServerRefusalDescription =
        "Bad Request: the server could not parse the request (malformed request line or headers) and refused it, without a body, before this operation ran";

    public static Task DocumentClientErrors(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        if (operation.Responses.Keys.Any(code => code.StartsWith('4'))) return Task.CompletedTask;
        operation.Responses["400"] = new OpenApiResponse
        {
            Description = ServerRefusalDescription,
        };
        return Task.CompletedTask;
    }
}
