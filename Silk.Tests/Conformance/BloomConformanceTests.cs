using Silk.Core.Sync;
using static Silk.Tests.Conformance.Vectors;

namespace Silk.Tests.Conformance;

/// <summary>bloom.json: sizing, probe positions (bit words), msgpack form, membership, merge.</summary>
public sealed class BloomConformanceTests
{
    private const string File = "bloom.json";

    public static TheoryData<int, string> ParamCases => Indexed(File, "params");

    public static TheoryData<int, string> FilledCases => Indexed(File, "cases");

    [Theory]
    [MemberData(nameof(ParamCases))]
    public void Dimensions(int index, string label)
    {
        _ = label;
        var c = At(File, ["params"], index);
        var (bits, hashes) = BloomFilter.Dimensions(Prop(c, "expected_items").GetUInt64(), Prop(c, "fp_rate").GetDouble());
        Assert.Equal(Prop(c, "num_bits").GetUInt64(), bits);
        Assert.Equal(Prop(c, "num_hashes").GetUInt32(), hashes);

        var filter = BloomFilter.Create(Prop(c, "expected_items").GetUInt64(), Prop(c, "fp_rate").GetDouble());
        Assert.Equal(Prop(c, "words").GetInt32(), filter.Words.Length);
    }

    [Theory]
    [MemberData(nameof(FilledCases))]
    public void Filled_filter(int index, string label)
    {
        _ = label;
        var c = At(File, ["cases"], index);
        var filter = BloomFilter.Create(Prop(c, "expected_items").GetUInt64(), Prop(c, "fp_rate").GetDouble());
        Assert.Equal(Prop(c, "num_bits").GetUInt64(), filter.NumBits);
        Assert.Equal(Prop(c, "num_hashes").GetUInt32(), filter.NumHashes);

        var inserted = Hashes(Prop(c, "inserted"));
        foreach (var h in inserted) filter.Insert(h);

        var words = Prop(c, "bits_words_u64").EnumerateArray().Select(w => w.GetUInt64()).ToArray();
        Assert.Equal(words, filter.Words.ToArray());
        Assert.Equal(Prop(c, "count").GetUInt64(), filter.Count);
        Assert.Equal(Str(c, "msgpack_hex"), ToHex(filter.ToBytes()));

        Assert.All(inserted, h => Assert.True(filter.MightContain(h)));
        var falsePositives = 0;
        foreach (var probe in Prop(c, "probes_not_inserted").EnumerateArray())
        {
            var expected = Prop(probe, "contains").GetBoolean();
            var hash = HashOf(Prop(probe, "hash"));
            Assert.True(expected == filter.MightContain(hash), $"probe {hash}: expected contains={expected}");
            if (expected) falsePositives++;
        }

        Assert.Equal(Prop(c, "probe_false_positive_count").GetInt32(), falsePositives);

        var decoded = BloomFilter.Decode(HexOf(c, "msgpack_hex"));
        Assert.Equal(Str(c, "msgpack_hex"), ToHex(decoded.ToBytes()));
        Assert.Equal(words, decoded.Words.ToArray());
        Assert.Equal(filter.NumBits, decoded.NumBits);
        Assert.Equal(filter.NumHashes, decoded.NumHashes);
        Assert.Equal(filter.Count, decoded.Count);
    }

    [Fact]
    public void Merge_case()
    {
        var c = Get(File, "merge_case");
        var merged = BloomFilter.Decode(HexOf(c, "merged_msgpack_hex"));
        var a = BloomFilter.Create(128, 0.01);
        var b = BloomFilter.Create(128, 0.01);
        Assert.Equal(merged.NumBits, a.NumBits);
        foreach (var h in Hashes(Prop(c, "a_inserted"))) a.Insert(h);
        foreach (var h in Hashes(Prop(c, "b_inserted"))) b.Insert(h);
        a.Merge(b);
        Assert.Equal(Str(c, "merged_msgpack_hex"), ToHex(a.ToBytes()));
        Assert.All(Hashes(Prop(c, "b_inserted")), h => Assert.True(a.MightContain(h)));
    }
}
