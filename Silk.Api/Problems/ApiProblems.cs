using Microsoft.AspNetCore.Mvc;
using Silk.Core.Schema;

namespace Silk.Api.Problems;

/// <summary>
/// RFC 9457 problem bodies for the typed results the endpoints return. Validation failures carry the
/// rule that refused the write (<c>rule</c>); for a value limit, the limit's name and value (<c>limit</c>,
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

    /// <summary>A problem for a refused write: the validation message, the rule, and the details of a schema violation.</summary>
    public static ProblemDetails Validation(int status, ValidationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var problem = Create(status, exception.Message, status == StatusCodes.Status409Conflict ? "Conflict" : "Validation failed");
        problem.Extensions["rule"] = exception.Rule;
        if (exception is ValueLimitException limit)
        {
            problem.Extensions["limit"] = limit.Limit;
            problem.Extensions["limit_value"] = limit.Bound;
        }

        if (exception is SchemaException { Violation: var v })
        {
            AddIfSet(problem, "type_name", v.TypeName);
            AddIfSet(problem, "node_type", v.NodeType);
            AddIfSet(problem, "property", v.Property);
            AddIfSet(problem, "constraint", v.Constraint);
            if (v.Expected is { } expected) problem.Extensions["expected"] = expected.ToString().ToLowerInvariant();
            AddIfSet(problem, "got", v.Got);
            if (!v.Allowed.IsDefaultOrEmpty) problem.Extensions["allowed"] = v.Allowed.ToArray();
        }

        return problem;
    }

    private static void AddIfSet(ProblemDetails problem, string name, string? value)
    {
        if (value is not null) problem.Extensions[name] = value;
    }
}
