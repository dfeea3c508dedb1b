using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>An entry a merge left out, and why (clock drift, signature policy).</summary>
public sealed record DroppedEntry(Hash Hash, string Reason);

/// <summary>
/// What a merge did: entries newly inserted, entries already known, entries dropped by a filter,
/// entries held back until their parents arrive, the parents still missing (ask the peer for them),
/// and the heads afterwards.
/// </summary>
public sealed record MergeResult(
    int Inserted,
    int AlreadyKnown,
    IReadOnlyList<DroppedEntry> Dropped,
    int Pending,
    IReadOnlyList<Hash> MissingParents,
    IReadOnlyList<Hash> Heads)
{
    /// <summary>Of the inserted entries, those that landed in quarantine (valid, but refused by this store's schema).</summary>
    public int Quarantined { get; init; }
}
