using System.Buffers.Binary;
using System.Text;
using Silk.Core.Persistence;
using Silk.Core.Wire;

namespace Silk.Storage;

/// <summary>One journaled change: a batch of entries, or a metadata value (null removes it).</summary>
internal abstract record JournalRecord;

internal sealed record EntriesRecord(IReadOnlyList<StoredEntry> Entries) : JournalRecord;

internal sealed record MetadataRecord(string Key, string? Value) : JournalRecord;

/// <summary>
/// The write-ahead journal next to the LiteDB file (<c>silk.journal</c>): an append-only file of
/// checksummed records, one per acknowledged batch. Appending costs one <c>write</c> (and in
/// <see cref="DurabilityMode.Fsync"/> one fsync) per batch, which is what makes a batch durable;
/// LiteDB catches up in the background and the journal starts a new generation (its records are
/// forgotten) once LiteDB has checkpointed everything in it. Replaying it is idempotent: entries are
/// content-addressed. The file is preallocated with zeros and reused, so appends never change its size.
/// <para>
/// Layout: a 32-byte header (<c>SILKJNL1</c>, the store id, a byte that is 1 once the store is fully
/// created, 3 reserved bytes, the u32 generation), then records of
/// <c>[u32 magic][u32 length][u64 check][length bytes of body]</c> where check is the first 8 bytes
/// of the BLAKE3 of the body, and the body is <c>[u32 generation][u8 kind]</c> followed by the entries
/// (<c>[u32 count]</c> then <c>[i64 sequence][32-byte hash][u32 length][bytes]</c> each) or a
/// metadata change (<c>[u8 present][u32 key length][key][u32 value length][value]</c>).
/// </para>
/// </summary>
internal sealed class EntryJournal : IDisposable
{
    public const string FileName = "silk.journal";
    public const int HeaderSize = 32;
    private const int RecordHeaderSize = 16;
    private const int BodyPrefix = 4; // the generation, first in every body
    private const uint RecordMagic = 0x534C4B52; // "RKLS" little-endian: a record starts here
    private const byte KindEntries = 1;
    private const byte KindMetadata = 2;
    private const long FirstAllocation = 1 << 20;
    private const long MaxAllocationStep = 8 << 20;
    private static ReadOnlySpan<byte> FileMagic => "SILKJNL1"u8;

    private readonly FileStream _file;
    private long _end;
    private long _allocated;
    private uint _generation;

    private EntryJournal(FileStream file, string path)
    {
        _file = file;
        Path = path;
        _allocated = file.Length;
        _end = Math.Min(_allocated, HeaderSize);
    }

    public string Path { get; }

    /// <summary>Bytes of live records plus the header (the file itself is preallocated beyond).</summary>
    public long Length => _end;

    /// <summary>Opens (creating if absent) and locks the journal: the lock is what keeps a second process out.</summary>
    public static EntryJournal Open(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"the Silk store in '{System.IO.Path.GetDirectoryName(path)}' is in use by another process or store instance (its journal '{path}' is locked): {ex.Message}", ex);
        }

        return new EntryJournal(file, path);
    }

    /// <summary>
    /// Reads the header: the store id (null when the file is empty: a store being created) and whether
    /// the store was completely created (its database exists from then on).
    /// </summary>
    public (Guid? StoreId, bool Ready) ReadHeader()
    {
        if (_allocated == 0) return (null, false);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (_allocated < HeaderSize || RandomAccess.Read(_file.SafeFileHandle, header, 0) != HeaderSize || !header[..8].SequenceEqual(FileMagic))
        {
            throw new CorruptStoreException($"'{Path}' is not a Silk journal (bad or truncated header): the store cannot be opened safely");
        }

        _generation = BinaryPrimitives.ReadUInt32LittleEndian(header[28..]);
        return (new Guid(header.Slice(8, 16)), header[24] == 1);
    }

    /// <summary>Writes a fresh header for <paramref name="storeId"/> over an empty file, durably.</summary>
    public void Initialize(Guid storeId)
    {
        var header = new byte[HeaderSize];
        FileMagic.CopyTo(header);
        storeId.TryWriteBytes(header.AsSpan(8, 16));
        _generation = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), _generation);
        _file.SetLength(0);
        _allocated = 0;
        RandomAccess.Write(_file.SafeFileHandle, header, 0);
        _end = HeaderSize;
        _allocated = HeaderSize;
        Allocate(FirstAllocation);
    }

    /// <summary>Marks the store as created (header byte 24), durably.</summary>
    public void MarkReady()
    {
        RandomAccess.Write(_file.SafeFileHandle, [1], 24);
        _file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Every intact record of the current generation after the header, in order. A damaged record at
    /// the end is a batch torn by a crash before it was acknowledged: it is ignored and overwritten by
    /// the next append. A damaged record followed by an intact one is corruption:
    /// <see cref="CorruptStoreException"/>. Records of older generations (already folded into LiteDB)
    /// are stale and ignored.
    /// </summary>
    public IReadOnlyList<JournalRecord> ReadAll()
    {
        var records = new List<JournalRecord>();
        if (_allocated <= HeaderSize) return records;
        if (_allocated - HeaderSize > int.MaxValue) throw new CorruptStoreException($"'{Path}' is implausibly large ({_allocated} bytes)");
        var data = new byte[_allocated - HeaderSize];
        var read = 0;
        while (read < data.Length)
        {
            var n = RandomAccess.Read(_file.SafeFileHandle, data.AsSpan(read), HeaderSize + read);
            if (n == 0) break;
            read += n;
        }

        var span = data.AsSpan(0, read);
        var offset = 0;
        while (offset < read && TryRecordAt(span, offset, _generation, out var body))
        {
            records.Add(Decode(body, HeaderSize + offset));
            offset += RecordHeaderSize + BodyPrefix + body.Length;
        }

        if (FindIntactRecordAfter(span, offset, _generation) is { } later)
        {
            throw new CorruptStoreException(
                $"'{Path}' is damaged at byte {HeaderSize + offset} while an intact record follows at byte {HeaderSize + later}: acknowledged writes would be lost");
        }

        _end = HeaderSize + offset;
        return records;
    }

    /// <summary>Appends one record (sealing it with the generation and checksum); with <paramref name="sync"/> it is on disk when this returns, else handed to the OS.</summary>
    public void Append(byte[] record, bool sync)
    {
        Seal(record, _generation);
        if (_end + record.Length > _allocated) Allocate(Math.Max(_end + record.Length - _allocated, Math.Min(_allocated, MaxAllocationStep)));
        RandomAccess.Write(_file.SafeFileHandle, record, _end);
        _end += record.Length;
        if (sync) _file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Forgets every record (LiteDB holds them durably now) by starting a new generation: the header
    /// is rewritten in place, the space reused. A crash before the new header is on disk only replays
    /// the old records again, which is harmless.
    /// </summary>
    public void Truncate(bool sync, bool shrink = false)
    {
        _generation++;
        Span<byte> generation = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(generation, _generation);
        RandomAccess.Write(_file.SafeFileHandle, generation, 28);
        _end = HeaderSize;
        if (_allocated > 8 * MaxAllocationStep || (shrink && _allocated > HeaderSize + FirstAllocation))
        {
            // a giant batch grew the file, or the store closes: give the space back
            _file.SetLength(HeaderSize + FirstAllocation);
            _allocated = HeaderSize + FirstAllocation;
        }

        if (sync) _file.Flush(flushToDisk: true);
    }

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// Zero-fills <paramref name="bytes"/> more (and syncs the new size once): an fsync after writing
    /// into space that is already allocated and written costs no file-system journal commit, which
    /// here is the difference between ~85 µs and ~130 µs (and a far better p99 under load).
    /// </summary>
    private void Allocate(long bytes)
    {
        var zeros = new byte[Math.Min(bytes, 1 << 20)];
        var target = _allocated + bytes;
        for (var at = _allocated; at < target; at += zeros.Length)
        {
            RandomAccess.Write(_file.SafeFileHandle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, target - at)), at);
        }

        _file.Flush(flushToDisk: true);
        _allocated = target;
    }

    public static byte[] EncodeEntries(IReadOnlyList<StoredEntry> batch)
    {
        var size = RecordHeaderSize + BodyPrefix + 1 + 4;
        foreach (var entry in batch) size += 8 + Hash.Size + 4 + entry.Bytes.Length;
        var record = new byte[size];
        var body = record.AsSpan(RecordHeaderSize + BodyPrefix);
        body[0] = KindEntries;
        BinaryPrimitives.WriteInt32LittleEndian(body[1..], batch.Count);
        var at = 5;
        foreach (var entry in batch)
        {
            BinaryPrimitives.WriteInt64LittleEndian(body[at..], entry.Sequence);
            entry.Hash.CopyTo(body[(at + 8)..]);
            BinaryPrimitives.WriteInt32LittleEndian(body[(at + 8 + Hash.Size)..], entry.Bytes.Length);
            entry.Bytes.Span.CopyTo(body[(at + 12 + Hash.Size)..]);
            at += 12 + Hash.Size + entry.Bytes.Length;
        }

        return record;
    }

    public static byte[] EncodeMetadata(string key, string? value)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var valueBytes = value is null ? [] : Encoding.UTF8.GetBytes(value);
        var record = new byte[RecordHeaderSize + BodyPrefix + 1 + 1 + 4 + keyBytes.Length + 4 + valueBytes.Length];
        var body = record.AsSpan(RecordHeaderSize + BodyPrefix);
        body[0] = KindMetadata;
        body[1] = value is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteInt32LittleEndian(body[2..], keyBytes.Length);
        keyBytes.CopyTo(body[6..]);
        BinaryPrimitives.WriteInt32LittleEndian(body[(6 + keyBytes.Length)..], valueBytes.Length);
        valueBytes.CopyTo(body[(10 + keyBytes.Length)..]);
        return record;
    }

    private static void Seal(byte[] record, uint generation)
    {
        var body = record.AsSpan(RecordHeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(body, generation);
        BinaryPrimitives.WriteUInt32LittleEndian(record, RecordMagic);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(4), body.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(8), Check(body));
    }

    private static ulong Check(ReadOnlySpan<byte> body) => Hash.Compute(body).W0;

    private static bool TryRecordAt(ReadOnlySpan<byte> data, int offset, uint generation, out ReadOnlySpan<byte> body)
    {
        body = default;
        if (data.Length - offset < RecordHeaderSize) return false;
        var header = data[offset..];
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != RecordMagic) return false;
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (length < BodyPrefix + 1 || length > data.Length - offset - RecordHeaderSize) return false;
        var candidate = data.Slice(offset + RecordHeaderSize, length);
        if (Check(candidate) != BinaryPrimitives.ReadUInt64LittleEndian(header[8..])) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(candidate) != generation) return false;
        body = candidate[BodyPrefix..];
        return true;
    }

    private static int? FindIntactRecordAfter(ReadOnlySpan<byte> data, int offset, uint generation)
    {
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(magic, RecordMagic);
        for (var at = offset; at <= data.Length - RecordHeaderSize; at++)
        {
            var next = data[at..].IndexOf(magic);
            if (next < 0) return null;
            at += next;
            if (TryRecordAt(data, at, generation, out _)) return at;
        }

        return null;
    }

    private JournalRecord Decode(ReadOnlySpan<byte> body, long position)
    {
        try
        {
            switch (body[0])
            {
                case KindEntries:
                {
                    var count = BinaryPrimitives.ReadInt32LittleEndian(body[1..]);
                    var entries = new StoredEntry[count];
                    var at = 5;
                    for (var i = 0; i < count; i++)
                    {
                        var sequence = BinaryPrimitives.ReadInt64LittleEndian(body[at..]);
                        var hash = Hash.FromBytes(body.Slice(at + 8, Hash.Size));
                        var length = BinaryPrimitives.ReadInt32LittleEndian(body[(at + 8 + Hash.Size)..]);
                        var bytes = body.Slice(at + 12 + Hash.Size, length).ToArray();
                        entries[i] = new StoredEntry(sequence, hash, bytes);
                        at += 12 + Hash.Size + length;
                    }

                    if (at != body.Length) break;
                    return new EntriesRecord(entries);
                }

                case KindMetadata:
                {
                    var present = body[1] != 0;
                    var keyLength = BinaryPrimitives.ReadInt32LittleEndian(body[2..]);
                    var key = Encoding.UTF8.GetString(body.Slice(6, keyLength));
                    var valueLength = BinaryPrimitives.ReadInt32LittleEndian(body[(6 + keyLength)..]);
                    var value = Encoding.UTF8.GetString(body.Slice(10 + keyLength, valueLength));
                    if (10 + keyLength + valueLength != body.Length) break;
                    return new MetadataRecord(key, present ? value : null);
                }
            }
        }
        catch (ArgumentOutOfRangeException)
        {
        }

        throw new CorruptStoreException($"'{Path}' holds a record at byte {position} that passes its checksum but does not decode");
    }
}
