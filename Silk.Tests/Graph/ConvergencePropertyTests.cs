using CsCheck;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Log;
using Silk.Core.Schema;
using Silk.Core.Wire;
using Hash = Silk.Core.Wire.Hash;

namespace Silk.Tests.Graph;

/// <summary>
/// Decision D3 as a property: random multi-author histories (adds, updates, removes, re-adds, edges,
/// schema extensions, invalid ops), delivered in random causal orders through the store-like path and
/// in random arbitrary orders straight into the graph, always materialize to the rebuild's state.
/// SILK_PROPERTY_HISTORIES raises the number of histories (default 500).
/// </summary>
public class ConvergencePropertyTests
{
    private static readonly Ontology BaseOntology = OntologyJson.Parse("""
        {
          "node_types": {
            "thing": {"properties": {"name": {"value_type": "string", "required": true}, "n": {"value_type": "int", "constraints": {"min": 0}}}},
            "box": {"parent_type": "thing", "properties": {"size": {"value_type": "float"}}},
            "tagged": {"properties": {"name": {"value_type": "string"}}, "subtypes": {"red": {"properties": {"shade": {"value_type": "int", "required": true}}}, "blue": {}}}
          },
          "edge_types": {
            "LINK": {"source_types": ["thing"], "target_types": ["thing"], "properties": {"w": {"value_type": "float"}}},
            "TAG": {"source_types": ["tagged"], "target_types": ["thing", "tagged"]}
          }
        }
        """);

    private static readonly OntologyExtension[] Extensions =
    [
        OntologyJson.ParseExtension("""{"node_types": {"gadget": {"properties": {"name": {"value_type": "string"}}}}}"""),
        OntologyJson.ParseExtension("""{"node_types": {"gadget": {"parent_type": "thing"}}}"""),
        OntologyJson.ParseExtension("""{"edge_types": {"USES": {"source_types": ["gadget"], "target_types": ["thing"]}}}"""),
        OntologyJson.ParseExtension("""{"node_type_updates": {"thing": {"relax_properties": ["name"]}}}"""),
        OntologyJson.ParseExtension("""{"edge_type_updates": {"LINK": {"add_source_types": ["tagged"]}}}"""),
    ];

    private static readonly string[] NodeIds = ["a", "b", "c", "d", "e"];
    private static readonly string[] EdgeIds = ["x", "y", "z", "a"];
    private static readonly string[] NodeTypes = ["thing", "box", "tagged", "gadget", "nope"];

    private static int Histories => int.TryParse(Environment.GetEnvironmentVariable("SILK_PROPERTY_HISTORIES"), out var n) && n > 0 ? n : 500;

    [Fact]
    public void Any_arrival_order_materializes_the_rebuild_state()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var history = GenerateHistory(new Random(seed));
            var log = new OpLog(history[0]);
            foreach (var entry in history.Skip(1)) log.Append(entry);
            var ontology = ((DefineOntology)history[0].Payload).Ontology;
            var expected = GraphStateProjection.Canonical(MaterializedGraph.FromEntries(log.TopologicalOrder(), ontology));
            var random = new Random(seed ^ 0x5EED);
            for (var round = 0; round < 4; round++)
            {
                var causal = RandomCausalOrder(history, random);
                var replayer = new StoreLikeReplayer(history[0]);
                foreach (var entry in causal) replayer.Deliver(entry);
                AssertSame(expected, GraphStateProjection.Canonical(replayer.Graph), seed, "causal", causal);

                var shuffled = ArrivalOrders.SchemaAfterAncestors(history.Skip(1).OrderBy(_ => random.Next()), log, history[0].Hash);
                var graph = ArrivalOrders.ApplyStraight(history[0], shuffled, log);
                AssertSame(expected, GraphStateProjection.Canonical(graph), seed, "arbitrary", shuffled);
            }
        }, iter: Histories);
    }

    private static void AssertSame(string expected, string actual, int seed, string kind, IEnumerable<Entry> order)
    {
        if (expected == actual) return;
        Assert.Fail($"seed {seed}: {kind} order diverged from rebuild.\norder: {string.Join(" | ", order.Select(e => $"{e.Payload.Tag}:{e.Payload.EntityId}@{e.Clock}"))}\nexpected {expected}\nactual   {actual}\nreproduce: run this test with the seed in GenerateHistory(new Random({seed})).");
    }

    /// <summary>A DAG written by 3-5 authors who sometimes exchange everything they know.</summary>
    internal static List<Entry> GenerateHistory(Random random)
    {
        var genesis = Entry.Create(new DefineOntology(BaseOntology), [], new ClockStamp("genesis", 1000, 0), "genesis");
        var all = new List<Entry> { genesis };
        var authorCount = random.Next(3, 6);
        var authors = Enumerable.Range(0, authorCount).Select(i => new Author($"peer-{(char)('a' + i)}", genesis)).ToList();
        var steps = random.Next(8, 40);
        for (var step = 0; step < steps; step++)
        {
            var author = authors[random.Next(authors.Count)];
            if (random.Next(6) == 0)
            {
                var other = authors[random.Next(authors.Count)];
                author.LearnFrom(other);
            }

            var entry = author.Write(RandomOp(random), random);
            all.Add(entry);
        }

        return all;
    }

    private static GraphOp RandomOp(Random random)
    {
        string Pick(string[] items) => items[random.Next(items.Length)];
        Value RandomValue() => random.Next(6) switch
        {
            0 => Value.FromInt(random.Next(-2, 5)),
            1 => Value.FromFloat(random.Next(0, 4) * 0.5),
            2 => Value.FromString(Pick(["p", "q", "r"])),
            3 => Value.Null,
            4 => Value.FromBool(random.Next(2) == 0),
            _ => Value.FromList([Value.FromInt(random.Next(3))]),
        };
        ValueMap RandomProps()
        {
            var pairs = new List<(string, Value)>();
            if (random.Next(5) != 0) pairs.Add(("name", random.Next(8) == 0 ? Value.FromInt(1) : Value.FromString(Pick(["n1", "n2"]))));
            if (random.Next(2) == 0) pairs.Add(("n", RandomValue()));
            if (random.Next(3) == 0) pairs.Add(("size", RandomValue()));
            if (random.Next(3) == 0) pairs.Add(("shade", RandomValue()));
            return ValueMap.Of([.. pairs]);
        }

        return random.Next(20) switch
        {
            < 6 => new AddNode(Pick(NodeIds), Pick(NodeTypes), random.Next(3) switch { 0 => "red", 1 => "blue", _ => null }, Pick(["L1", "L2", "L3"]), RandomProps()),
            < 9 => new AddEdge(Pick(EdgeIds), Pick(["LINK", "TAG", "USES", "NOPE"]), Pick(NodeIds), Pick(NodeIds), random.Next(3) == 0 ? ValueMap.Of(("w", RandomValue())) : ValueMap.Empty),
            < 14 => new UpdateProperty(Pick([.. NodeIds, .. EdgeIds, "ghost"]), Pick(["name", "n", "size", "w", "shade", "free"]), RandomValue()),
            < 16 => new RemoveNode(Pick(NodeIds)),
            < 18 => new RemoveEdge(Pick(EdgeIds)),
            _ => new ExtendOntology(Extensions[random.Next(Extensions.Length)]),
        };
    }

    private static List<Entry> RandomCausalOrder(List<Entry> history, Random random)
    {
        var done = new HashSet<Hash> { history[0].Hash };
        var remaining = history.Skip(1).ToList();
        var order = new List<Entry>();
        while (remaining.Count > 0)
        {
            var ready = remaining.Where(e => e.Next.All(done.Contains)).ToList();
            var pick = ready[random.Next(ready.Count)];
            remaining.Remove(pick);
            done.Add(pick.Hash);
            order.Add(pick);
        }

        return order;
    }

    /// <summary>One writer: its own clock (coarse, so physical ties happen) and the heads it knows.</summary>
    private sealed class Author(string id, Entry genesis)
    {
        private readonly HashSet<Entry> _known = [genesis];
        private ulong _physical = 1000;
        private uint _logical;

        public Entry Write(GraphOp op, Random random)
        {
            var wall = _physical + (ulong)random.Next(0, 3);
            (_physical, _logical) = HybridClock.TickRule(_physical, _logical, wall);
            var heads = Heads();
            var entry = Entry.Create(op, heads, new ClockStamp(id, _physical, _logical), id);
            _known.Add(entry);
            return entry;
        }

        public void LearnFrom(Author other)
        {
            foreach (var entry in other._known)
            {
                if (_known.Add(entry))
                {
                    (_physical, _logical) = HybridClock.MergeRule(_physical, _logical, entry.Clock.PhysicalMs, entry.Clock.Logical, _physical);
                }
            }
        }

        private Hash[] Heads()
        {
            var parents = _known.SelectMany(e => e.Next).ToHashSet();
            return _known.Where(e => !parents.Contains(e.Hash)).Select(e => e.Hash).Order().ToArray();
        }
    }
}
