namespace Silk.Core.Schema;

/// <summary>Ontology JSON that is not valid JSON or does not have the ontology's shape.</summary>
public sealed class OntologyFormatException : Exception
{
    public OntologyFormatException(string message) : base($"invalid ontology JSON: {message}") { }

    public OntologyFormatException(string message, Exception inner) : base($"invalid ontology JSON: {message}", inner) { }
}
