using LiteDB;
using LiteDB.Engine;
using Silk.Core.Persistence;
using Silk.Core.Wire;

namespace Silk.Storage;

/// <summary>The LiteDB side: opening the database and its collections, the stored state, and entries as documents (chunked when large), inserted and loaded in transactions.</summary>
public sealed partial class LiteDbEntryStore
{
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
