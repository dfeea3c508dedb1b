using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Tests.Sync;

/// <summary>A filter built at once (on every core for large ones) is the filter inserting the hashes one by one gives.</summary>
public class BloomFilterBuildTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1_000)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(250_001)]
    public void Build_equals_one_insert_after_another(int count)
    {
        var random = new Random(count);
        var hashes = Enumerable.Range(0, count).Select(_ => new Hash((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), 7)).ToArray();
        var expected = (ulong)Math.Max(count, 128);
        var oneByOne = BloomFilter.Create(expected, 0.01);
        foreach (var hash in hashes) oneByOne.Insert(hash);
        var built = BloomFilter.Build(expected, 0.01, count, i => hashes[i]);
        Assert.Equal(oneByOne.ToBytes(), built.ToBytes());
        var seeds = hashes.SelectMany(h => new[] { h.LittleEndianWord0, h.LittleEndianWord1 }).Concat([0UL, 0UL]).ToArray();
        Assert.Equal(oneByOne.ToBytes(), BloomFilter.Build(expected, 0.01, seeds, count).ToBytes());
        Assert.All(hashes.Take(1000), h => Assert.True(built.MightContain(h)));
    }
}
