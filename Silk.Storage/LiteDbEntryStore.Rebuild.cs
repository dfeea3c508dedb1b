using LiteDB;
using Silk.Core.Persistence;

namespace Silk.Storage;

/// <summary>Replacing the whole log (compaction, bootstrap) and reclaiming space: a new database built beside the old one and swapped in, and the repair of a swap a crash interrupted.</summary>
public sealed partial class LiteDbEntryStore
{
    /// <summary>
    /// Old log out, new log in, one LiteDB transaction. First everything journaled is folded into LiteDB
    /// and checkpointed and the journal emptied, so a crash can never replay pre-compaction entries on top
    /// of the replacement: after a crash the store holds the old log or the new one, never a mix.
    /// </summary>
    public void ReplaceAll(IReadOnlyList<StoredEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_journalLock)
        {
            ThrowIfUnusable();
            FoldJournalLocked();
            lock (_dbLock)
            {
                InTransaction(() =>
                {
                    _entries.DeleteAll();
                    _chunks.DeleteAll();
                    foreach (var entry in entries) Insert(entry, replay: false);
                    _count = entries.Count;
                    _lastSequence = entries.Count == 0 ? -1 : entries.Max(e => e.Sequence);
                    SaveState();
                });
                if (Durability == DurabilityMode.Fsync) _db.Checkpoint();
            }
        }
    }

    /// <summary>
    /// Rebuilds the LiteDB file without its free pages, so the file shrinks after a compaction. LiteDB
    /// writes the rebuilt copy to <c>silk-temp.db</c>, then renames <c>silk-log.db</c> and <c>silk.db</c>
    /// to <c>-backup</c> names and the copy to <c>silk.db</c>; it keeps the backups. Here the log (which we
    /// hold open) gets its name back and the old database file is deleted, or no disk would be freed.
    /// A crash anywhere in between is repaired on open (<see cref="RepairInterruptedRebuild"/>).
    /// </summary>
    public void Reclaim()
    {
        lock (_journalLock)
        {
            ThrowIfUnusable();
            FoldJournalLocked();
            lock (_dbLock)
            {
                _db.Rebuild();
                _db.Checkpoint();
                var (backup, logPath, logBackup, _) = RebuildFiles(Folder);
                if (File.Exists(logBackup) && !File.Exists(logPath)) File.Move(logBackup, logPath);
                File.Delete(backup);
            }
        }
    }

    private static (string Backup, string Log, string LogBackup, string[] Temporary) RebuildFiles(string folder) => (
        Path.Combine(folder, "silk-backup.db"),
        Path.Combine(folder, StampedLogStream.FileName),
        Path.Combine(folder, "silk-log-backup.db"),
        [Path.Combine(folder, "silk-temp.db"), Path.Combine(folder, "silk-temp-log.db"), Path.Combine(folder, "silk-tmp.db")]);

    /// <summary>
    /// Puts the files of a rebuild interrupted by a crash back in order. Before LiteDB renames anything,
    /// the old file is complete (a rebuild starts by checkpointing); after it renamed the copy in, the
    /// copy is complete (it was checkpointed and synced first). So: no <c>silk.db</c> but a backup → the
    /// backup is restored; both → the backup is deleted; the log likewise gets its name back.
    /// </summary>
    private static void RepairInterruptedRebuild(string folder, string database)
    {
        var (backup, logPath, logBackup, temporary) = RebuildFiles(folder);
        if (File.Exists(backup))
        {
            if (File.Exists(database)) File.Delete(backup);
            else File.Move(backup, database);
        }

        if (File.Exists(logBackup))
        {
            if (File.Exists(logPath))
            {
                throw new CorruptStoreException($"both '{logPath}' and '{logBackup}' exist: an interrupted rebuild cannot be told apart from a foreign log; inspect them");
            }

            File.Move(logBackup, logPath);
        }

        foreach (var leftover in temporary) File.Delete(leftover);
    }
}
