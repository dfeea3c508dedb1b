using CsCheck;
using Silk.Core.Graph;
using Silk.Core.Indexing;
using Silk.Core.Query;
using Silk.Core.Schema;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Tests.Indexing;

/// <summary>
/// Property (issue 20 §4): for random graphs, random selectors and writes running concurrently (local writes, sync
/// merges, a schema extension that rebuilds, compaction), a query that an index serves answers exactly what the same
/// query answers by scan, in the same consistent state, page by page; and each index holds exactly the entries its
/// definition says.
/// </summary>
public sealed class IndexedQueryPropertyTests
{
    private static readonly Ontology Ontology = OntologyJson.Parse("""
        {"node_types": {
            "thing": {"properties": {"v": {"value_type": "any"}, "w": {"value_type": "any"}}},
            "sub": {"parent_type": "thing", "subtypes": {"red": {}, "blue": {}}},
            "other": {"properties": {"v": {"value_type": "any"}}}},
         "edge_types": {}}
        """);

    private static readonly Value[] Values =
    [
        Value.Null, Value.True, Value.False, -3L, -1L, 0L, 1L, 2L, 3L, 1L << 53, -1.5, 0.0, -0.0, 1.0, 2.5, double.NaN, double.PositiveInfinity,
        "", "a", "ab", "abc", "b", "ba", "é", Value.FromList([1L]), Value.FromList(["a"]),
    ];

    private static readonly Value[] Operands = [-2L, 0L, 1L, 2L, 1.5, -0.5, 2.0, double.NaN, "", "a", "ab", "b", "z"];

    private static readonly string[] NodeTypes = ["thing", "sub", "other"];

    private static int Histories => int.TryParse(Environment.GetEnvironmentVariable("SILK_PROPERTY_HISTORIES"), out var n) && n > 0 ? n : 40;

    [Fact]
    public void Indexed_queries_answer_what_a_scan_answers_under_concurrent_writes()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var random = new Random(seed);
            using var store = GraphStore.Create("p-a", Ontology);
            // A replica of the same log, whose own writes come back by merges.
            using var peer = GraphStore.FromSnapshot("p-b", store.ExportSnapshot());
            for (var i = 0; i < random.Next(0, 60); i++) Write(store, random);
            store.DeclareIndex(new IndexDefinition("tv", "thing", "v"));
            store.DeclareIndex(new IndexDefinition("tw", "thing", "w"));
            store.DeclareIndex(new IndexDefinition("ov", "other", "v"));
            Assert.True(store.WaitForIndexes(TimeSpan.FromSeconds(60)));

            var writerSeed = random.Next();
            var writer = Task.Run(() =>
            {
                var r = new Random(writerSeed);
                var compacted = false;
                for (var i = 0; i < 150; i++)
                {
                    switch (r.Next(40))
                    {
                        case 0:
                            store.ExtendOntology(OntologyJson.ParseExtension("{\"node_types\": {\"ext" + i + "\": {\"parent_type\": \"thing\"}}}"));
                            break;
                        case 1:
                            store.Compact(safe: false);
                            compacted = true; // the replica's entries now name parents the log no longer has
                            break;
                        case < 6 when !compacted:
                            for (var j = 0; j < 5; j++) Write(peer, r);
                            store.Merge(peer.EntriesSince(null));
                            break;
                        default:
                            Write(store, r);
                            break;
                    }
                }
            });

            var checks = 0;
            while (!writer.IsCompleted || checks < 20)
            {
                CheckOnce(store, random, seed);
                checks++;
            }

            writer.GetAwaiter().GetResult();
            for (var i = 0; i < 10; i++) CheckOnce(store, random, seed);
            store.ReadGraph(g => CheckIndexContents(g, seed));
        }, iter: Histories);
    }

    private static void Write(GraphStore store, Random random)
    {
        var id = $"n{random.Next(40)}";
        var existing = store.GetNode(id);
        switch (random.Next(6))
        {
            case 0 when existing is not null:
                store.RemoveNode(id);
                break;
            case 1 or 2 when existing is not null:
                store.UpdateProperty(id, random.Next(3) == 0 ? "w" : "v", Pick(random, Values));
                break;
            default:
                var type = existing?.NodeType ?? Pick(random, NodeTypes);
                var props = new List<(string, Value)>();
                if (random.Next(4) > 0) props.Add(("v", Pick(random, Values)));
                if (type != "other" && random.Next(2) == 0) props.Add(("w", Pick(random, Values)));
                store.AddNode(id, type, id, ValueMap.Of([.. props]), type == "sub" ? (random.Next(2) == 0 ? "red" : "blue") : null);
                break;
        }
    }

    /// <summary>One random query, paged, answered by index and by scan inside the same read of the store.</summary>
    private static void CheckOnce(GraphStore store, Random random, int seed)
    {
        var query = RandomQuery(random);
        QueryCursor? after = null;
        for (var page = 0; page < 50; page++)
        {
            var paged = query with { After = after };
            var (indexed, scanned) = store.ReadGraph(g => (QueryRunner.Run(g, paged), QueryRunner.Run(g, paged with { UseIndexes = false })));
            Assert.True(
                indexed.Ids.SequenceEqual(scanned.Ids),
                $"seed {seed}: {Describe(paged)} by {indexed.Plan.Strategy} {indexed.Plan.Index} gave [{string.Join(",", indexed.Ids)}], a scan [{string.Join(",", scanned.Ids)}]");
            Assert.Equal(scanned.Next?.Encode(), indexed.Next?.Encode());
            if (indexed.Next is null) return;
            after = indexed.Next;
        }
    }

    private static GraphQuery RandomQuery(Random random)
    {
        var property = random.Next(3) == 0 ? "w" : "v";
        var type = random.Next(5) == 0 ? "other" : random.Next(6) == 0 ? "sub" : "thing";
        var conditions = new List<Selector> { new FieldSelector(QueryField.Property(property), RandomCondition(random)) };
        if (random.Next(3) == 0) conditions.Add(new FieldSelector(QueryField.Property(random.Next(2) == 0 ? "v" : "w"), RandomCondition(random)));
        if (random.Next(4) == 0) conditions.Add(new OrSelector([new FieldSelector(QueryField.Of("label", QueryTarget.Nodes), new PrefixCondition("n1")), new NotSelector(Selector.All)]));
        Selector where = conditions.Count == 1 ? conditions[0] : new AndSelector(conditions);
        var sort = random.Next(3) switch
        {
            0 => new List<SortKey>(),
            1 => [new SortKey(QueryField.Property(property), random.Next(2) == 0)],
            _ => [new SortKey(QueryField.Property(random.Next(2) == 0 ? "v" : "w"), random.Next(2) == 0), new SortKey(QueryField.Of("node_id", QueryTarget.Nodes))],
        };
        return new GraphQuery(new NodesStart(type, random.Next(6) == 0 ? "red" : null), [], random.Next(3) == 0 ? null : random.Next(1, 6))
        {
            Where = where,
            Sort = sort,
            Skip = random.Next(4) == 0 ? random.Next(3) : 0,
        };
    }

    private static Condition RandomCondition(Random random) => random.Next(9) switch
    {
        0 or 1 => new EqualsCondition(Pick(random, Values)),
        2 => new InCondition([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Pick(random, Values))]),
        3 => new PrefixCondition(Pick(random, ["", "a", "ab", "b"])),
        4 => new AllConditions([Range(random), Range(random)]),
        5 => new NotCondition(new EqualsCondition(Pick(random, Values))),
        6 => new ExistsCondition(random.Next(2) == 0),
        _ => Range(random),
    };

    private static RangeCondition Range(Random random) => new((RangeOperator)random.Next(4), Pick(random, Operands));

    /// <summary>Each index holds (value, id) for exactly the live nodes of its types that have the property.</summary>
    private static int CheckIndexContents(MaterializedGraph graph, int seed)
    {
        foreach (var index in graph.Indexes.All)
        {
            var expected = graph.NodesByType(index.Definition.NodeType)
                .Where(n => n.Properties.ContainsKey(index.Definition.Property))
                .Select(n => new IndexEntry(n.Properties[index.Definition.Property], n.NodeId))
                .Order()
                .ToList();
            var actual = index.Tree.All().ToList();
            Assert.True(expected.Count == actual.Count && expected.Zip(actual).All(p => p.First.CompareTo(p.Second) == 0 && p.First.Value.Kind == p.Second.Value.Kind),
                $"seed {seed}: index {index.Definition.Name} holds {actual.Count} entries, the graph says {expected.Count}");
            Assert.Equal(actual.Count, index.Tree.Count);
        }

        return 0;
    }

    private static string Describe(GraphQuery q) => $"{q.Start} where {q.Where} sort [{string.Join(",", q.Sort)}] skip {q.Skip} limit {q.Limit} after {q.After}";

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
