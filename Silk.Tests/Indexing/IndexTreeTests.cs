using CsCheck;
using Silk.Core.Indexing;
using Silk.Core.Wire;

namespace Silk.Tests.Indexing;

/// <summary>The B+tree under the indexes holds what a sorted set holds, through random inserts, removes, bulk loads and seeks, in both directions.</summary>
public sealed class IndexTreeTests
{
    [Fact]
    public void Random_operations_keep_the_tree_equal_to_a_sorted_set()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var random = new Random(seed);
            var reference = new SortedSet<IndexEntry>();
            var initial = Enumerable.Range(0, random.Next(0, 2_000)).Select(_ => Entry(random)).Distinct().Order().ToList();
            foreach (var e in initial) reference.Add(e);
            var tree = IndexTree.FromSorted(initial);
            for (var step = 0; step < 3_000; step++)
            {
                var entry = Entry(random);
                if (random.Next(3) == 0) Assert.Equal(reference.Remove(entry), tree.Remove(entry));
                else Assert.Equal(reference.Add(entry), tree.Insert(entry));
            }

            Assert.Equal(reference.Count, tree.Count);
            Assert.Equal(reference.ToList(), tree.All().ToList());
            var backwards = new List<IndexEntry>();
            for (var p = tree.Last(); p.HasValue; p = p.Previous()) backwards.Add(p.Entry);
            Assert.Equal(reference.Reverse().ToList(), backwards);

            for (var i = 0; i < 20; i++)
            {
                var bound = Entry(random);
                var seek = tree.Seek(e => e.CompareTo(bound) < 0);
                var expected = reference.FirstOrDefault(e => e.CompareTo(bound) >= 0);
                Assert.Equal(reference.Any(e => e.CompareTo(bound) >= 0), seek.HasValue);
                if (seek.HasValue) Assert.Equal(expected, seek.Entry);
            }

            // Empty it: the tree shrinks back to an empty leaf.
            foreach (var e in reference.ToList()) Assert.True(tree.Remove(e));
            Assert.Equal(0, tree.Count);
            Assert.False(tree.First().HasValue);
        }, iter: 40);
    }

    private static IndexEntry Entry(Random random) =>
        new(random.Next(3) == 0 ? Value.FromString(((char)('a' + random.Next(5))).ToString()) : Value.FromInt(random.Next(300)), $"n{random.Next(50)}");
}
