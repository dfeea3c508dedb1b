using System.Collections.Immutable;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Log;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Tests.Log;

/// <summary>
/// The walks a delta payload makes (what a peer lacks, and the order of a small subset) cost what lies near the heads,
/// not the log: they must give exactly what the whole-log walks give, on forked and merged histories with tied clocks.
/// </summary>
public class OpLogSubsetWalkTests
{
    private static readonly Ontology TinyOntology = new(
        SortedMap.From([KeyValuePair.Create("item", new NodeTypeDef(null, SortedMap.Empty<PropertyDef>(), null, null))]),
        SortedMap.Empty<EdgeTypeDef>());

    private static Entry Genesis() => Entry.Create(new DefineOntology(TinyOntology), [], new ClockStamp("a", 1, 0), "a");

    private static Entry Node(string id, ulong physical, string author, IReadOnlyList<Hash> parents, IReadOnlyList<Hash>? refs = null) =>
        Entry.Create(new AddNode(id, "item", null, id, ValueMap.Empty), parents, new ClockStamp(author, physical, 0), author, refs: refs);

    /// <summary>Three writers that fork from recent entries, merge each other's heads, and often share a clock reading.</summary>
    private static (OpLog Log, List<Entry> Entries) RandomHistory(int seed, int count)
    {
        var random = new Random(seed);
        var genesis = Genesis();
        var log = new OpLog(genesis);
        var entries = new List<Entry> { genesis };
        for (var i = 0; i < count; i++)
        {
            var parents = new HashSet<Hash>();
            var fanIn = random.Next(10) switch { < 6 => 1, < 9 => 2, _ => 3 };
            for (var p = 0; p < fanIn; p++)
            {
                parents.Add(random.Next(3) == 0 ? log.Heads[random.Next(log.HeadCount)] : entries[Math.Max(0, entries.Count - 1 - random.Next(12))].Hash);
            }

            var entry = Node($"n{i}", (ulong)(2 + (i / 3)), $"w{random.Next(3)}", [.. parents]);
            Assert.Equal(AppendOutcome.Inserted, log.Append(entry));
            entries.Add(entry);
        }

        return (log, entries);
    }

    private static List<Hash> Hashes(IEnumerable<Entry> entries) => entries.Select(e => e.Hash).ToList();

    [Fact]
    public void What_a_peer_lacks_found_from_the_heads_equals_the_whole_log_marking()
    {
        for (var seed = 0; seed < 25; seed++)
        {
            var (log, entries) = RandomHistory(seed, 300);
            var random = new Random(1000 + seed);
            for (var trial = 0; trial < 20; trial++)
            {
                // A peer's heads: a few entries anywhere (near the end most of the time), sometimes one we never saw.
                var starts = new List<Hash>();
                var picks = random.Next(4);
                for (var p = 0; p < picks; p++)
                {
                    var back = random.Next(2) == 0 ? random.Next(20) : random.Next(entries.Count);
                    starts.Add(entries[entries.Count - 1 - back].Hash);
                }

                if (random.Next(5) == 0) starts.Add(Node("elsewhere", 9, "x", [entries[0].Hash]).Hash);
                var expected = Hashes(log.NotAncestorsByMarking(starts));
                var fromHeads = log.NotAncestorsNearHeads(starts, int.MaxValue);
                Assert.NotNull(fromHeads);
                Assert.Equal(expected, Hashes(fromHeads));
                Assert.Equal(expected, Hashes(log.NotAncestorsOf(starts)));
            }

            Assert.Empty(log.NotAncestorsNearHeads(log.Heads, int.MaxValue)!);
        }
    }

    [Fact]
    public void The_walk_from_the_heads_visits_what_is_near_them_and_gives_up_past_its_budget()
    {
        var (log, entries) = RandomHistory(7, 2000);
        var peerHeads = new[] { entries[^40].Hash };
        // Within a budget of a fifth of the log: the walk did not go down the whole history.
        var near = log.NotAncestorsNearHeads(peerHeads, budget: 400);
        Assert.NotNull(near);
        Assert.Equal(Hashes(log.NotAncestorsByMarking(peerHeads)), Hashes(near));

        // A peer that has only the genesis lacks the whole log: the walk stops and the caller marks the log instead.
        Assert.Null(log.NotAncestorsNearHeads([entries[0].Hash], budget: 400));
        Assert.Equal(entries.Count - 1, log.NotAncestorsOf([entries[0].Hash]).Count);
    }

    [Fact]
    public void A_log_with_refs_is_marked_whole_because_a_ref_may_name_a_later_entry()
    {
        var genesis = Genesis();
        var log = new OpLog(genesis);
        var later = Node("later", 3, "a", [genesis.Hash]);
        var referring = Node("referring", 2, "b", [genesis.Hash], refs: [later.Hash]);
        log.Append(referring);
        log.Append(later);

        // The peer holds `referring`, which refers to `later`: it counts as known although it arrived afterwards.
        var lacking = Hashes(log.NotAncestorsOf([referring.Hash]));
        Assert.Empty(lacking);
        Assert.Equal(Hashes(log.NotAncestorsByMarking([referring.Hash])), lacking);
    }

    [Fact]
    public void A_small_subset_is_ordered_on_its_own_records_exactly_as_on_arrays_over_the_log()
    {
        for (var seed = 0; seed < 25; seed++)
        {
            var (log, entries) = RandomHistory(seed, 400);
            var random = new Random(2000 + seed);
            for (var trial = 0; trial < 20; trial++)
            {
                // Either a run of recent entries (a delta payload) or entries picked anywhere (gaps inside the subset).
                var size = 1 + random.Next(24);
                var subset = random.Next(2) == 0
                    ? entries.TakeLast(size).Select(e => e.Hash).ToHashSet()
                    : Enumerable.Range(0, size).Select(_ => entries[random.Next(entries.Count)].Hash).ToHashSet();
                if (random.Next(6) == 0) subset.Add(Node("unknown", 5, "x", [entries[0].Hash]).Hash);
                Assert.Equal(Hashes(log.TopologicalOrderOnArrays(subset)), Hashes(log.TopologicalOrderOnRecords(subset)));
                Assert.Equal(Hashes(log.TopologicalOrderOnArrays(subset)), Hashes(log.TopologicalOrder(subset)));
            }
        }
    }
}
