using LiteDB;
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
public sealed partial class LiteDbEntryStore : IEntryStore
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
}
