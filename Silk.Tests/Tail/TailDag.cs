using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Log;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Tests.Tail;

/// <summary>Entries and random multi-author DAGs for the tail tests, plus reference (brute-force) DAG queries.</summary>
internal static class TailDag
{
    private static readonly Ontology TinyOntology = new(
        SortedMap.From([KeyValuePair.Create("item", new NodeTypeDef(null, SortedMap.Empty<PropertyDef>(), null, null))]),
        SortedMap.Empty<EdgeTypeDef>());

    public static Entry Genesis() =>
        Entry.Create(new DefineOntology(TinyOntology), [], new ClockStamp("g", 1, 0), "g");

    public static Entry Node(string id, string author, ulong physical, params Entry[] parents) =>
        Node(id, author, physical, parents.Select(p => p.Hash).ToArray());

    public static Entry Node(string id, string author, ulong physical, IReadOnlyList<Hash> parents) =>
        Entry.Create(new AddNode(id, "item", null, id, ValueMap.Empty), parents, new ClockStamp(author, physical, 0), author);

    public static Entry Checkpoint(ulong physical) => Entry.Create(
        new Checkpoint([new DefineOntology(TinyOntology), new AddNode("k", "item", null, "k", ValueMap.Empty)], [(1, 0), (2, 0)], physical, 0),
        [], new ClockStamp("c", physical, 0), "c");

    /// <summary>
    /// Entries written by several authors after <paramref name="genesis"/>, in creation (causal) order. Each author
    /// writes on top of its own heads and now and then merges another author's heads into its view, so branches
    /// run concurrently and join; one author starts from nothing, giving a second root.
    /// </summary>
    public static List<Entry> Random(Random rng, Entry genesis, int count, int authors = 4)
    {
        var byHash = new Dictionary<Hash, Entry> { [genesis.Hash] = genesis };
        var views = new List<HashSet<Hash>>();
        for (var a = 0; a < authors; a++) views.Add(a == authors - 1 ? [] : [genesis.Hash]);
        var created = new List<Entry>();
        for (var i = 0; i < count; i++)
        {
            var a = rng.Next(authors);
            if (rng.Next(4) == 0)
            {
                var other = views[rng.Next(authors)];
                views[a] = Frontier(views[a].Concat(other), byHash);
            }

            var entry = Node($"n{i}", $"author{a}", (ulong)(10 + i), views[a].Order().ToArray());
            byHash[entry.Hash] = entry;
            created.Add(entry);
            views[a] = [entry.Hash];
        }

        return created;
    }

    /// <summary>A random order of <paramref name="entries"/> in which every parent comes before its children.</summary>
    public static List<Entry> CausalShuffle(Random rng, IReadOnlyList<Entry> entries, ISet<Hash> alreadyThere)
    {
        var placed = new HashSet<Hash>(alreadyThere);
        var pending = entries.ToList();
        var order = new List<Entry>(entries.Count);
        while (pending.Count > 0)
        {
            var ready = pending.Where(e => e.Next.All(placed.Contains)).ToList();
            var pick = ready[rng.Next(ready.Count)];
            pending.Remove(pick);
            placed.Add(pick.Hash);
            order.Add(pick);
        }

        return order;
    }

    /// <summary>Reference: the hashes and all their ancestors through parent links.</summary>
    public static HashSet<Hash> Closure(IEnumerable<Hash> starts, Func<Hash, Entry> get)
    {
        var seen = new HashSet<Hash>();
        var stack = new Stack<Hash>(starts);
        while (stack.TryPop(out var h))
        {
            if (!seen.Add(h)) continue;
            foreach (var p in get(h).Next) stack.Push(p);
        }

        return seen;
    }

    /// <summary>Reference: the members of a set that are not a parent of another member.</summary>
    public static HashSet<Hash> FrontierOfClosedSet(IReadOnlySet<Hash> set, Func<Hash, Entry> get)
    {
        var parents = set.SelectMany(h => get(h).Next).ToHashSet();
        return set.Where(h => !parents.Contains(h)).ToHashSet();
    }

    private static HashSet<Hash> Frontier(IEnumerable<Hash> hashes, Dictionary<Hash, Entry> byHash) =>
        FrontierOfClosedSet(Closure(hashes, h => byHash[h]), h => byHash[h]);

    public static Func<Hash, Entry> Getter(OpLog log) => h => log.Get(h) ?? throw new KeyNotFoundException(h.ToHex());
}
