using System.Globalization;
using System.Text;
using LiteDB;

namespace Silk.Storage;

/// <summary>One local time-series sample.</summary>
public sealed record Observation(long TimestampMs, string Source, double Value, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Local time-series samples (SPEC §17), in their own LiteDB file and never synced to peers. Unlike the
/// original, two samples of one source in the same millisecond are both kept, and samples older than
/// the maximum age are pruned automatically (decision D7): on open and, at most once a minute, on append.
/// Samples are keyed by (source, timestamp, insertion number), so a query is an index range scan.
/// Writes are LiteDB commits: handed to the operating system (they survive a killed process) but not
/// fsynced. One instance per file: the file is locked against a second opener.
/// </summary>
public sealed class ObservationLog : IDisposable
{
    public const int MaxSourceBytes = 65_535;
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    private readonly FileStream _lockFile;
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _samples;
    private readonly ILiteCollection<BsonDocument> _sources;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, int> _sourceIds = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _nextId;
    private long _lastPruneMs = long.MinValue;
    private bool _disposed;

    public ObservationLog(string path, TimeSpan? maxAge = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        MaxAge = maxAge ?? TimeSpan.FromDays(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxAge, TimeSpan.Zero, nameof(maxAge));
        _time = time ?? TimeProvider.System;
        Path = path;
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        try
        {
            _lockFile = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"the observation log '{path}' is in use by another process or instance: {ex.Message}", ex);
        }

        try
        {
            _db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
            _samples = _db.GetCollection("samples");
            _sources = _db.GetCollection("sources");
            _samples.EnsureIndex("k", unique: true);
            _samples.EnsureIndex("t");
            foreach (var source in _sources.FindAll()) _sourceIds[source["name"].AsString] = source["_id"].AsInt32;
            _nextId = _samples.Count() == 0 ? 1 : _samples.Max().AsInt64 + 1;
            PruneLocked(NowMs());
        }
        catch
        {
            _db?.Dispose();
            _lockFile.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public TimeSpan MaxAge { get; }

    /// <summary>Records <paramref name="value"/> for <paramref name="source"/> at the current time (ms).</summary>
    public Observation Append(string source, double value, IReadOnlyDictionary<string, string>? metadata = null)
    {
        CheckSource(source);
        var meta = metadata is null ? new Dictionary<string, string>() : new Dictionary<string, string>(metadata, StringComparer.Ordinal);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = NowMs();
            if (now - _lastPruneMs >= (long)PruneInterval.TotalMilliseconds) PruneLocked(now);
            var sourceId = SourceIdLocked(source, create: true);
            var id = _nextId++;
            // Pairs, not a document: metadata keys are free text, LiteDB field names are not.
            var metaPairs = new BsonArray(meta.Select(p => new BsonArray(p.Key, p.Value)));
            _samples.Insert(new BsonDocument
            {
                ["_id"] = id,
                ["k"] = Key(sourceId, now, id),
                ["t"] = now,
                ["v"] = value,
                ["m"] = metaPairs,
            });
            return new Observation(now, source, value, meta);
        }
    }

    /// <summary>Samples of <paramref name="source"/> with <paramref name="sinceMs"/> ≤ timestamp (≤ <paramref name="untilMs"/> when given), oldest first.</summary>
    public IReadOnlyList<Observation> Query(string source, long sinceMs, long? untilMs = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var sourceId = SourceIdLocked(source, create: false);
            if (sourceId < 0 || (untilMs is { } until && until < sinceMs)) return [];
            var range = LiteDB.Query.Between("k", Key(sourceId, sinceMs, 0), Key(sourceId, untilMs ?? long.MaxValue, long.MaxValue));
            return [.. _samples.Find(range).Select(doc => ToObservation(doc, source))];
        }
    }

    /// <summary>The newest sample of <paramref name="source"/> (the later-appended one on a tie), or null.</summary>
    public Observation? Latest(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var sourceId = SourceIdLocked(source, create: false);
            if (sourceId < 0) return null;
            var doc = _samples.Query()
                .Where(LiteDB.Query.Between("k", Key(sourceId, long.MinValue, 0), Key(sourceId, long.MaxValue, long.MaxValue)))
                .OrderByDescending("k")
                .Limit(1)
                .FirstOrDefault();
            return doc is null ? null : ToObservation(doc, source);
        }
    }

    /// <summary>The sources that have samples, in ordinal order.</summary>
    public IReadOnlyList<string> Sources()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return [.. _sourceIds
                .Where(s => _samples.Exists(LiteDB.Query.Between("k", Key(s.Value, long.MinValue, 0), Key(s.Value, long.MaxValue, long.MaxValue))))
                .Select(s => s.Key)
                .Order(StringComparer.Ordinal)];
        }
    }

    public long Count()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _samples.LongCount();
        }
    }

    /// <summary>Deletes every sample older than <paramref name="beforeMs"/> (timestamp &lt; it); returns how many.</summary>
    public long Truncate(long beforeMs)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _samples.DeleteMany(LiteDB.Query.LT("t", beforeMs));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _db.Dispose();
            _lockFile.Dispose();
        }
    }

    private static void CheckSource(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Encoding.UTF8.GetByteCount(source) > MaxSourceBytes)
        {
            throw new ArgumentException($"a source name is at most {MaxSourceBytes} UTF-8 bytes", nameof(source));
        }
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void PruneLocked(long now)
    {
        _lastPruneMs = now;
        _samples.DeleteMany(LiteDB.Query.LT("t", now - (long)MaxAge.TotalMilliseconds));
    }

    // Fixed-width hex, with the sign bit flipped so that string order is numeric order for any long.
    private static string Key(int sourceId, long timestampMs, long id) =>
        string.Create(CultureInfo.InvariantCulture, $"{sourceId:x8}{(ulong)timestampMs ^ 0x8000_0000_0000_0000UL:x16}{(ulong)id:x16}");

    /// <summary>The number of a source (all names are held in memory: they can be too long for a LiteDB index key).</summary>
    private int SourceIdLocked(string source, bool create)
    {
        if (_sourceIds.TryGetValue(source, out var id)) return id;
        if (!create) return -1;
        id = _sourceIds.Count == 0 ? 1 : _sourceIds.Values.Max() + 1;
        _sources.Insert(new BsonDocument
        {
            ["_id"] = id,
            ["name"] = source,
        });
        _sourceIds[source] = id;
        return id;
    }

    private static Observation ToObservation(BsonDocument doc, string source)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in doc["m"].AsArray) meta[pair[0].AsString] = pair[1].AsString;
        return new Observation(doc["t"].AsInt64, source, doc["v"].AsDouble, meta);
    }
}
