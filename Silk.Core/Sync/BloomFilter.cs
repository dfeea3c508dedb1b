using MessagePack;
using Silk.Core.Wire;

namespace Silk.Core.Sync;

/// <summary>
/// The original's bloom filter over entry hashes. Probe i of a hash is
/// <c>(h1 + i·h2 + i²) mod num_bits</c> with wrapping u64 arithmetic, where h1 and h2 are the
/// little-endian u64s of hash bytes 0..7 and 8..15. Wire form <c>[bits[u64], num_bits, num_hashes, count]</c>.
/// </summary>
public sealed class BloomFilter
{
    public const uint MaxHashesAccepted = 32;

    private readonly ulong[] _words;

    private BloomFilter(ulong[] words, ulong numBits, uint numHashes, ulong count)
    {
        _words = words;
        NumBits = numBits;
        NumHashes = numHashes;
        Count = count;
    }

    public ulong NumBits { get; }

    public uint NumHashes { get; }

    /// <summary>How many hashes were inserted (duplicates counted).</summary>
    public ulong Count { get; private set; }

    public ReadOnlySpan<ulong> Words => _words;

    /// <summary>Sizes a filter as the original does: m = ⌈-n·ln p / ln²2⌉ (at least 64), k = ⌈m/n · ln 2⌉ (at least 1).</summary>
    public static (ulong NumBits, uint NumHashes) Dimensions(ulong expectedItems, double falsePositiveRate)
    {
        ArgumentOutOfRangeException.ThrowIfZero(expectedItems);
        if (!(falsePositiveRate > 0 && falsePositiveRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(falsePositiveRate), "must be in (0, 1)");
        }

        var n = (double)expectedItems;
        var ln2 = Math.Log(2);
        var bits = Math.Max((ulong)Math.Ceiling(-n * Math.Log(falsePositiveRate) / (ln2 * ln2)), 64UL);
        var hashes = Math.Max((uint)Math.Ceiling(bits / n * ln2), 1U);
        return (bits, hashes);
    }

    public static BloomFilter Create(ulong expectedItems, double falsePositiveRate)
    {
        var (bits, hashes) = Dimensions(expectedItems, falsePositiveRate);
        return new BloomFilter(new ulong[(bits + 63) / 64], bits, hashes, 0);
    }

    public void Insert(Hash hash)
    {
        var h1 = hash.LittleEndianWord0;
        var h2 = hash.LittleEndianWord1;
        for (ulong i = 0; i < NumHashes; i++)
        {
            var idx = unchecked(h1 + (i * h2) + (i * i)) % NumBits;
            _words[idx / 64] |= 1UL << (int)(idx % 64);
        }

        Count++;
    }

    /// <summary>False means certainly absent; true means probably present.</summary>
    public bool MightContain(Hash hash)
    {
        var h1 = hash.LittleEndianWord0;
        var h2 = hash.LittleEndianWord1;
        for (ulong i = 0; i < NumHashes; i++)
        {
            var idx = unchecked(h1 + (i * h2) + (i * i)) % NumBits;
            if ((_words[idx / 64] & (1UL << (int)(idx % 64))) == 0) return false;
        }

        return true;
    }

    /// <summary>Union with a filter of the same dimensions.</summary>
    public void Merge(BloomFilter other)
    {
        if (other.NumBits != NumBits || other.NumHashes != NumHashes)
        {
            throw new ArgumentException("bloom filters of different dimensions cannot be merged", nameof(other));
        }

        for (var i = 0; i < _words.Length; i++) _words[i] |= other._words[i];
        Count += other.Count;
    }

    public void Write(ref MessagePackWriter w)
    {
        w.WriteArrayHeader(4);
        w.WriteArrayHeader(_words.Length);
        foreach (var word in _words) w.Write(word);
        w.Write(NumBits);
        w.Write(NumHashes);
        w.Write(Count);
    }

    public byte[] ToBytes() => MsgPack.Encode(this, static (ref MessagePackWriter w, BloomFilter b) => b.Write(ref w));

    public static BloomFilter Decode(ReadOnlyMemory<byte> bytes) =>
        MsgPack.DecodeWhole(bytes, "invalid bloom filter", static (ref MessagePackReader r) => Read(ref r));

    /// <summary>Reads and validates: num_bits &gt; 0, enough words for num_bits, 1 ≤ num_hashes ≤ 32.</summary>
    public static BloomFilter Read(ref MessagePackReader r)
    {
        MsgPack.ReadArrayHeaderExactly(ref r, 4, "a BloomFilter");
        var wordCount = MsgPack.ReadArrayHeader(ref r);
        var words = new ulong[wordCount];
        for (var i = 0; i < wordCount; i++) words[i] = MsgPack.ReadU64(ref r);
        var numBits = MsgPack.ReadU64(ref r);
        var numHashes = MsgPack.ReadU32(ref r);
        var count = MsgPack.ReadU64(ref r);
        if (numBits == 0) throw new WireFormatException("bloom filter has zero bits");
        // words·64 ≥ num_bits, computed without overflow: (num_bits + 63) / 64 wraps to 0 for num_bits near u64::MAX.
        if ((ulong)wordCount * 64 < numBits)
        {
            throw new WireFormatException($"bloom filter declares {numBits} bits but carries only {wordCount} words");
        }

        if (numHashes is 0 or > MaxHashesAccepted)
        {
            throw new WireFormatException($"bloom filter hash count {numHashes} is outside 1..{MaxHashesAccepted}");
        }

        return new BloomFilter(words, numBits, numHashes, count);
    }
}
