using System.Buffers;
using System.Text;
using MessagePack;

namespace Silk.Core.Wire;

/// <summary>
/// Shared MessagePack reading and writing rules of the original (rmp-serde): positional arrays,
/// compact integers, hashes and byte vectors as arrays of small ints.
/// </summary>
internal static class MsgPack
{
    public delegate T ReadFunc<out T>(ref MessagePackReader reader);

    /// <summary>
    /// Runs a decoder over a whole buffer and turns every failure into <see cref="WireFormatException"/>
    /// prefixed with <paramref name="what"/> (no prefix when null: the bare serde text). Trailing bytes are refused.
    /// </summary>
    public static T DecodeWhole<T>(ReadOnlyMemory<byte> bytes, string? what, ReadFunc<T> read)
    {
        try
        {
            var reader = new MessagePackReader(bytes);
            var result = read(ref reader);
            if (!reader.End)
            {
                throw new WireFormatException($"{reader.Sequence.Length - reader.Consumed} trailing bytes");
            }

            return result;
        }
        catch (Exception ex) when (IsDecodeFailure(ex))
        {
            throw new WireFormatException(what is null ? Describe(ex) : $"{what}: {Describe(ex)}", ex);
        }
    }

    public static bool IsDecodeFailure(Exception ex) =>
        ex is WireFormatException or MessagePackSerializationException or EndOfStreamException
            or OverflowException or InvalidOperationException or ArgumentException or FormatException;

    private static string Describe(Exception ex) => ex switch
    {
        EndOfStreamException => "unexpected end of data",
        WireFormatException w => w.Message,
        _ => ex.Message,
    };

    public static byte PeekCode(ref MessagePackReader reader)
    {
        if (reader.End) throw new EndOfStreamException();
        return reader.NextCode;
    }

    /// <summary>Names a marker byte the way rmp's Debug output does, so error texts match the original.</summary>
    public static string MarkerName(byte code) => code switch
    {
        <= 0x7f => $"FixPos({code})",
        <= 0x8f => $"FixMap({code & 0x0f})",
        <= 0x9f => $"FixArray({code & 0x0f})",
        <= 0xbf => $"FixStr({code & 0x1f})",
        0xc0 => "Null",
        0xc1 => "Reserved",
        0xc2 => "False",
        0xc3 => "True",
        0xc4 => "Bin8",
        0xc5 => "Bin16",
        0xc6 => "Bin32",
        0xc7 => "Ext8",
        0xc8 => "Ext16",
        0xc9 => "Ext32",
        0xca => "F32",
        0xcb => "F64",
        0xcc => "U8",
        0xcd => "U16",
        0xce => "U32",
        0xcf => "U64",
        0xd0 => "I8",
        0xd1 => "I16",
        0xd2 => "I32",
        0xd3 => "I64",
        0xd4 => "FixExt1",
        0xd5 => "FixExt2",
        0xd6 => "FixExt4",
        0xd7 => "FixExt8",
        0xd8 => "FixExt16",
        0xd9 => "Str8",
        0xda => "Str16",
        0xdb => "Str32",
        0xdc => "Array16",
        0xdd => "Array32",
        0xde => "Map16",
        0xdf => "Map32",
        _ => $"FixNeg({(sbyte)code})",
    };

    public static WireFormatException WrongMarker(byte code) => new($"wrong msgpack marker {MarkerName(code)}");

    private static bool IsInteger(byte code) => code <= 0x7f || code >= 0xe0 || code is >= 0xcc and <= 0xd3;

    private static bool IsArray(byte code) => code is >= 0x90 and <= 0x9f or 0xdc or 0xdd;

    private static bool IsMap(byte code) => code is >= 0x80 and <= 0x8f or 0xde or 0xdf;

    public static bool NextIsMap(ref MessagePackReader reader) => IsMap(PeekCode(ref reader));

    public static bool NextIsArray(ref MessagePackReader reader) => IsArray(PeekCode(ref reader));

    public static int ReadArrayHeader(ref MessagePackReader reader)
    {
        var code = PeekCode(ref reader);
        if (!IsArray(code)) throw WrongMarker(code);
        var count = reader.ReadArrayHeader();
        EnsurePlausibleCount(ref reader, count);
        return count;
    }

    public static int ReadMapHeader(ref MessagePackReader reader)
    {
        var code = PeekCode(ref reader);
        if (!IsMap(code)) throw WrongMarker(code);
        var count = reader.ReadMapHeader();
        EnsurePlausibleCount(ref reader, (long)count * 2);
        return count;
    }

    // Every element takes at least one byte: a count beyond what remains is a lie, refuse it before allocating.
    private static void EnsurePlausibleCount(ref MessagePackReader reader, long count)
    {
        if (count > reader.Sequence.Length - reader.Consumed)
        {
            throw new WireFormatException($"length {count} exceeds the remaining data");
        }
    }

    public static void ReadArrayHeaderExactly(ref MessagePackReader reader, int expected, string what)
    {
        var count = ReadArrayHeader(ref reader);
        if (count != expected)
        {
            throw new WireFormatException($"invalid length {count}, expected {what} as a {expected}-element sequence");
        }
    }

    public static ulong ReadU64(ref MessagePackReader reader)
    {
        var code = PeekCode(ref reader);
        if (!IsInteger(code)) throw WrongMarker(code);
        if (code is >= 0xe0 or (>= 0xd0 and <= 0xd3))
        {
            var signed = reader.ReadInt64();
            if (signed < 0) throw new WireFormatException($"invalid value: integer `{signed}`, expected an unsigned integer");
            return (ulong)signed;
        }

        return reader.ReadUInt64();
    }

    public static uint ReadU32(ref MessagePackReader reader)
    {
        var value = ReadU64(ref reader);
        if (value > uint.MaxValue) throw new WireFormatException($"invalid value: integer `{value}`, expected u32");
        return (uint)value;
    }

    public static bool ReadBool(ref MessagePackReader reader)
    {
        var code = PeekCode(ref reader);
        if (code is not (0xc2 or 0xc3)) throw WrongMarker(code);
        return reader.ReadBoolean();
    }

    public static string ReadString(ref MessagePackReader reader)
    {
        var code = PeekCode(ref reader);
        if (code is not ((>= 0xa0 and <= 0xbf) or 0xd9 or 0xda or 0xdb)) throw WrongMarker(code);
        var bytes = reader.ReadStringSequence()!.Value;
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new WireFormatException("invalid UTF-8 in a string");
        }
    }

    // MessagePackReader.ReadString substitutes U+FFFD for invalid UTF-8; the original (serde String) refuses it,
    // and substituting would let different bytes (different hashes) read as the same id or value.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string? ReadOptionalString(ref MessagePackReader reader) =>
        reader.TryReadNil() ? null : ReadString(ref reader);

    /// <summary>A name that repeats across entries (type, key, author): the instance is shared, see <see cref="NamePool"/>.</summary>
    public static string ReadName(ref MessagePackReader reader)
    {
        var code = PeekCode(ref reader);
        if (code is not ((>= 0xa0 and <= 0xbf) or 0xd9 or 0xda or 0xdb)) throw WrongMarker(code);
        var bytes = reader.ReadStringSequence()!.Value;
        try
        {
            return bytes.IsSingleSegment ? NamePool.Get(bytes.FirstSpan) : StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new WireFormatException("invalid UTF-8 in a string");
        }
    }

    public static string? ReadOptionalName(ref MessagePackReader reader) =>
        reader.TryReadNil() ? null : ReadName(ref reader);

    public static bool TryReadNil(ref MessagePackReader reader)
    {
        _ = PeekCode(ref reader);
        return reader.TryReadNil();
    }

    /// <summary>A serde byte vector: an array of small unsigned ints (a bin payload is accepted too).</summary>
    public static byte[] ReadByteList(ref MessagePackReader reader)
    {
        var code = PeekCode(ref reader);
        if (code is 0xc4 or 0xc5 or 0xc6)
        {
            return reader.ReadBytes()?.ToArray() ?? [];
        }

        var count = ReadArrayHeader(ref reader);
        var bytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var b = ReadU64(ref reader);
            if (b > byte.MaxValue) throw new WireFormatException($"invalid value: integer `{b}`, expected u8");
            bytes[i] = (byte)b;
        }

        return bytes;
    }

    public static Hash ReadHash(ref MessagePackReader reader)
    {
        Span<byte> bytes = stackalloc byte[Hash.Size];
        var code = PeekCode(ref reader);
        if (code is 0xc4)
        {
            var seq = reader.ReadBytes() ?? default;
            if (seq.Length != Hash.Size) throw new WireFormatException($"invalid length {seq.Length}, expected a 32-byte hash");
            seq.CopyTo(bytes);
            return Hash.FromBytes(bytes);
        }

        var count = ReadArrayHeader(ref reader);
        if (count != Hash.Size) throw new WireFormatException($"invalid length {count}, expected a 32-byte hash");
        for (var i = 0; i < Hash.Size; i++)
        {
            // The encoder writes fixints and u8; anything else still goes through the checked path.
            var next = PeekCode(ref reader);
            bytes[i] = next <= 0x7f || next == 0xcc ? reader.ReadByte() : CheckedByte(ref reader);
        }

        return Hash.FromBytes(bytes);
    }

    private static byte CheckedByte(ref MessagePackReader reader)
    {
        var b = ReadU64(ref reader);
        if (b > byte.MaxValue) throw new WireFormatException($"invalid value: integer `{b}`, expected u8");
        return (byte)b;
    }

    public static Hash[] ReadHashList(ref MessagePackReader reader)
    {
        var count = ReadArrayHeader(ref reader);
        if (count == 0) return [];
        var hashes = new Hash[count];
        for (var i = 0; i < count; i++)
        {
            hashes[i] = ReadHash(ref reader);
        }

        return hashes;
    }

    public static string[] ReadStringList(ref MessagePackReader reader)
    {
        var count = ReadArrayHeader(ref reader);
        var items = new string[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = ReadName(ref reader);
        }

        return items;
    }

    /// <summary>Writes a hash as the original does: <c>dc 0020</c> then 32 compact unsigned ints.</summary>
    public static void WriteHash(ref MessagePackWriter writer, Hash hash)
    {
        Span<byte> bytes = stackalloc byte[Hash.Size];
        hash.CopyTo(bytes);
        WriteByteArrayAsInts(ref writer, bytes);
    }

    public static void WriteByteArrayAsInts(ref MessagePackWriter writer, scoped ReadOnlySpan<byte> bytes)
    {
        writer.WriteArrayHeader(bytes.Length);
        var span = writer.GetSpan(bytes.Length * 2);
        var n = 0;
        foreach (var b in bytes)
        {
            if (b >= 0x80) span[n++] = 0xcc;
            span[n++] = b;
        }

        writer.Advance(n);
    }

    public static void WriteHashList(ref MessagePackWriter writer, IReadOnlyList<Hash> hashes)
    {
        writer.WriteArrayHeader(hashes.Count);
        for (var i = 0; i < hashes.Count; i++)
        {
            WriteHash(ref writer, hashes[i]);
        }
    }

    public static void WriteOptionalString(ref MessagePackWriter writer, string? value)
    {
        if (value is null) writer.WriteNil();
        else writer.Write(value);
    }

    public static void WriteStringList(ref MessagePackWriter writer, IReadOnlyList<string> items)
    {
        writer.WriteArrayHeader(items.Count);
        foreach (var item in items) writer.Write(item);
    }

    /// <summary>Encodes with <paramref name="write"/> into a fresh array.</summary>
    public static byte[] Encode<TState>(TState state, WriteAction<TState> write)
    {
        var buffer = Buffer;
        buffer.ResetWrittenCount();
        var writer = new MessagePackWriter(buffer);
        write(ref writer, state);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public delegate void WriteAction<in TState>(ref MessagePackWriter writer, TState state);

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>A per-thread scratch buffer for encoders that copy out what they wrote.</summary>
    public static ArrayBufferWriter<byte> Buffer => t_buffer ??= new ArrayBufferWriter<byte>(1024);
}
