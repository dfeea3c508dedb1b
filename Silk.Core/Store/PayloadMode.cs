namespace Silk.Core.Store;

/// <summary>How a payload for a peer's offer is computed.</summary>
public enum PayloadMode
{
    /// <summary>
    /// The original's rule: what the bloom filter lacks, every head, and every ancestor of those that is
    /// not one of the peer's heads. Safe for peers that fail a merge on a missing parent (the original),
    /// but re-sends shared history whenever the histories have diverged.
    /// </summary>
    Compatible,

    /// <summary>
    /// Only what the peer certainly lacks (absent from its bloom filter, not reachable from its heads)
    /// plus our heads, in the subset's own topological order. A bloom false positive leaves a parent out; our receiver holds such entries
    /// back and names the missing parents, which a further round supplies. For Silk .NET peers.
    /// </summary>
    Delta,
}
