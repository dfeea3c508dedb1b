using CsCheck;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Log;
using Silk.Core.Wire;
using Hash = Silk.Core.Wire.Hash;

namespace Silk.Tests.Graph;

/// <summary>
/// The counts a graph keeps as it changes (live nodes and visible edges, in all and by type) always equal a
/// count of what its reads list: after every entry of random histories fed in arbitrary orders (removes,
/// re-adds, older adds that change a type, edges whose endpoint dies or comes back, schema rebuilds), and in a
/// worked example.
/// </summary>
public class TypeCountTests
{
    [Fact]
    public void Kept_counts_equal_a_count_of_the_reads_after_every_entry_in_any_arrival_order()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var history = ConvergencePropertyTests.GenerateHistory(new Random(seed));
            var log = new OpLog(history[0]);
            foreach (var entry in history.Skip(1)) log.Append(entry);
            var random = new Random(seed ^ 0xC0DE);
            var order = ArrivalOrders.SchemaAfterAncestors(history.Skip(1).OrderBy(_ => random.Next()), log, history[0].Hash);

            var graph = MaterializedGraph.FromEntries([history[0]], ((DefineOntology)history[0].Payload).Ontology);
            var applied = new HashSet<Hash> { history[0].Hash };
            foreach (var entry in order)
            {
                applied.Add(entry.Hash);
                if (!graph.Apply(entry)) graph.Rebuild(log.TopologicalOrder(applied));
                AssertCountsMatchReads(graph, $"seed {seed}, after {entry.Payload.Tag} {entry.Payload.EntityId}");
            }
        }, iter: 300);
    }

    [Fact]
    public void Counts_follow_removes_re_adds_type_changes_and_endpoints()
    {
        var g = new TestGraph();
        g.Node("a");
        g.Node("b", "other");
        g.Node("c", "sub");
        g.Edge("a", "b");
        g.Edge("b", "c", "OTHER");
        AssertCounts(g.Graph, [("other", 1), ("sub", 1), ("thing", 1)], [("LINK", 1), ("OTHER", 1)]);

        // b dies: both its edges are hidden; a later add brings b and its edges back.
        g.RemoveNode("b");
        AssertCounts(g.Graph, [("sub", 1), ("thing", 1)], []);
        g.Node("b", "other");
        AssertCounts(g.Graph, [("other", 1), ("sub", 1), ("thing", 1)], [("LINK", 1), ("OTHER", 1)]);

        // A removed edge stops counting; an update changes nothing.
        g.RemoveEdge("a>b");
        g.Update("a", "n", Value.FromInt(1));
        AssertCounts(g.Graph, [("other", 1), ("sub", 1), ("thing", 1)], [("OTHER", 1)]);

        // The oldest add fixes the type: an add older than b's first one, with another type, moves b.
        var older = Entry.Create(new AddNode("b", "thing", null, "b", ValueMap.Empty), g.Log.Heads, new ClockStamp("t", 500, 0), "t");
        g.Log.Append(older);
        Assert.True(g.Graph.Apply(older));
        AssertCounts(g.Graph, [("sub", 1), ("thing", 2)], [("OTHER", 1)]);
        Assert.Equal(3, g.Graph.NodeCount);
        Assert.Equal(1, g.Graph.EdgeCount);

        // A rebuild counts from scratch to the same figures.
        g.Graph.Rebuild(g.Log.TopologicalOrder());
        AssertCounts(g.Graph, [("sub", 1), ("thing", 2)], [("OTHER", 1)]);
    }

    private static void AssertCounts(MaterializedGraph graph, (string, int)[] nodes, (string, int)[] edges)
    {
        Assert.Equal(nodes, graph.NodeCountsByType.Select(kv => (kv.Key, kv.Value)));
        Assert.Equal(edges, graph.EdgeCountsByType.Select(kv => (kv.Key, kv.Value)));
        AssertCountsMatchReads(graph, "example");
    }

    private static void AssertCountsMatchReads(MaterializedGraph graph, string where)
    {
        var nodes = graph.AllNodes();
        var edges = graph.AllEdges();
        var nodesByType = nodes.GroupBy(n => n.NodeType).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Count()}");
        var edgesByType = edges.GroupBy(e => e.EdgeType).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Count()}");
        Assert.True(nodes.Count == graph.NodeCount, $"{where}: node count {graph.NodeCount}, reads list {nodes.Count}");
        Assert.True(edges.Count == graph.EdgeCount, $"{where}: edge count {graph.EdgeCount}, reads list {edges.Count}");
        Assert.Equal(string.Join(' ', nodesByType), string.Join(' ', graph.NodeCountsByType.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.Equal(string.Join(' ', edgesByType), string.Join(' ', graph.EdgeCountsByType.Select(kv => $"{kv.Key}={kv.Value}")));
    }
}
