namespace Silk.Core.Indexing;

/// <summary>
/// An index on one property of the nodes of one type (and of the types below it in the hierarchy, as queries
/// on the type see them). Local and derived: never synced, never in the log, rebuilt from the graph.
/// </summary>
/// <param name="Name">Its name, unique in the store: letters, digits, <c>_ - .</c>, at most 64.</param>
/// <param name="NodeType">The node type it covers, with its descendants.</param>
/// <param name="Property">The property it orders those nodes by.</param>
public sealed record IndexDefinition(string Name, string NodeType, string Property)
{
    public const int MaxNameLength = 64;

    /// <summary>Why the definition cannot be used, or null.</summary>
    public string? Problem()
    {
        if (string.IsNullOrEmpty(Name) || Name.Length > MaxNameLength || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            return $"index name '{Name}' must be 1 to {MaxNameLength} letters, digits, '_', '-' or '.'";
        }

        if (string.IsNullOrEmpty(NodeType)) return $"index '{Name}' needs a node type";
        if (string.IsNullOrEmpty(Property)) return $"index '{Name}' needs a property";
        return null;
    }
}

/// <summary>Building (queries scan meanwhile) or ready (queries may use it).</summary>
public enum IndexState
{
    Building,
    Ready,
}

/// <summary>What <c>GET /indexes</c> tells of one index.</summary>
/// <param name="Definition">Name, node type and property.</param>
/// <param name="State">Building or ready.</param>
/// <param name="Entries">Nodes in the index (once ready).</param>
/// <param name="BuildDone">Nodes read so far by the build in progress (or the last build).</param>
/// <param name="BuildTotal">Nodes the build reads.</param>
/// <param name="BuildMilliseconds">How long the last finished build took; null while the first one runs.</param>
public sealed record IndexStatus(IndexDefinition Definition, IndexState State, int Entries, long BuildDone, long BuildTotal, double? BuildMilliseconds);
