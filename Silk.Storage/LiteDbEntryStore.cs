using LiteDB;
using Silk.Core.Persistence;
using Silk.Core.Wire;

namespace Silk.Storage;

/// <summary>
/// An <see cref="IEntryStore"/> in one LiteDB file (<c>&lt;folder&gt;/silk.db</c>), direct mode, one writer.
/// Entries are documents keyed by their 32-byte hash (<c>_id</c>) holding the arrival sequence
/// (indexed) and the wire bytes; metadata is a second collection.
/// </summary>
public sealed class LiteDbEntryStore : IEntryStore
{
    public const string FileName = "silk.db";
    private const string EntriesCollection = "entries";
    private const string MetaCollection = "meta";

    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _entries;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly Lock _gate = new();
    private bool _disposed;

    public LiteDbEntryStore(string folder, DurabilityMode durability = DurabilityMode.Fsync)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        Folder = folder;
        Durability = durability;
        var path = Path.Combine(folder, FileName);
        try
        {
            _db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        }
        catch (IOException ex)
        {
            throw new IOException($"the store at '{path}' is in use by another process (LiteDB opens it exclusively): {ex.Message}", ex);
        }
        catch (LiteException ex)
        {
            throw new CorruptStoreException($"cannot open '{path}': {ex.Message}", ex);
        }

        _entries = _db.GetCollection(EntriesCollection);
        _meta = _db.GetCollection(MetaCollection);
        _entries.EnsureIndex("seq", unique: true);
    }

    public string Folder { get; }

    public DurabilityMode Durability { get; }

    public IReadOnlyList<StoredEntry> LoadEntries()
    {
        lock (_gate)
        {
            var result = new List<StoredEntry>();
            foreach (var doc in _entries.Find(Query.All("seq")))
            {
                result.Add(ToStored(doc));
            }

            return result;
        }
    }

    public void Append(IReadOnlyList<StoredEntry> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return;
        lock (_gate)
        {
            InTransaction(() =>
            {
                foreach (var entry in batch) _entries.Upsert(ToDocument(entry));
            });
            MakeDurable();
        }
    }

    public void ReplaceAll(IReadOnlyList<StoredEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            InTransaction(() =>
            {
                _entries.DeleteAll();
                foreach (var entry in entries) _entries.Insert(ToDocument(entry));
            });
            MakeDurable();
        }
    }

    public void Reclaim()
    {
        lock (_gate)
        {
            _db.Checkpoint();
            _db.Rebuild();
        }
    }

    public string? GetMetadata(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            var doc = _meta.FindById(key);
            return doc is null ? null : doc["v"].AsString;
        }
    }

    public void SetMetadata(string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (value is null) _meta.Delete(key);
            else _meta.Upsert(new BsonDocument { ["_id"] = key, ["v"] = value });
            MakeDurable();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _db.Dispose();
        }
    }

    private void InTransaction(Action action)
    {
        if (!_db.BeginTrans()) throw new InvalidOperationException("a LiteDB transaction is already open on this thread");
        try
        {
            action();
            _db.Commit();
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }

    /// <summary>A returned LiteDB commit is not on disk yet: checkpoint waits for its writer queue and flushes.</summary>
    private void MakeDurable() => _db.Checkpoint();

    private static BsonDocument ToDocument(StoredEntry entry) => new()
    {
        ["_id"] = new BsonValue(entry.Hash.ToArray()),
        ["seq"] = entry.Sequence,
        ["b"] = new BsonValue(entry.Bytes.ToArray()),
    };

    private static StoredEntry ToStored(BsonDocument doc)
    {
        var id = doc["_id"];
        var seq = doc["seq"];
        var bytes = doc["b"];
        if (!id.IsBinary || id.AsBinary.Length != Hash.Size || !seq.IsInt64 && !seq.IsInt32 || !bytes.IsBinary)
        {
            throw new CorruptStoreException($"malformed entry record {doc}");
        }

        return new StoredEntry(seq.AsInt64, Hash.FromBytes(id.AsBinary), bytes.AsBinary);
    }
}
