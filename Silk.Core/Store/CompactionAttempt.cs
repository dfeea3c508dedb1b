using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>The outcome of <see cref="GraphStore.TryCompact"/>: a checkpoint, or what stood in the way.</summary>
/// <param name="Checkpoint">The checkpoint that now starts the log; null when nothing was compacted.</param>
/// <param name="EntriesBefore">Entries in the log just before the compaction (0 when none ran).</param>
/// <param name="EntriesAfter">Entries in the log right after it (0 when none ran).</param>
/// <param name="Blockers">Why nothing was compacted; empty when a checkpoint was written.</param>
public sealed record CompactionAttempt(Hash? Checkpoint, int EntriesBefore, int EntriesAfter, IReadOnlyList<CompactionBlocker> Blockers)
{
    public bool Compacted => Checkpoint is not null;

    internal static CompactionAttempt Refused(IReadOnlyList<CompactionBlocker> blockers) => new(null, 0, 0, blockers);
}
