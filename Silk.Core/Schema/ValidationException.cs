namespace Silk.Core.Schema;

/// <summary>
/// A local write refused before anything was written: the schema (<see cref="SchemaException"/>),
/// value limits, a missing edge endpoint. <see cref="Rule"/> names the rule in snake_case
/// (<c>missing_required_property</c>, <c>value_limit</c>, <c>endpoint_not_found</c>, …).
/// </summary>
public class ValidationException : Exception
{
    public ValidationException(string rule, string message) : base(message)
    {
        Rule = rule;
    }

    public string Rule { get; }
}
