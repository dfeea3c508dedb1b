namespace Silk.Core.Schema;

/// <summary>
/// How a local ontology relates to a foreign one (the original's <c>check_ontology_compatibility</c> verdicts).
/// Advisory: nothing on the sync path depends on it; entries of types unknown here are quarantined as usual.
/// </summary>
public enum OntologyCompatibility
{
    /// <summary>The same content hash, or the same facts (descriptions differ, say).</summary>
    Identical,

    /// <summary>Every foreign fact is a local fact, and there are more here (e.g. an edge widened here).</summary>
    Superset,

    /// <summary>Every local fact is a foreign fact, and the peer knows more.</summary>
    Subset,

    /// <summary>Each side has facts the other lacks: a fork, not one side extending the other.</summary>
    Divergent,
}
