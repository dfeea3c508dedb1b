namespace Silk.Core.Schema;

/// <summary>A local write or ontology change refused by the schema; nothing was written.</summary>
public sealed class SchemaException : ValidationException
{
    public SchemaException(SchemaViolation violation)
        : base(RuleOf(violation), violation?.Message ?? string.Empty)
    {
        ArgumentNullException.ThrowIfNull(violation);
        Violation = violation;
    }

    public SchemaViolation Violation { get; }

    private static string RuleOf(SchemaViolation? violation) =>
        violation is null ? "schema" : System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(violation.Kind.ToString());
}
