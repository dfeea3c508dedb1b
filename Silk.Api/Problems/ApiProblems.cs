using Microsoft.AspNetCore.Mvc;
using Silk.Core.Schema;

namespace Silk.Api.Problems;

/// <summary>
/// RFC 9457 problem bodies for the typed results the endpoints return. Validation failures carry the
/// rule that refused the write (<c>rule</c>, a <see cref="ValidationProblem"/>); for a value limit, the limit's name and value (<c>limit</c>,
/// <c>limit_value</c>); for ontology violations, the type, property and constraint at fault.
/// </summary>
public static class ApiProblems
{
    /// <summary>The rule of a write whose edge names a node that does not exist: a 409, not a 422.</summary>
    public const string EndpointNotFoundRule = "endpoint_not_found";

    public static ProblemDetails Create(int status, string detail, string? title = null)
    {
        var problem = new ProblemDetails { Status = status, Detail = detail };
        if (title is not null) problem.Title = title;
        return problem;
    }

    public static BadRequestProblem BadRequest(string detail) => new(Create(StatusCodes.Status400BadRequest, detail));

    /// <summary>
    /// A 400 for a selector, sort or cursor that cannot be used: <c>pointer</c> is the JSON pointer of the fault (in the
    /// body, or in the query value <c>parameter</c> names).
    /// </summary>
    public static BadRequestProblem BadRequest(Core.Query.SelectorException exception, string? parameter = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var at = exception.Path.Length == 0 ? "/" : exception.Path;
        var problem = Create(StatusCodes.Status400BadRequest, parameter is null ? $"{at}: {exception.Reason}" : $"{parameter} {at}: {exception.Reason}");
        problem.Extensions["pointer"] = exception.Path;
        if (parameter is not null) problem.Extensions["parameter"] = parameter;
        return new BadRequestProblem(problem);
    }

    public static NotFoundProblem NotFound(string detail) => new(Create(StatusCodes.Status404NotFound, detail));

    public static ConflictProblem Conflict(string detail, string? rule = null)
    {
        var problem = Create(StatusCodes.Status409Conflict, detail);
        if (rule is not null) problem.Extensions["rule"] = rule;
        return new ConflictProblem(problem);
    }

    public static ConflictProblem Conflict(ValidationException exception) =>
        new(Validation(StatusCodes.Status409Conflict, exception));

    public static UnprocessableProblem Unprocessable(ValidationException exception) =>
        new(Validation(StatusCodes.Status422UnprocessableEntity, exception));

    public static UnavailableProblem Unavailable(string detail) => new(Create(StatusCodes.Status503ServiceUnavailable, detail));

    /// <summary>Whether a refused write conflicts with the current state (409) rather than breaking a rule (422).</summary>
    public static bool IsConflict(ValidationException exception) => exception?.Rule == EndpointNotFoundRule;

    /// <summary>A 422 that is not a schema or limit violation: its own rule, detail and title.</summary>
    public static UnprocessableProblem Unprocessable(string rule, string detail, string title) =>
        new(new ValidationProblem { Rule = rule, Status = StatusCodes.Status422UnprocessableEntity, Detail = detail, Title = title });

    /// <summary>A problem for a refused write: the validation message, the rule, and the details of a schema violation.</summary>
    public static ValidationProblem Validation(int status, ValidationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var limit = exception as ValueLimitException;
        var violation = (exception as SchemaException)?.Violation;
        return new ValidationProblem
        {
            Status = status,
            Detail = exception.Message,
            Title = status == StatusCodes.Status409Conflict ? "Conflict" : "Validation failed",
            Rule = exception.Rule,
            Limit = limit?.Limit,
            LimitValue = limit?.Bound,
            TypeName = violation?.TypeName,
            NodeType = violation?.NodeType,
            Property = violation?.Property,
            Constraint = violation?.Constraint,
            Expected = violation?.Expected?.ToString().ToLowerInvariant(),
            Got = violation?.Got,
            Allowed = violation is null || violation.Allowed.IsDefaultOrEmpty ? null : violation.Allowed.ToArray(),
        };
    }
}
