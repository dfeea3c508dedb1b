using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Log;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Tests.Graph;

/// <summary>Time travel (SPEC §10): a snapshot's reads and algorithms see the graph as of its cut-off.</summary>
public class TimeTravelTests
{
    private static AlgorithmVectorGraph Vector => AlgorithmVectorGraph.Instance;

    [Fact]
    public void Algorithms_run_on_a_snapshot_as_of_its_cutoff()
    {
        // At 1121 the services exist and c1..c4 are the only edges (no c5/c6, no OWNS edges yet).
        IGraphReader snapshot = GraphSnapshot.AsOf(Vector.Log, 1121, 0, Vector.Ontology);
        Assert.Equal(["api", "auth", "billing", "users_db", "billing_db"], snapshot.Bfs("api"));
        Assert.Equal(["api", "auth", "users_db", "billing", "billing_db"], snapshot.Dfs("api"));
        Assert.Equal(["api", "billing", "billing_db"], snapshot.ShortestPath("api", "billing_db"));
        Assert.Null(snapshot.ShortestPath("team1", "api"));
        Assert.Equal(["auth", "api"], snapshot.ImpactAnalysis("auth"));
        Assert.Equal(["api", "auth", "users_db"], snapshot.Subgraph("auth", 1).NodeIds);
        Assert.Equal([["api", "auth", "users_db"], ["api", "billing", "billing_db"]], snapshot.PatternMatch(["svc", "svc", "db"]));
        Assert.Equal(["billing_db", "users_db"], snapshot.NodesByType("db").Select(n => n.NodeId));
        Assert.Equal(["api", "cache", "gone", "orphan", "team1", "auth", "billing", "users_db", "billing_db"], snapshot.TopologicalSort());
        Assert.False(snapshot.HasCycle());
        Assert.NotNull(snapshot.GetNode("gone"));
        Assert.Null(snapshot.GetEdge("c5"));
        Assert.Equal(9, snapshot.NodeCount);
        Assert.Equal(4, snapshot.EdgeCount);
        Assert.Equal(["auth", "billing"], snapshot.Neighbors("api"));
        Assert.Equal(["c1", "c2"], snapshot.OutgoingEdges("api").Select(e => e.EdgeId));
        Assert.Equal(["c1"], snapshot.IncomingEdges("auth").Select(e => e.EdgeId));
        Assert.Empty(snapshot.NodesBySubtype("x"));
        Assert.Empty(snapshot.NodesByProperty("k", Value.FromInt(1)));
    }

    [Fact]
    public void A_snapshot_does_not_change_with_later_writes()
    {
        var log = AlgorithmVectorGraph.NewLog(Vector.Entries);
        var before = GraphSnapshot.AsOf(log, ulong.MaxValue, uint.MaxValue, Vector.Ontology);
        var late = Entry.Create(new AddNode("late", "svc", null, "late", ValueMap.Empty), log.Heads, new ClockStamp("x", 5000, 0), "x");
        log.Append(late);
        var lateEdge = Entry.Create(new AddEdge("c9", "CALLS", "api", "late", ValueMap.Empty), log.Heads, new ClockStamp("x", 5001, 0), "x");
        log.Append(lateEdge);

        Assert.Null(before.GetNode("late"));
        Assert.Equal(20, before.EntryCount);
        Assert.DoesNotContain("late", before.Bfs("api"));
        var after = GraphSnapshot.AsOf(log, ulong.MaxValue, uint.MaxValue, Vector.Ontology);
        Assert.NotNull(after.GetNode("late"));
        Assert.Contains("late", after.Bfs("api"));
        Assert.Equal(22, after.EntryCount);
        var between = GraphSnapshot.AsOf(log, 5000, 0, Vector.Ontology);
        Assert.NotNull(between.GetNode("late"));
        Assert.Equal(["api", "team1"], between.ImpactAnalysis("api"));
        Assert.Equal(["late"], between.Bfs("late"));
        Assert.Equal(["late", "api", "team1"], after.ImpactAnalysis("late"));
    }

    [Fact]
    public void A_cutoff_before_genesis_gives_the_fallback_ontology_and_an_empty_graph()
    {
        var fallback = TestGraph.Schema;
        var snapshot = GraphSnapshot.AsOf(Vector.Log, 999, 0, fallback);
        Assert.Same(fallback, snapshot.Ontology);
        Assert.Equal(0, snapshot.EntryCount);
        Assert.Empty(snapshot.AllNodes());
        Assert.Empty(snapshot.Bfs("api"));
        Assert.Null(snapshot.ShortestPath("api", "api"));
        Assert.Equal([], snapshot.TopologicalSort());
        Assert.Equal((999UL, 0U), snapshot.CutoffClock);
    }

    [Fact]
    public void The_cutoff_includes_its_own_logical_tick_and_nothing_after()
    {
        var g = new TestGraph(genesisMs: 100);
        var log = g.Log;
        var a = Entry.Create(new AddNode("a", "thing", null, "a", ValueMap.Empty), log.Heads, new ClockStamp("t", 200, 0), "t");
        log.Append(a);
        var b = Entry.Create(new AddNode("b", "thing", null, "b", ValueMap.Empty), log.Heads, new ClockStamp("t", 200, 1), "t");
        log.Append(b);
        var link = Entry.Create(new AddEdge("a>b", "LINK", "a", "b", ValueMap.Empty), log.Heads, new ClockStamp("t", 200, 2), "t");
        log.Append(link);

        Assert.Equal(["a"], GraphSnapshot.AsOf(log, 200, 0, TestGraph.Schema).AllNodes().Select(n => n.NodeId));
        var atOne = GraphSnapshot.AsOf(log, 200, 1, TestGraph.Schema);
        Assert.Equal(["a", "b"], atOne.AllNodes().Select(n => n.NodeId));
        Assert.Equal(["a"], atOne.Bfs("a"));
        Assert.Equal(["a", "b"], GraphSnapshot.AsOf(log, 200, 2, TestGraph.Schema).Bfs("a"));
        Assert.Equal(["a", "b"], GraphSnapshot.AsOf(log, 201, 0, TestGraph.Schema).ShortestPath("a", "b"));
    }

    [Fact]
    public void The_snapshot_schema_holds_only_the_extensions_inside_the_window()
    {
        var g = new TestGraph(genesisMs: 100);
        g.Node("t");
        var extension = OntologyJson.ParseExtension("""{"node_types": {"gadget": {"parent_type": "thing"}}}""");
        var extend = g.Write(new ExtendOntology(extension));
        g.Node("gizmo", "gadget");
        g.Edge("t", "gizmo");
        var extendedAt = extend.Clock.PhysicalMs;

        var before = GraphSnapshot.AsOf(g.Log, extendedAt - 1, 0, TestGraph.Schema);
        Assert.False(before.Ontology.NodeTypes.ContainsKey("gadget"));
        Assert.Equal(["t"], before.NodesByType("thing").Select(n => n.NodeId));

        var at = GraphSnapshot.AsOf(g.Log, extendedAt, 0, TestGraph.Schema);
        Assert.True(at.Ontology.NodeTypes.ContainsKey("gadget"));
        Assert.Empty(at.NodesByType("gadget"));

        var after = GraphSnapshot.AsOf(g.Log, g.Time, 0, TestGraph.Schema);
        Assert.Equal(["gizmo", "t"], after.NodesByType("thing").Select(n => n.NodeId));
        Assert.Equal(["gizmo"], after.NodesByType("gadget").Select(n => n.NodeId));
        Assert.Equal([["t", "gizmo"]], after.PatternMatch(["thing", "gadget"]));
        Assert.Empty(after.Quarantined);
        Assert.Equal(g.Graph.Ontology.ContentHash(), after.Ontology.ContentHash());
    }

    [Fact]
    public void A_snapshot_of_a_compacted_log_sees_the_checkpoint_state()
    {
        var checkpoint = Entry.Create(
            new Checkpoint(
                [new DefineOntology(TestGraph.Schema), new AddNode("a", "thing", null, "a", ValueMap.Empty), new AddNode("b", "thing", null, "b", ValueMap.Empty), new AddEdge("a>b", "LINK", "a", "b", ValueMap.Empty)],
                [(10, 0), (20, 0), (30, 0), (40, 0)],
                500,
                0),
            [],
            new ClockStamp("t", 500, 0),
            "t");
        var log = new OpLog(checkpoint);
        Assert.Empty(GraphSnapshot.AsOf(log, 499, 0, TestGraph.Schema).AllNodes());
        var emptySchema = new Ontology(SortedMap.Empty<NodeTypeDef>(), SortedMap.Empty<EdgeTypeDef>());
        var snapshot = GraphSnapshot.AsOf(log, 500, 0, emptySchema);
        Assert.Equal(["a", "b"], snapshot.Bfs("a"));
        Assert.Equal(TestGraph.Schema.ContentHash(), snapshot.Ontology.ContentHash());
    }
}
