using System.Collections.Immutable;
using System.Text;
using Silk.Core.Wire;

namespace Silk.Core.Schema;

/// <summary>
/// Why a write, an ontology or an extension was refused. <see cref="Message"/> is exactly the original's
/// Display text: it is stored as the quarantine reason and compared byte for byte across peers, so it is
/// built once here and nowhere else. Create instances with the factory methods.
/// </summary>
public sealed record SchemaViolation
{
    private SchemaViolation(SchemaViolationKind kind, string message, string debugText)
    {
        Kind = kind;
        Message = message;
        DebugText = debugText;
    }

    public SchemaViolationKind Kind { get; }

    /// <summary>The original's Display text (quarantine reason, local error message).</summary>
    public string Message { get; }

    /// <summary>The original's Rust Debug form (<c>error_debug</c> in the conformance vectors); diagnostics only.</summary>
    public string DebugText { get; }

    /// <summary>
    /// The node or edge type at fault: the type whose properties failed, the unknown or duplicate type,
    /// the edge type of a source/target/binding problem, <c>T:S</c> for a subtype's property, or the
    /// declaring type of a dangling parent_type.
    /// </summary>
    public string? TypeName { get; private init; }

    /// <summary>The offending node type of a source/target/binding problem, or the missing parent type.</summary>
    public string? NodeType { get; private init; }

    public string? Property { get; private init; }

    public string? Constraint { get; private init; }

    /// <summary>The constraint's own explanation (after the colon in <see cref="Message"/>).</summary>
    public string? Detail { get; private init; }

    public ValueType? Expected { get; private init; }

    /// <summary>The kind name of the value that had the wrong type ("int", "float", …).</summary>
    public string? Got { get; private init; }

    /// <summary>Allowed subtypes, allowed endpoint types, or the enforced constraint names.</summary>
    public ImmutableArray<string> Allowed { get; private init; } = [];

    /// <summary>For <see cref="SchemaViolationKind.ValidationFailed"/>: what made the merged ontology inconsistent.</summary>
    public SchemaViolation? Inner { get; private init; }

    public bool Equals(SchemaViolation? other) =>
        other is not null
        && Kind == other.Kind
        && string.Equals(Message, other.Message, StringComparison.Ordinal)
        && string.Equals(DebugText, other.DebugText, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Message));

    public override string ToString() => Message;

    // ---- validation of nodes, edges and property values ----

    public static SchemaViolation UnknownNodeType(string nodeType) =>
        new(SchemaViolationKind.UnknownNodeType, $"unknown node type: '{nodeType}'", Tuple("UnknownNodeType", nodeType))
        {
            TypeName = nodeType,
        };

    public static SchemaViolation UnknownEdgeType(string edgeType) =>
        new(SchemaViolationKind.UnknownEdgeType, $"unknown edge type: '{edgeType}'", Tuple("UnknownEdgeType", edgeType))
        {
            TypeName = edgeType,
        };

    public static SchemaViolation MissingRequiredProperty(string typeName, string property) =>
        new(SchemaViolationKind.MissingRequiredProperty,
            $"'{typeName}' requires property '{property}'",
            Struct("MissingRequiredProperty", ("type_name", Str(typeName)), ("property", Str(property))))
        {
            TypeName = typeName,
            Property = property,
        };

    public static SchemaViolation WrongPropertyType(string typeName, string property, ValueType expected, string got) =>
        new(SchemaViolationKind.WrongPropertyType,
            $"'{typeName}'.'{property}' expects {expected}, got {got}",
            Struct("WrongPropertyType", ("type_name", Str(typeName)), ("property", Str(property)), ("expected", expected.ToString()), ("got", Str(got))))
        {
            TypeName = typeName,
            Property = property,
            Expected = expected,
            Got = got,
        };

    public static SchemaViolation ConstraintViolation(string typeName, string property, string constraint, string detail) =>
        new(SchemaViolationKind.ConstraintViolation,
            $"'{typeName}'.'{property}' violates constraint '{constraint}': {detail}",
            Struct("ConstraintViolation", ("type_name", Str(typeName)), ("property", Str(property)), ("constraint", Str(constraint)), ("message", Str(detail))))
        {
            TypeName = typeName,
            Property = property,
            Constraint = constraint,
            Detail = detail,
        };

    public static SchemaViolation MissingSubtype(string nodeType, IEnumerable<string> allowed)
    {
        var list = allowed.ToImmutableArray();
        return new(SchemaViolationKind.MissingSubtype,
            $"'{nodeType}' requires a subtype (allowed: {RustDebug.StringList(list)})",
            Struct("MissingSubtype", ("node_type", Str(nodeType)), ("allowed", RustDebug.StringList(list))))
        {
            TypeName = nodeType,
            Allowed = list,
        };
    }

    public static SchemaViolation InvalidSource(string edgeType, string nodeType, IEnumerable<string> allowed) =>
        Endpoint(SchemaViolationKind.InvalidSource, "source", edgeType, nodeType, allowed);

    public static SchemaViolation InvalidTarget(string edgeType, string nodeType, IEnumerable<string> allowed) =>
        Endpoint(SchemaViolationKind.InvalidTarget, "target", edgeType, nodeType, allowed);

    private static SchemaViolation Endpoint(SchemaViolationKind kind, string end, string edgeType, string nodeType, IEnumerable<string> allowed)
    {
        var list = allowed.ToImmutableArray();
        return new(kind,
            $"edge '{edgeType}' cannot have {end} type '{nodeType}' (allowed: {RustDebug.StringList(list)})",
            Struct(kind.ToString(), ("edge_type", Str(edgeType)), ("node_type", Str(nodeType)), ("allowed", RustDebug.StringList(list))))
        {
            TypeName = edgeType,
            NodeType = nodeType,
            Allowed = list,
        };
    }

    // ---- consistency of an ontology ----

    /// <summary>A parent_type that names no node type. The original folds both names into one string.</summary>
    public static SchemaViolation UnknownParentType(string nodeType, string parentType)
    {
        var folded = $"{nodeType}: parent_type '{parentType}' does not exist";
        return new(SchemaViolationKind.UnknownNodeType, $"unknown node type: '{folded}'", Tuple("UnknownNodeType", folded))
        {
            TypeName = nodeType,
            NodeType = parentType,
        };
    }

    public static SchemaViolation UnknownConstraint(string typeName, string property, string constraint, IEnumerable<string> enforced)
    {
        var list = enforced.ToImmutableArray();
        return new(SchemaViolationKind.UnknownConstraint,
            $"'{typeName}'.'{property}' declares unknown constraint '{constraint}' (enforced: {string.Join(", ", list)}); "
            + "nothing would check it. Prefix it 'x_' to declare it deliberately unenforced.",
            Struct("UnknownConstraint", ("type_name", Str(typeName)), ("property", Str(property)), ("constraint", Str(constraint)), ("known", RustDebug.StringList(list))))
        {
            TypeName = typeName,
            Property = property,
            Constraint = constraint,
            Allowed = list,
        };
    }

    // ---- ontology extensions ----

    public static SchemaViolation EmptyExtension() =>
        new(SchemaViolationKind.EmptyExtension,
            "extension expresses no change; nothing would be added. An extension that changes nothing must not be written to the log",
            "EmptyExtension");

    public static SchemaViolation DuplicateNodeType(string nodeType) =>
        new(SchemaViolationKind.DuplicateNodeType, $"node type '{nodeType}' already exists", Tuple("DuplicateNodeType", nodeType))
        {
            TypeName = nodeType,
        };

    public static SchemaViolation DuplicateEdgeType(string edgeType) =>
        new(SchemaViolationKind.DuplicateEdgeType, $"edge type '{edgeType}' already exists", Tuple("DuplicateEdgeType", edgeType))
        {
            TypeName = edgeType,
        };

    /// <summary>An extension updates a node type that does not exist (worded differently from <see cref="UnknownNodeType"/>, as in the original).</summary>
    public static SchemaViolation UpdateOfUnknownNodeType(string nodeType) =>
        new(SchemaViolationKind.UnknownNodeType, $"cannot update unknown node type '{nodeType}'", Tuple("UnknownNodeType", nodeType))
        {
            TypeName = nodeType,
        };

    /// <summary>An extension updates an edge type that does not exist.</summary>
    public static SchemaViolation UpdateOfUnknownEdgeType(string edgeType) =>
        new(SchemaViolationKind.UnknownEdgeType, $"cannot update unknown edge type '{edgeType}'", Tuple("UnknownEdgeType", edgeType))
        {
            TypeName = edgeType,
        };

    /// <summary>A property (or <c>subtype:&lt;name&gt;</c>) an extension adds already exists on the type.</summary>
    public static SchemaViolation DuplicateProperty(string typeName, string property) =>
        new(SchemaViolationKind.DuplicateProperty,
            $"property '{property}' already exists on '{typeName}'",
            Struct("DuplicateProperty", ("type_name", Str(typeName)), ("property", Str(property))))
        {
            TypeName = typeName,
            Property = property,
        };

    /// <summary>An extension relaxes a property the type does not declare.</summary>
    public static SchemaViolation UnknownProperty(string typeName, string property) =>
        new(SchemaViolationKind.UnknownProperty,
            $"property '{property}' does not exist on '{typeName}' (cannot relax)",
            Struct("UnknownProperty", ("type_name", Str(typeName)), ("property", Str(property))))
        {
            TypeName = typeName,
            Property = property,
        };

    public static SchemaViolation UnknownBindingType(string edgeType, string nodeType) =>
        new(SchemaViolationKind.UnknownBindingType,
            $"edge type '{edgeType}' cannot bind to unknown node type '{nodeType}'",
            Struct("UnknownBindingType", ("edge_type", Str(edgeType)), ("node_type", Str(nodeType))))
        {
            TypeName = edgeType,
            NodeType = nodeType,
        };

    public static SchemaViolation DuplicateBinding(string edgeType, string nodeType) =>
        new(SchemaViolationKind.DuplicateBinding,
            $"edge type '{edgeType}' already binds '{nodeType}'; this extension would change nothing",
            Struct("DuplicateBinding", ("edge_type", Str(edgeType)), ("node_type", Str(nodeType))))
        {
            TypeName = edgeType,
            NodeType = nodeType,
        };

    public static SchemaViolation ValidationFailed(SchemaViolation inner) =>
        new(SchemaViolationKind.ValidationFailed,
            $"ontology validation failed after merge: {inner.Message}",
            $"ValidationFailed({inner.DebugText})")
        {
            Inner = inner,
        };

    // ---- Rust Debug layout ----

    private static string Str(string value) => RustDebug.String(value);

    private static string Tuple(string variant, string field) => $"{variant}({Str(field)})";

    private static string Struct(string variant, params (string Name, string Debug)[] fields)
    {
        var sb = new StringBuilder(variant).Append(" { ");
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(fields[i].Name).Append(": ").Append(fields[i].Debug);
        }

        return sb.Append(" }").ToString();
    }
}
