using CsCheck;
using Silk.Core.Wire;

namespace Silk.Tests.Wire;

/// <summary>
/// A property map is its pairs sorted by UTF-8 key order with the last of equal keys kept, whether it is built
/// from few pairs (sorted in place) or many (sorted through an index), from <see cref="ValueMap.Of"/> or
/// <see cref="ValueMap.From"/>.
/// </summary>
public class ValueMapConstructionTests
{
    [Fact]
    public void Any_pairs_give_the_sorted_map_with_the_last_of_equal_keys()
    {
        string[] names = ["a", "b", "n", "name", "score", "é", "z", "Z", "aa", "ab", "k1", "k2", "k10", "\u00ff", "\u0100"];
        var pairs = Gen.Select(Gen.Int[0, names.Length - 1], Gen.Long[-5, 5], (k, v) => (Key: names[k], Value: v)).Array[0, 40];
        pairs.Sample(generated =>
        {
            var expected = new SortedDictionary<string, long>(Utf8Order.Instance);
            foreach (var (key, value) in generated) expected[key] = value;

            var of = ValueMap.Of([.. generated.Select(p => (p.Key, Value.FromInt(p.Value)))]);
            var from = ValueMap.From(generated.Select(p => new KeyValuePair<string, Value>(p.Key, Value.FromInt(p.Value))));
            foreach (var map in new[] { of, from })
            {
                Assert.Equal(expected.Keys, map.Keys);
                Assert.Equal(expected.Values, map.ValueSpan.ToArray().Select(v => v.AsInt));
            }
        }, iter: 2000);
    }
}
