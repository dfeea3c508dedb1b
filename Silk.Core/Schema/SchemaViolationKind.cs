namespace Silk.Core.Schema;

/// <summary>What a <see cref="SchemaViolation"/> is about; names follow the original's error variants.</summary>
public enum SchemaViolationKind
{
    /// <summary>A node type that the ontology does not define (or a parent_type naming one).</summary>
    UnknownNodeType,

    /// <summary>An edge type that the ontology does not define.</summary>
    UnknownEdgeType,

    MissingRequiredProperty,
    WrongPropertyType,
    ConstraintViolation,

    /// <summary>The node type declares subtypes but none was given.</summary>
    MissingSubtype,

    /// <summary>An edge's source node type is not allowed (or, in an ontology, not defined).</summary>
    InvalidSource,

    /// <summary>An edge's target node type is not allowed (or, in an ontology, not defined).</summary>
    InvalidTarget,

    /// <summary>A constraint name that nothing enforces and that is not marked <c>x_</c>.</summary>
    UnknownConstraint,

    DuplicateNodeType,
    DuplicateEdgeType,
    DuplicateProperty,

    /// <summary>An extension relaxes a property the type does not have.</summary>
    UnknownProperty,

    /// <summary>An edge type update binds a node type that does not exist.</summary>
    UnknownBindingType,

    /// <summary>An edge type update binds a node type it already binds.</summary>
    DuplicateBinding,

    /// <summary>An extension that would change nothing.</summary>
    EmptyExtension,

    /// <summary>The ontology an extension would produce is inconsistent; <see cref="SchemaViolation.Inner"/> says why.</summary>
    ValidationFailed,
}
