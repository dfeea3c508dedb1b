using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Silk.Core.Wire;

/// <summary>
/// A 32-byte BLAKE3 content hash. Held as four big-endian words so that equality is four compares
/// and ordering is the byte-wise order the original uses for tie-breaks.
/// </summary>
public readonly record struct Hash(ulong W0, ulong W1, ulong W2, ulong W3) : IComparable<Hash>
{
    public const int Size = 32;

    public static Hash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a hash is {Size} bytes, got {bytes.Length}", nameof(bytes));
        }

        return new Hash(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }

    /// <summary>Computes BLAKE3 of <paramref name="content"/>.</summary>
    public static Hash Compute(ReadOnlySpan<byte> content)
    {
        Span<byte> digest = stackalloc byte[Size];
        Blake3.Hasher.Hash(content, digest);
        return FromBytes(digest);
    }

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, W0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], W1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], W2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], W3);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Little-endian u64 of bytes 0..7, as the bloom filter's first probe hash reads it.</summary>
    public ulong LittleEndianWord0 => BinaryPrimitives.ReverseEndianness(W0);

    /// <summary>Little-endian u64 of bytes 8..15, the bloom filter's second probe hash.</summary>
    public ulong LittleEndianWord1 => BinaryPrimitives.ReverseEndianness(W1);

    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public override string ToString() => ToHex();

    public static Hash ParseHex(string hex)
    {
        if (!TryParseHex(hex, out var hash))
        {
            throw new FormatException($"not a 64-character hex hash: '{Truncate(hex)}'");
        }

        return hash;
    }

    public static bool TryParseHex([NotNullWhen(true)] string? hex, out Hash hash)
    {
        hash = default;
        if (hex is null || hex.Length != Size * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        hash = FromBytes(bytes);
        return true;
    }

    public int CompareTo(Hash other)
    {
        var c = W0.CompareTo(other.W0);
        if (c != 0) return c;
        c = W1.CompareTo(other.W1);
        if (c != 0) return c;
        c = W2.CompareTo(other.W2);
        return c != 0 ? c : W3.CompareTo(other.W3);
    }

    public override int GetHashCode() => (int)W0 ^ (int)(W0 >> 32);

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
