namespace Silk.Core.Schema;

/// <summary>A local write or ontology change refused by the schema; nothing was written.</summary>
public sealed class SchemaException : Exception
{
    public SchemaException(SchemaViolation violation)
        : base(violation?.Message)
    {
        ArgumentNullException.ThrowIfNull(violation);
        Violation = violation;
    }

    public SchemaViolation Violation { get; }
}
