using Silk.Core.Persistence;

namespace Silk.Storage;

/// <summary>
/// LiteDB's own write-ahead log (<c>silk-log.db</c>), handed to the engine as a stream so that the file
/// carries a header naming the store it belongs to. LiteDB replays whatever log it finds on open; a log
/// copied from another database would be replayed into ours and silently mix pages. With the header,
/// a foreign, garbled or truncated log is refused before LiteDB ever reads it. LiteDB sees the file
/// minus the header. <see cref="Flush()"/> really syncs the file in <see cref="DurabilityMode.Fsync"/>.
/// </summary>
internal sealed class StampedLogStream : Stream
{
    public const string FileName = "silk-log.db";
    public const int HeaderSize = 4096; // keeps LiteDB's 8 KiB pages block-aligned
    private static ReadOnlySpan<byte> Magic => "SILKLOG1"u8;

    private readonly FileStream _file;
    private readonly bool _sync;

    private StampedLogStream(FileStream file, bool sync)
    {
        _file = file;
        _sync = sync;
    }

    /// <summary>Opens the log of the store <paramref name="storeId"/>, stamping a new (empty) one.</summary>
    public static StampedLogStream Open(string path, Guid storeId, bool sync)
    {
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        try
        {
            var header = new byte[HeaderSize];
            if (file.Length == 0)
            {
                Magic.CopyTo(header);
                storeId.TryWriteBytes(header.AsSpan(8, 16));
                RandomAccess.Write(file.SafeFileHandle, header, 0);
                file.Flush(flushToDisk: true);
            }
            else
            {
                var read = file.Length >= HeaderSize ? RandomAccess.Read(file.SafeFileHandle, header, 0) : 0;
                if (read != HeaderSize || !header.AsSpan(0, 8).SequenceEqual(Magic))
                {
                    throw new CorruptStoreException(
                        $"'{path}' is not this store's LiteDB log (no Silk header; {file.Length} bytes): it may be a foreign or damaged -log file. " +
                        "Replaying it could mix another database's pages into this one; move it away only if you know it is stale");
                }

                var owner = new Guid(header.AsSpan(8, 16));
                if (owner != storeId)
                {
                    throw new CorruptStoreException($"'{path}' is the LiteDB log of another store ({owner:N}, this store is {storeId:N}): refusing to replay a foreign -log file");
                }
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }

        file.Position = HeaderSize;
        return new StampedLogStream(file, sync);
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _file.Length - HeaderSize;

    public override long Position
    {
        get => _file.Position - HeaderSize;
        set => _file.Position = value + HeaderSize;
    }

    public override void Flush() => _file.Flush(flushToDisk: _sync);

    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _file.Read(buffer);

    public override long Seek(long offset, SeekOrigin origin) => origin switch
    {
        SeekOrigin.Begin => _file.Seek(offset + HeaderSize, SeekOrigin.Begin) - HeaderSize,
        _ => _file.Seek(offset, origin) - HeaderSize,
    };

    public override void SetLength(long value) => _file.SetLength(value + HeaderSize);

    public override void Write(byte[] buffer, int offset, int count) => _file.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _file.Write(buffer);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _file.Dispose();
        base.Dispose(disposing);
    }
}
