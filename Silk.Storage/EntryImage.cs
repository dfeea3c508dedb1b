using System.Buffers.Binary;
using Silk.Core.Persistence;

namespace Silk.Storage;

/// <summary>
/// A sequential copy of the stored entries (<c>silk.image</c>), so that reopening reads one file front to back
/// instead of LiteDB's documents one by one through its index (about 5 µs each: 5 s of a million-entry open). It
/// is derived data: written after LiteDB (never on the path of an acknowledgement), never synced while the store
/// runs, and trusted only when sealed. A clean close seals it: the entry count, the last sequence, and one BLAKE3
/// over the image's records, the LiteDB file and LiteDB's log as they are after the close. An open trusts it only
/// if those three files still hash to the seal (a byte changed anywhere, a crash, a store killed or copied in
/// part: the hash or the seal is not there) and LiteDB's own state agrees on count and last sequence. Anything else
/// is read from LiteDB as before, and the image written anew from it.
/// <para>
/// Layout: a 128-byte header (<c>SILKIMG1</c>, the store id, the seal: <c>[u8 sealed]</c> at 24, then at 32 the
/// <c>i64</c> entry count, last sequence, records length, database length and log length, and at 72 the 32-byte
/// hash), then records <c>[u32 magic][u32 length][length bytes: a <see cref="StoredEntryList"/>]</c> in sequence order.
/// </para>
/// </summary>
internal sealed class EntryImage : IDisposable
{
    public const string FileName = "silk.image";
    private const int HeaderSize = 128;
    private const int RecordHeaderSize = 8;
    private const uint RecordMagic = 0x474D4953; // "SIMG" little-endian
    private const int ReadChunk = 1 << 20;

    // Records written when the image is rebuilt: big enough to read fast, small enough to allocate easily.
    private const int RebuildRecordEntries = 4096;
    private static ReadOnlySpan<byte> FileMagic => "SILKIMG1"u8;

    private readonly FileStream _file;
    private readonly Guid _storeId;
    private long _end = HeaderSize;

    private EntryImage(FileStream file, Guid storeId, string path)
    {
        _file = file;
        _storeId = storeId;
        Path = path;
    }

    public string Path { get; }

    /// <summary>True while the image holds exactly the entries LiteDB holds (appends keep it so).</summary>
    public bool Current { get; private set; }

    /// <summary>Entries in the image, while <see cref="Current"/>.</summary>
    public long Count { get; private set; }

    /// <summary>Sequence of its last entry (-1 when empty), while <see cref="Current"/>.</summary>
    public long LastSequence { get; private set; } = -1;

    /// <summary>Opens (creating if absent) the image of store <paramref name="storeId"/>; not yet trusted nor current.</summary>
    public static EntryImage Open(string folder, Guid storeId)
    {
        var path = System.IO.Path.Combine(folder, FileName);
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        return new EntryImage(file, storeId, path);
    }

    /// <summary>
    /// Before LiteDB opens its files: when the image is sealed and the image, <paramref name="database"/> and
    /// <paramref name="log"/> still hash to the seal, the sealed (count, last sequence) and the entries; else null.
    /// The seal is removed either way (the files are about to change).
    /// </summary>
    public (long Count, long LastSequence, List<StoredEntry> Entries)? ReadSealed(string database, string log)
    {
        try
        {
            return ReadSealedUnchecked(database, log);
        }
        catch (IOException)
        {
            return null;
        }
        finally
        {
            if (_file.Length >= HeaderSize) RandomAccess.Write(_file.SafeFileHandle, [0], 24);
        }
    }

    private (long Count, long LastSequence, List<StoredEntry> Entries)? ReadSealedUnchecked(string database, string log)
    {
        var header = new byte[HeaderSize];
        if (_file.Length < HeaderSize || RandomAccess.Read(_file.SafeFileHandle, header, 0) != HeaderSize) return null;
        if (!header.AsSpan(0, 8).SequenceEqual(FileMagic) || new Guid(header.AsSpan(8, 16)) != _storeId || header[24] != 1) return null;
        var count = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(32));
        var last = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(40));
        var recordsLength = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(48));
        var databaseLength = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(56));
        var logLength = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(64));
        if (_file.Length != HeaderSize + recordsLength || Length(database) != databaseLength || Length(log) != logLength) return null;

        // The LiteDB files are hashed on another thread while this one reads and hashes the records.
        var files = Task.Run(() => HashFiles(database, log));
        using var hasher = Blake3.Hasher.New();
        var entries = new List<StoredEntry>(checked((int)count));
        var at = (long)HeaderSize;
        var recordHeader = new byte[RecordHeaderSize];
        while (at < _file.Length)
        {
            if (RandomAccess.Read(_file.SafeFileHandle, recordHeader, at) != RecordHeaderSize) return null;
            var length = BinaryPrimitives.ReadInt32LittleEndian(recordHeader.AsSpan(4));
            if (BinaryPrimitives.ReadUInt32LittleEndian(recordHeader) != RecordMagic || length < 4 || length > _file.Length - at - RecordHeaderSize) return null;
            var body = GC.AllocateUninitializedArray<byte>(length);
            if (ReadFully(body, at + RecordHeaderSize) != length) return null;
            hasher.Update(recordHeader);
            hasher.UpdateWithJoin(body);
            if (StoredEntryList.Read(body, 0, length) is not { } records) return null;
            entries.AddRange(records);
            at += RecordHeaderSize + length;
        }

        var (databaseHash, logHash) = files.GetAwaiter().GetResult();
        hasher.Update(databaseHash);
        hasher.Update(logHash);
        if (!hasher.Finalize().AsSpan().SequenceEqual(header.AsSpan(72, 32))) return null;
        if (entries.Count != count || (count > 0 && entries[^1].Sequence != last)) return null;
        _end = at;
        Count = count;
        LastSequence = last;
        Current = true;
        return (count, last, entries);
    }

    /// <summary>The entries of a current image, read again from the file (after appends since the open).</summary>
    public List<StoredEntry> ReadAll()
    {
        if (!Current) throw new InvalidOperationException("the image is not current");
        var entries = new List<StoredEntry>(checked((int)Count));
        var recordHeader = new byte[RecordHeaderSize];
        for (var at = (long)HeaderSize; at < _end;)
        {
            if (RandomAccess.Read(_file.SafeFileHandle, recordHeader, at) != RecordHeaderSize) throw new IOException($"'{Path}' ends inside a record");
            var length = BinaryPrimitives.ReadInt32LittleEndian(recordHeader.AsSpan(4));
            var body = GC.AllocateUninitializedArray<byte>(length);
            if (ReadFully(body, at + RecordHeaderSize) != length || StoredEntryList.Read(body, 0, length) is not { } records)
            {
                throw new IOException($"'{Path}' holds a record at byte {at} that does not parse");
            }

            entries.AddRange(records);
            at += RecordHeaderSize + length;
        }

        return entries;
    }

    /// <summary>Starts the image anew with <paramref name="entries"/> (in sequence order): it is current afterwards.</summary>
    public void Rewrite(IReadOnlyList<StoredEntry> entries)
    {
        Current = false;
        var header = new byte[HeaderSize];
        FileMagic.CopyTo(header);
        _storeId.TryWriteBytes(header.AsSpan(8, 16));
        _file.SetLength(0);
        RandomAccess.Write(_file.SafeFileHandle, header, 0);
        _end = HeaderSize;
        Count = 0;
        LastSequence = -1;
        Current = true;
        var part = new List<StoredEntry>(Math.Min(entries.Count, RebuildRecordEntries));
        foreach (var entry in entries)
        {
            part.Add(entry);
            if (part.Count < RebuildRecordEntries) continue;
            AppendRecord(part);
            part.Clear();
        }

        if (part.Count > 0) AppendRecord(part);
    }

    /// <summary>
    /// Adds what LiteDB just committed: entries past the image's last sequence, which must follow it without a gap
    /// (else the image stops being current until it is rewritten). Entries it already holds (a replay) are skipped.
    /// </summary>
    public void Append(IReadOnlyList<StoredEntry> committed)
    {
        if (!Current) return;
        var fresh = new List<StoredEntry>(committed.Count);
        foreach (var entry in committed)
        {
            if (entry.Sequence <= LastSequence) continue;
            var expected = fresh.Count > 0 ? fresh[^1].Sequence + 1 : LastSequence + 1;
            if (entry.Sequence != expected && (Count > 0 || fresh.Count > 0))
            {
                Current = false;
                return;
            }

            fresh.Add(entry);
        }

        if (fresh.Count > 0) AppendRecord(fresh);
    }

    /// <summary>Drops the image (it will be rewritten from LiteDB at the next load).</summary>
    public void Invalidate() => Current = false;

    /// <summary>
    /// After a clean close (LiteDB disposed, so its files no longer change): seals a current image whose count and last
    /// sequence are LiteDB's, with the hash of the records and both LiteDB files, and syncs it.
    /// </summary>
    public void Seal(long count, long lastSequence, string database, string log)
    {
        if (!Current || count != Count || lastSequence != LastSequence) return;
        _file.Flush(flushToDisk: true);
        using var hasher = Blake3.Hasher.New();
        var recordHeader = new byte[RecordHeaderSize];
        for (var at = (long)HeaderSize; at < _end;)
        {
            RandomAccess.Read(_file.SafeFileHandle, recordHeader, at);
            var length = BinaryPrimitives.ReadInt32LittleEndian(recordHeader.AsSpan(4));
            var body = new byte[length];
            ReadFully(body, at + RecordHeaderSize);
            hasher.Update(recordHeader);
            hasher.UpdateWithJoin(body);
            at += RecordHeaderSize + length;
        }

        var (databaseHash, logHash) = HashFiles(database, log);
        hasher.Update(databaseHash);
        hasher.Update(logHash);
        var seal = new byte[HeaderSize - 24];
        seal[0] = 1;
        BinaryPrimitives.WriteInt64LittleEndian(seal.AsSpan(8), count);
        BinaryPrimitives.WriteInt64LittleEndian(seal.AsSpan(16), lastSequence);
        BinaryPrimitives.WriteInt64LittleEndian(seal.AsSpan(24), _end - HeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(seal.AsSpan(32), Length(database));
        BinaryPrimitives.WriteInt64LittleEndian(seal.AsSpan(40), Length(log));
        hasher.Finalize().AsSpan().CopyTo(seal.AsSpan(48));
        RandomAccess.Write(_file.SafeFileHandle, seal, 24);
        _file.Flush(flushToDisk: true);
    }

    public void Dispose() => _file.Dispose();

    private void AppendRecord(IReadOnlyList<StoredEntry> entries)
    {
        var record = new byte[RecordHeaderSize + StoredEntryList.EncodedSize(entries)];
        BinaryPrimitives.WriteUInt32LittleEndian(record, RecordMagic);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(4), record.Length - RecordHeaderSize);
        StoredEntryList.Write(record.AsSpan(RecordHeaderSize), entries);
        RandomAccess.Write(_file.SafeFileHandle, record, _end);
        _end += record.Length;
        Count += entries.Count;
        LastSequence = entries[^1].Sequence;
    }

    private int ReadFully(byte[] buffer, long offset)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(_file.SafeFileHandle, buffer.AsSpan(read), offset + read);
            if (n == 0) break;
            read += n;
        }

        return read;
    }

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : -1;

    private static (byte[] Database, byte[] Log) HashFiles(string database, string log) => (HashFile(database), HashFile(log));

    private static byte[] HashFile(string path)
    {
        using var hasher = Blake3.Hasher.New();
        if (File.Exists(path))
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            var buffer = new byte[ReadChunk * 8];
            int n;
            while ((n = file.Read(buffer)) > 0) hasher.UpdateWithJoin(buffer.AsSpan(0, n));
        }

        return hasher.Finalize().AsSpan().ToArray();
    }
}
