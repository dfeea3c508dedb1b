using LiteDB;
using LiteDB.Engine;
using Silk.Core.Persistence;
using Silk.Core.Wire;

namespace Silk.Storage;

/// <summary>
/// An <see cref="IEntryStore"/> kept in a folder: the LiteDB database <c>silk.db</c> (direct mode, one
/// writer; entries keyed by their 32-byte hash as <c>_id</c>, holding the arrival sequence, indexed, and
/// the wire bytes; a metadata collection), LiteDB's own log <c>silk-log.db</c> (stamped with the store's
/// id, see <see cref="StampedLogStream"/>) and a write-ahead journal <c>silk.journal</c>.
/// <para>
/// <b>Durability.</b> A returned LiteDB commit has been written to the OS but not synced, so it survives
/// <c>kill -9</c> but not a power cut. The ways to close the gap were measured on this 2-core VM (ext4,
/// one ~300 B document per commit, LiteDB alone, quiet disk): no sync 4,260 commits/s (p50 136 µs);
/// (1) <c>Checkpoint()</c> after each commit 1,880/s (p50 396 µs); (2) LiteDB's log as our own stream
/// and an fsync of it after each commit 1,710/s (p50 402 µs); (3) the batch appended to a journal file
/// plus one fsync, LiteDB off the acknowledgement path: 7,100/s (p50 129 µs) appending, 10,500/s
/// (p50 92 µs) with the journal preallocated. We use (3), preallocated (<see cref="EntryJournal"/>):
/// <see cref="Append"/> writes the batch to the journal as one checksummed record, fsyncs it
/// (<see cref="DurabilityMode.Fsync"/>) or only hands it to the OS (<see cref="DurabilityMode.Process"/>,
/// which still survives <c>kill -9</c>), and returns; a background thread inserts the batches into LiteDB
/// in transactions of up to 512 entries. When the journal holds 8 MiB, LiteDB is checkpointed (its data
/// file fsynced) and the journal starts a new generation. Opening replays the journal into LiteDB
/// (idempotently: entries are content-addressed) before anything is loaded. Whole-store figures are in
/// BENCHMARKS.md (<c>dotnet run -c Release --project Silk.Benchmarks -- storage</c>).
/// </para>
/// <para>
/// <b>Exclusivity.</b> LiteDB 5.0.21's direct mode only takes shared locks on Linux: two instances can
/// open one file and corrupt it. The journal is opened with <see cref="FileShare.None"/> first, so a
/// second opener (another process, or this one) gets a clear <see cref="IOException"/>.
/// </para>
/// <para>
/// <b>Corruption.</b> A journal or log that is not this store's, a damaged journal record followed by
/// intact ones, a database LiteDB cannot read, a record that does not parse, or fewer entries than the
/// database recorded throw <see cref="CorruptStoreException"/>; a store never loads a smaller log
/// silently. (GraphStore.Open then re-verifies every hash.) A damaged record at the very end of the
/// journal is a batch torn by a crash before it was acknowledged and is dropped.
/// </para>
/// </summary>
public sealed class LiteDbEntryStore : IEntryStore
{
    public const string FileName = "silk.db";

    // Past this, the journal is folded into LiteDB and cut back (bounds replay time and disk use).
    private const long DefaultJournalFoldBytes = 8 << 20;

    // Writers wait while LiteDB lags this many entries behind the journal (Process mode writes faster than LiteDB inserts).
    private const int MaxPendingEntries = 50_000;

    // The applier waits up to this long for this many entries before writing a LiteDB transaction.
    private const int ApplyBatchEntries = 512;
    private const int ApplyDelayMs = 5;

    // Larger payloads (a checkpoint of a big graph) are split: LiteDB documents are limited to 16 MiB.
    private const int ChunkBytes = 1 << 20;

    private const string EntriesCollection = "entries";
    private const string ChunksCollection = "chunks";
    private const string MetaCollection = "meta";
    private const string StateCollection = "silk";
    private const string StateId = "state";

    private readonly EntryJournal _journal;
    private readonly StampedLogStream _log;
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _entries;
    private readonly ILiteCollection<BsonDocument> _chunks;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly ILiteCollection<BsonDocument> _state;
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);
    private readonly Guid _storeId;
    private readonly long _journalFoldBytes;
    private readonly Thread _applier;

    // Lock order: _journalLock, then _queueLock, then _dbLock.
    private readonly Lock _journalLock = new();
    private readonly Lock _dbLock = new();
    private readonly object _queueLock = new();
    private readonly Queue<JournalRecord> _pending = new();
    private int _pendingEntries;
    private int _waitingForApply;
    private bool _applying;
    private bool _stopping;
    private Exception? _fault;
    private long _count;
    private long _lastSequence = -1;
    private bool _disposed;

    public LiteDbEntryStore(string folder, DurabilityMode durability = DurabilityMode.Fsync)
        : this(folder, durability, DefaultJournalFoldBytes)
    {
    }

    /// <summary>For tests (the crash test folds often, to be killed mid-fold too).</summary>
    internal LiteDbEntryStore(string folder, DurabilityMode durability, long journalFoldBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(journalFoldBytes, 1);
        _journalFoldBytes = journalFoldBytes;
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        Folder = folder;
        Durability = durability;
        DatabasePath = Path.Combine(folder, FileName);
        _journal = EntryJournal.Open(Path.Combine(folder, EntryJournal.FileName));
        try
        {
            RepairInterruptedRebuild(folder, DatabasePath);
            var (journalId, ready) = _journal.ReadHeader();
            var logPath = Path.Combine(folder, StampedLogStream.FileName);
            if (journalId is null)
            {
                if (HasBytes(DatabasePath) || HasBytes(logPath))
                {
                    throw new CorruptStoreException($"'{_journal.Path}' is missing or empty but '{DatabasePath}' or its log exists: this is not a complete Silk store");
                }

                _storeId = Guid.NewGuid();
                _journal.Initialize(_storeId);
            }
            else
            {
                _storeId = journalId.Value;
                if (ready && !HasBytes(DatabasePath))
                {
                    throw new CorruptStoreException($"'{DatabasePath}' is missing or empty, but this store was created before: refusing to start again from an empty log");
                }
            }

            var records = _journal.ReadAll();
            _log = StampedLogStream.Open(logPath, _storeId, durability == DurabilityMode.Fsync);
            (_db, _entries, _chunks, _meta, _state) = OpenDatabase(DatabasePath, _log);
            LoadState(creating: !ready);
            if (!ready) _journal.MarkReady();
            if (records.Count > 0)
            {
                // Replay: upserts, so entries LiteDB already holds are left as they are.
                Apply(records, replay: true);
                _db.Checkpoint();
                _journal.Truncate(sync: true);
            }
        }
        catch (Exception ex)
        {
            _db?.Dispose();
            _log?.Dispose();
            _journal.Dispose();
            if (IsReadFailure(ex))
            {
                throw new CorruptStoreException($"cannot open the Silk store in '{folder}': LiteDB could not read '{DatabasePath}' ({ex.GetType().Name}: {ex.Message})", ex);
            }

            throw;
        }

        _applier = new Thread(ApplyLoop) { IsBackground = true, Name = "Silk LiteDB applier" };
        _applier.Start();
    }

    public string Folder { get; }

    /// <summary>The LiteDB file (<c>&lt;folder&gt;/silk.db</c>).</summary>
    public string DatabasePath { get; }

    public DurabilityMode Durability { get; }

    /// <summary>Bytes of records in the journal (header included): what a reopen would replay.</summary>
    internal long JournalBytes => _journal.Length;

    /// <summary>Bytes on disk of the database, its log and the journal.</summary>
    public long FileBytes => FilesIn(Folder).Select(f => f.Path).Where(File.Exists).Sum(p => new FileInfo(p).Length);

    /// <summary>The files of a store kept in <paramref name="folder"/>, by role: <c>database</c>, <c>log</c> (LiteDB's) and <c>journal</c>.</summary>
    public static IReadOnlyList<(string Role, string Path)> FilesIn(string folder) =>
    [
        ("database", Path.Combine(folder, FileName)),
        ("log", Path.Combine(folder, StampedLogStream.FileName)),
        ("journal", Path.Combine(folder, EntryJournal.FileName)),
    ];

    public IReadOnlyList<StoredEntry> LoadEntries()
    {
        WaitUntilApplied();
        lock (_dbLock)
        {
            try
            {
                return LoadLocked();
            }
            catch (Exception ex) when (IsReadFailure(ex))
            {
                throw new CorruptStoreException($"'{DatabasePath}' cannot be read ({ex.GetType().Name}: {ex.Message})", ex);
            }
        }
    }

    public void Append(IReadOnlyList<StoredEntry> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return;
        Journal(EntryJournal.EncodeEntries(batch), new EntriesRecord([.. batch]), batch.Count);
    }

    public string? GetMetadata(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_queueLock) return _metadata.GetValueOrDefault(key);
    }

    public void SetMetadata(string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        Journal(EntryJournal.EncodeMetadata(key, value), new MetadataRecord(key, value), 0);
    }

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

    public void Dispose() => Close(foldJournal: true);

    /// <summary>For tests: closes the files the way a crash leaves them, the journal still holding its records.</summary>
    internal void CloseWithoutFolding() => Close(foldJournal: false);

    private void Close(bool foldJournal)
    {
        lock (_queueLock)
        {
            if (_disposed) return;
            _disposed = true;
            _stopping = true;
            Monitor.PulseAll(_queueLock);
        }

        _applier.Join();
        try
        {
            lock (_journalLock)
            {
                lock (_dbLock)
                {
                    if (_fault is null && foldJournal)
                    {
                        _db.Checkpoint();
                        _journal.Truncate(sync: true, shrink: true);
                    }
                }
            }
        }
        finally
        {
            _db.Dispose();
            _log.Dispose();
            _journal.Dispose();
        }
    }

    // What LiteDB throws when its file is damaged is anything from its own LiteException to
    // NotSupportedException ("BSON type not supported"), InvalidCastException, IndexOutOfRange, decoder
    // errors...: while reading the database every failure but an I/O error or our own verdict means damage.
    private static bool IsReadFailure(Exception ex) =>
        ex is not (CorruptStoreException or IOException or UnauthorizedAccessException or OutOfMemoryException or ObjectDisposedException);

    private static bool HasBytes(string path) => File.Exists(path) && new FileInfo(path).Length > 0;

    private static (LiteDatabase, ILiteCollection<BsonDocument>, ILiteCollection<BsonDocument>, ILiteCollection<BsonDocument>, ILiteCollection<BsonDocument>) OpenDatabase(string path, Stream log)
    {
        var engine = new LiteEngine(new EngineSettings { Filename = path, LogStream = log, AutoRebuild = false });
        var db = new LiteDatabase(engine);
        try
        {
            if (db.CollectionExists("_rebuild_errors"))
            {
                throw new CorruptStoreException($"'{path}' was rebuilt by LiteDB after damage and may have lost records (see its _rebuild_errors collection)");
            }

            var entries = db.GetCollection(EntriesCollection);
            entries.EnsureIndex("seq", unique: true);
            return (db, entries, db.GetCollection(ChunksCollection), db.GetCollection(MetaCollection), db.GetCollection(StateCollection));
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>Reads (or for a new store writes) the store id, entry count and metadata kept in LiteDB.</summary>
    private void LoadState(bool creating)
    {
        var state = _state.FindById(StateId);
        if (state is null)
        {
            if (!creating && _entries.Count() > 0)
            {
                throw new CorruptStoreException($"'{DatabasePath}' holds entries but no store state record: damaged");
            }

            SaveState();
            _db.Checkpoint();
            return;
        }

        var id = state["store"];
        if (!id.IsString || !Guid.TryParse(id.AsString, out var storeId) || storeId != _storeId)
        {
            throw new CorruptStoreException($"'{DatabasePath}' belongs to another store ({id}), its journal and log to {_storeId:N}: files from different stores were mixed");
        }

        _count = state["count"].AsInt64;
        _lastSequence = state["last"].AsInt64;
        foreach (var doc in _meta.FindAll()) _metadata[doc["_id"].AsString] = doc["v"].AsString;
    }

    private void SaveState() => _state.Upsert(new BsonDocument
    {
        ["_id"] = StateId,
        ["store"] = _storeId.ToString("N"),
        ["count"] = _count,
        ["last"] = _lastSequence,
    });

    /// <summary>Journals one record durably, then queues it for LiteDB.</summary>
    private void Journal(byte[] record, JournalRecord change, int entryCount)
    {
        lock (_journalLock)
        {
            ThrowIfUnusable();
            lock (_queueLock)
            {
                while (_pendingEntries > MaxPendingEntries && _fault is null && !_stopping) Monitor.Wait(_queueLock);
            }

            ThrowIfUnusable();
            _journal.Append(record, sync: Durability == DurabilityMode.Fsync);
            lock (_queueLock)
            {
                _pending.Enqueue(change);
                _pendingEntries += entryCount;
                if (change is MetadataRecord meta)
                {
                    if (meta.Value is null) _metadata.Remove(meta.Key);
                    else _metadata[meta.Key] = meta.Value;
                }

                // Wake the applier when work appears or a batch is full, not on every append.
                if (_pending.Count == 1 || _pendingEntries >= ApplyBatchEntries) Monitor.PulseAll(_queueLock);
            }
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fault is { } fault) throw new IOException($"the store's background LiteDB writer failed; reopen the store to recover from its journal: {fault.Message}", fault);
    }

    private void ApplyLoop()
    {
        while (true)
        {
            List<JournalRecord> work;
            lock (_queueLock)
            {
                while (_pending.Count == 0 && !_stopping) Monitor.Wait(_queueLock);
                if (_pending.Count == 0) return;

                // LiteDB inserts cost far less per entry in large transactions: let a batch gather a little.
                var deadline = Environment.TickCount64 + ApplyDelayMs;
                while (_pendingEntries < ApplyBatchEntries && !_stopping && _waitingForApply == 0 && Environment.TickCount64 < deadline)
                {
                    Monitor.Wait(_queueLock, (int)Math.Max(1, deadline - Environment.TickCount64));
                }

                if (_pending.Count == 0) continue; // a fold took it meanwhile
                work = [.. _pending];
                _pending.Clear();
                _applying = true;
            }

            var applied = 0;
            try
            {
                lock (_dbLock) applied = Apply(work, replay: false);
            }
            catch (Exception ex)
            {
                Fault(ex);
                return;
            }
            finally
            {
                lock (_queueLock)
                {
                    _pendingEntries -= applied;
                    _applying = false;
                    Monitor.PulseAll(_queueLock);
                }
            }

            if (_journal.Length > _journalFoldBytes && !Volatile.Read(ref _stopping))
            {
                try
                {
                    lock (_journalLock) FoldJournalLocked();
                }
                catch (Exception ex)
                {
                    Fault(ex);
                    return;
                }
            }
        }
    }

    private void Fault(Exception ex)
    {
        lock (_queueLock)
        {
            _fault ??= ex;
            Monitor.PulseAll(_queueLock);
        }
    }

    private void WaitUntilApplied()
    {
        lock (_queueLock)
        {
            _waitingForApply++;
            Monitor.PulseAll(_queueLock);
            while ((_pending.Count > 0 || _applying) && _fault is null) Monitor.Wait(_queueLock);
            _waitingForApply--;
        }

        ThrowIfUnusable();
    }

    /// <summary>Holding the journal lock: everything journaled goes into LiteDB, LiteDB is checkpointed (synced), the journal emptied.</summary>
    private void FoldJournalLocked()
    {
        List<JournalRecord> work;
        lock (_queueLock)
        {
            while (_applying && _fault is null) Monitor.Wait(_queueLock);
            work = [.. _pending];
            _pending.Clear();
        }

        lock (_dbLock)
        {
            var applied = work.Count > 0 ? Apply(work, replay: false) : 0;
            lock (_queueLock)
            {
                _pendingEntries -= applied;
                Monitor.PulseAll(_queueLock);
            }

            if (_fault is { } fault) throw new IOException($"the store's background LiteDB writer failed: {fault.Message}", fault);
            _db.Checkpoint();
            _journal.Truncate(sync: Durability == DurabilityMode.Fsync);
        }
    }

    /// <summary>Holding the db lock: applies records in one transaction; returns the number of entries in them.</summary>
    private int Apply(IReadOnlyList<JournalRecord> records, bool replay)
    {
        var entries = 0;
        InTransaction(() =>
        {
            // New entries go in with one bulk insert per transaction (about 1.5x the rate of one call each).
            var documents = new List<BsonDocument>();
            foreach (var record in records)
            {
                switch (record)
                {
                    case EntriesRecord batch:
                        foreach (var entry in batch.Entries)
                        {
                            if (replay || entry.Bytes.Length > ChunkBytes)
                            {
                                if (Insert(entry, replay)) _count++;
                            }
                            else
                            {
                                documents.Add(new BsonDocument { ["_id"] = new BsonValue(entry.Hash.ToArray()), ["seq"] = entry.Sequence, ["b"] = new BsonValue(entry.Bytes.ToArray()) });
                            }

                            _lastSequence = Math.Max(_lastSequence, entry.Sequence);
                        }

                        entries += batch.Entries.Count;
                        break;
                    case MetadataRecord meta:
                        if (meta.Value is null) _meta.Delete(meta.Key);
                        else _meta.Upsert(new BsonDocument { ["_id"] = meta.Key, ["v"] = meta.Value });
                        if (replay)
                        {
                            if (meta.Value is null) _metadata.Remove(meta.Key);
                            else _metadata[meta.Key] = meta.Value;
                        }

                        break;
                }
            }

            if (documents.Count > 0)
            {
                try
                {
                    _entries.Insert(documents);
                }
                catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
                {
                    throw new CorruptStoreException($"an appended entry collides with a stored one ({ex.Message})", ex);
                }

                _count += documents.Count;
            }

            SaveState();
        });
        return entries;
    }

    /// <summary>Inserts one entry; on replay an entry already present is kept (it must be the same one). Returns whether it was new.</summary>
    private bool Insert(StoredEntry entry, bool replay)
    {
        var id = new BsonValue(entry.Hash.ToArray());
        if (replay && _entries.FindById(id) is { } existing)
        {
            if (existing["seq"].AsInt64 != entry.Sequence)
            {
                throw new CorruptStoreException($"the journal replays entry {entry.Hash.ToHex()} at sequence {entry.Sequence}, but '{DatabasePath}' holds it at {existing["seq"].AsInt64}");
            }

            return false;
        }

        var doc = new BsonDocument { ["_id"] = id, ["seq"] = entry.Sequence };
        var bytes = entry.Bytes;
        if (bytes.Length <= ChunkBytes)
        {
            doc["b"] = new BsonValue(bytes.ToArray());
        }
        else
        {
            var parts = (bytes.Length + ChunkBytes - 1) / ChunkBytes;
            doc["parts"] = parts;
            for (var i = 0; i < parts; i++)
            {
                var part = bytes.Slice(i * ChunkBytes, Math.Min(ChunkBytes, bytes.Length - (i * ChunkBytes)));
                _chunks.Upsert(new BsonDocument { ["_id"] = ChunkId(entry.Hash, i), ["d"] = new BsonValue(part.ToArray()) });
            }
        }

        try
        {
            _entries.Insert(doc);
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            throw new CorruptStoreException($"entry {entry.Hash.ToHex()} at sequence {entry.Sequence} collides with a stored entry ({ex.Message})", ex);
        }

        return true;
    }

    private static string ChunkId(Hash hash, int part) => $"{hash.ToHex()}:{part}";

    private List<StoredEntry> LoadLocked()
    {
        var result = new List<StoredEntry>(checked((int)Math.Max(_count, 0)));
        foreach (var doc in _entries.Find(Query.All("seq")))
        {
            result.Add(ToStored(doc));
        }

        if (result.Count != _count || (result.Count > 0 && result[^1].Sequence != _lastSequence))
        {
            throw new CorruptStoreException(
                $"'{DatabasePath}' yields {result.Count} entries (last sequence {(result.Count > 0 ? result[^1].Sequence : -1)}) but recorded {_count} (last sequence {_lastSequence}): entries are missing or the file is damaged");
        }

        return result;
    }

    private StoredEntry ToStored(BsonDocument doc)
    {
        var id = doc["_id"];
        var seq = doc["seq"];
        if (!id.IsBinary || id.AsBinary.Length != Hash.Size || !(seq.IsInt64 || seq.IsInt32))
        {
            throw new CorruptStoreException($"'{DatabasePath}' holds a malformed entry record (_id {id}, seq {seq})");
        }

        var hash = Hash.FromBytes(id.AsBinary);
        var bytes = doc["b"];
        if (bytes.IsBinary) return new StoredEntry(seq.AsInt64, hash, bytes.AsBinary);
        var parts = doc["parts"];
        if (!parts.IsInt32 || parts.AsInt32 < 1) throw new CorruptStoreException($"'{DatabasePath}' holds entry {hash.ToHex()} without its bytes");
        var buffer = new MemoryStream();
        for (var i = 0; i < parts.AsInt32; i++)
        {
            var chunk = _chunks.FindById(ChunkId(hash, i)) ?? throw new CorruptStoreException($"'{DatabasePath}' misses part {i} of entry {hash.ToHex()}");
            buffer.Write(chunk["d"].AsBinary);
        }

        return new StoredEntry(seq.AsInt64, hash, buffer.ToArray());
    }

    /// <summary>Runs <paramref name="action"/> in one LiteDB transaction; on failure the counters it moved are restored.</summary>
    private void InTransaction(Action action)
    {
        if (!_db.BeginTrans()) throw new InvalidOperationException("a LiteDB transaction is already open on this thread");
        var (count, last) = (_count, _lastSequence);
        try
        {
            action();
            _db.Commit();
        }
        catch
        {
            (_count, _lastSequence) = (count, last);
            try
            {
                _db.Rollback();
            }
            catch (LiteException)
            {
                // the original failure is the one to report
            }

            throw;
        }
    }
}
