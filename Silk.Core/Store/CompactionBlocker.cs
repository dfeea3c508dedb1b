namespace Silk.Core.Store;

/// <summary>What kind of thing stands in the way of a safe compaction.</summary>
public enum CompactionBlockerKind
{
    /// <summary>A known peer has never synced with this store.</summary>
    PeerNeverSynced,

    /// <summary>A known peer last synced before the newest entry.</summary>
    PeerBehind,

    /// <summary>A checkpoint would not restate the live state exactly.</summary>
    LossyCheckpoint,

    /// <summary>A registered subscriber cursor names entries the log does not have.</summary>
    CursorUnknown,

    /// <summary>A registered subscriber cursor is behind the heads.</summary>
    CursorBehind,

    /// <summary>Another compaction is running (only <see cref="GraphStore.TryCompact"/> reports it).</summary>
    CompactionRunning,
}

/// <summary>One reason why compacting now is unsafe.</summary>
/// <param name="Kind">What kind of reason it is.</param>
/// <param name="Subject">Whom it is about: the peer id, <c>cursor #i</c>, or empty.</param>
/// <param name="Reason">The reason in words (what <see cref="GraphStore.VerifyCompactionSafe"/> lists).</param>
public sealed record CompactionBlocker(CompactionBlockerKind Kind, string Subject, string Reason);
