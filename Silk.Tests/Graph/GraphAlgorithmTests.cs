using Silk.Core.Graph;

namespace Silk.Tests.Graph;

/// <summary>The edge cases of SPEC §11 for each algorithm, on small hand-built graphs.</summary>
public class GraphAlgorithmTests
{
    private static TestGraph Chain(params string[] ids)
    {
        var g = TestGraph.WithNodes(ids);
        for (var i = 1; i < ids.Length; i++) g.Edge(ids[i - 1], ids[i]);
        return g;
    }

    // ---- bfs ----

    [Fact]
    public void Bfs_lists_start_first_then_neighbours_in_id_order()
    {
        var g = TestGraph.WithNodes("a", "b", "c", "d", "e");
        g.Edge("a", "c");
        g.Edge("a", "b");
        g.Edge("c", "d");
        g.Edge("b", "e");
        Assert.Equal(["a", "b", "c", "e", "d"], g.Graph.Bfs("a"));
    }

    [Fact]
    public void Bfs_from_a_missing_or_removed_node_is_empty()
    {
        var g = Chain("a", "b");
        Assert.Empty(g.Graph.Bfs("missing"));
        g.RemoveNode("a");
        Assert.Empty(g.Graph.Bfs("a"));
    }

    [Fact]
    public void Bfs_lists_nodes_at_the_depth_limit_without_expanding_them()
    {
        var g = Chain("a", "b", "c", "d");
        Assert.Equal(["a"], g.Graph.Bfs("a", maxDepth: 0));
        Assert.Equal(["a", "b", "c"], g.Graph.Bfs("a", maxDepth: 2));
        Assert.Equal(["a", "b", "c", "d"], g.Graph.Bfs("a", maxDepth: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Graph.Bfs("a", maxDepth: -1));
    }

    [Fact]
    public void Bfs_edge_type_filter_is_exact()
    {
        var g = TestGraph.WithNodes("a", "b", "c");
        g.Edge("a", "b", "LINK");
        g.Edge("a", "c", "OTHER");
        Assert.Equal(["a", "c"], g.Graph.Bfs("a", edgeType: "OTHER"));
        Assert.Equal(["a", "b"], g.Graph.Bfs("a", edgeType: "LINK"));
        Assert.Equal(["a"], g.Graph.Bfs("a", edgeType: "NOPE"));
    }

    [Fact]
    public void Traversals_follow_liveness_changes_after_a_first_traversal()
    {
        var g = Chain("a", "b", "c");
        Assert.Equal(["a", "b", "c"], g.Graph.Bfs("a"));
        g.RemoveNode("b");
        Assert.Equal(["a"], g.Graph.Bfs("a"));
        g.Node("b");
        Assert.Equal(["a", "b", "c"], g.Graph.Bfs("a"));
        g.RemoveEdge("b>c");
        Assert.Equal(["a", "b"], g.Graph.Bfs("a"));
        g.Node("d");
        g.Edge("a", "d");
        g.Edge("d", "c");
        Assert.Equal(["a", "b", "d", "c"], g.Graph.Bfs("a"));
        Assert.Equal(["c", "d", "a"], g.Graph.ImpactAnalysis("c"));
        g.Graph.Rebuild(g.Log.TopologicalOrder());
        Assert.Equal(["a", "b", "d", "c"], g.Graph.Bfs("a"));
    }

    [Fact]
    public void An_edge_whose_endpoint_arrives_later_is_traversed_once_it_counts()
    {
        var g = TestGraph.WithNodes("a");
        g.Edge("a", "b");
        Assert.Equal(["a"], g.Graph.Bfs("a"));
        g.Node("b");
        Assert.Equal(["a", "b"], g.Graph.Bfs("a"));
    }

    // ---- dfs ----

    [Fact]
    public void Dfs_goes_deep_first_visiting_neighbours_in_id_order()
    {
        var g = TestGraph.WithNodes("a", "b", "c", "e");
        g.Edge("a", "e");
        g.Edge("a", "b");
        g.Edge("b", "c");
        Assert.Equal(["a", "b", "c", "e"], g.Graph.Dfs("a"));
        Assert.Equal(["a", "b", "e", "c"], g.Graph.Bfs("a"));
    }

    [Fact]
    public void Dfs_marks_a_node_visited_when_pushed_so_its_depth_is_that_of_its_first_push()
    {
        // c is pushed from a (depth 1) before b is expanded, so d is still within depth 2.
        var g = TestGraph.WithNodes("a", "b", "c", "d");
        g.Edge("a", "b");
        g.Edge("a", "c");
        g.Edge("b", "c");
        g.Edge("c", "d");
        Assert.Equal(["a", "b", "c", "d"], g.Graph.Dfs("a", maxDepth: 2));
        Assert.Equal(["a", "b", "c"], g.Graph.Dfs("a", maxDepth: 1));
        Assert.Equal(["a"], g.Graph.Dfs("a", maxDepth: 0));
    }

    [Fact]
    public void Dfs_edge_filter_and_missing_start()
    {
        var g = TestGraph.WithNodes("a", "b", "c");
        g.Edge("a", "b", "OTHER");
        g.Edge("a", "c");
        Assert.Equal(["a", "b"], g.Graph.Dfs("a", edgeType: "OTHER"));
        Assert.Empty(g.Graph.Dfs("zzz"));
    }

    // ---- shortest_path ----

    [Fact]
    public void Shortest_path_is_null_when_either_end_is_not_live()
    {
        var g = Chain("a", "b");
        Assert.Null(g.Graph.ShortestPath("a", "missing"));
        Assert.Null(g.Graph.ShortestPath("missing", "a"));
        Assert.Null(g.Graph.ShortestPath("missing", "missing"));
        g.RemoveNode("b");
        Assert.Null(g.Graph.ShortestPath("a", "b"));
        Assert.Null(g.Graph.ShortestPath("b", "b"));
    }

    [Fact]
    public void Shortest_path_to_itself_is_the_node_alone()
    {
        var g = TestGraph.WithNodes("a");
        Assert.Equal(["a"], g.Graph.ShortestPath("a", "a"));
    }

    [Fact]
    public void Shortest_path_follows_edge_direction()
    {
        var g = Chain("a", "b", "c");
        Assert.Equal(["a", "b", "c"], g.Graph.ShortestPath("a", "c"));
        Assert.Null(g.Graph.ShortestPath("c", "a"));
        g.Node("z");
        Assert.Null(g.Graph.ShortestPath("a", "z"));
    }

    [Fact]
    public void Shortest_path_takes_fewest_hops_and_breaks_ties_by_id()
    {
        var g = TestGraph.WithNodes("a", "b", "c", "d", "x");
        g.Edge("a", "c");
        g.Edge("c", "d");
        g.Edge("a", "b");
        g.Edge("b", "d");
        g.Edge("a", "x");
        g.Edge("x", "a");
        Assert.Equal(["a", "b", "d"], g.Graph.ShortestPath("a", "d"));
        g.RemoveNode("b");
        Assert.Equal(["a", "c", "d"], g.Graph.ShortestPath("a", "d"));
    }

    // ---- impact_analysis ----

    [Fact]
    public void Impact_analysis_walks_incoming_edges_start_first()
    {
        var g = TestGraph.WithNodes("a", "b", "c", "d");
        g.Edge("a", "b");
        g.Edge("b", "c");
        g.Edge("d", "c");
        Assert.Equal(["c", "b", "d", "a"], g.Graph.ImpactAnalysis("c"));
        Assert.Equal(["c", "b", "d"], g.Graph.ImpactAnalysis("c", maxDepth: 1));
        Assert.Equal(["c"], g.Graph.ImpactAnalysis("c", maxDepth: 0));
        Assert.Equal(["a"], g.Graph.ImpactAnalysis("a"));
        Assert.Empty(g.Graph.ImpactAnalysis("missing"));
        g.RemoveNode("b");
        Assert.Equal(["c", "d"], g.Graph.ImpactAnalysis("c"));
    }

    // ---- subgraph ----

    [Fact]
    public void Subgraph_expands_both_directions_up_to_hops()
    {
        var g = TestGraph.WithNodes("a", "b", "c", "d", "e");
        g.Edge("a", "b");
        g.Edge("c", "a");
        g.Edge("b", "d");
        g.Edge("d", "e");
        var one = g.Graph.Subgraph("a", 1);
        Assert.Equal(["a", "b", "c"], one.NodeIds);
        Assert.Equal(["a>b", "c>a"], one.EdgeIds);
        var two = g.Graph.Subgraph("a", 2);
        Assert.Equal(["a", "b", "c", "d"], two.NodeIds);
        Assert.Equal(["a>b", "b>d", "c>a"], two.EdgeIds);
    }

    [Fact]
    public void Subgraph_records_edges_between_already_seen_nodes()
    {
        var g = TestGraph.WithNodes("a", "b", "c");
        g.Edge("a", "b");
        g.Edge("a", "c");
        g.Edge("b", "c");
        var sub = g.Graph.Subgraph("a", 2);
        Assert.Equal(["a", "b", "c"], sub.NodeIds);
        Assert.Equal(["a>b", "a>c", "b>c"], sub.EdgeIds);
    }

    [Fact]
    public void Subgraph_with_zero_hops_or_dead_start()
    {
        var g = Chain("a", "b");
        var zero = g.Graph.Subgraph("a", 0);
        Assert.Equal(["a"], zero.NodeIds);
        Assert.Empty(zero.EdgeIds);
        Assert.Same(SubgraphView.Empty, g.Graph.Subgraph("missing", 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Graph.Subgraph("a", -1));
        g.RemoveNode("a");
        Assert.Empty(g.Graph.Subgraph("a", 1).NodeIds);
        Assert.Equal(["b"], g.Graph.Subgraph("b", 1).NodeIds);
        Assert.Empty(g.Graph.Subgraph("b", 1).EdgeIds);
    }

    // ---- pattern_match ----

    [Fact]
    public void Pattern_match_of_an_empty_sequence_is_empty()
    {
        var g = Chain("a", "b");
        Assert.Empty(g.Graph.PatternMatch([]));
    }

    [Fact]
    public void Pattern_match_starts_hierarchy_aware_and_hops_on_exact_types()
    {
        var g = new TestGraph();
        g.Node("x");
        g.Node("y", "sub");
        g.Edge("x", "y");
        g.Edge("y", "x");
        Assert.Equal([["x", "y"]], g.Graph.PatternMatch(["thing", "sub"]));
        Assert.Equal([["y", "x"]], g.Graph.PatternMatch(["thing", "thing"]));
        Assert.Equal([["y", "x"]], g.Graph.PatternMatch(["sub", "thing"]));
        Assert.Equal([["x"], ["y"]], g.Graph.PatternMatch(["thing"]));
        Assert.Empty(g.Graph.PatternMatch(["nope"]));
    }

    [Fact]
    public void Pattern_match_never_repeats_a_node_in_a_chain()
    {
        var g = TestGraph.WithNodes("a", "b", "c");
        g.Edge("a", "b");
        g.Edge("b", "a");
        g.Edge("b", "c");
        Assert.Equal([["a", "b", "c"]], g.Graph.PatternMatch(["thing", "thing", "thing"]));
    }

    [Fact]
    public void Pattern_match_is_cut_at_max_results()
    {
        var g = TestGraph.WithNodes("a", "b", "c", "d");
        g.Edge("a", "d");
        g.Edge("a", "c");
        g.Edge("a", "b");
        Assert.Equal([["a", "b"], ["a", "c"], ["a", "d"]], g.Graph.PatternMatch(["thing", "thing"]));
        Assert.Equal([["a", "b"], ["a", "c"]], g.Graph.PatternMatch(["thing", "thing"], maxResults: 2));
        Assert.Equal([["a"], ["b"]], g.Graph.PatternMatch(["thing"], maxResults: 2));
        Assert.Empty(g.Graph.PatternMatch(["thing", "thing"], maxResults: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Graph.PatternMatch(["thing"], maxResults: -1));
    }

    [Fact]
    public void Pattern_match_skips_removed_nodes_and_edges()
    {
        var g = Chain("a", "b", "c");
        g.RemoveEdge("b>c");
        Assert.Empty(g.Graph.PatternMatch(["thing", "thing", "thing"]));
        g.RemoveNode("a");
        Assert.Empty(g.Graph.PatternMatch(["thing", "thing"]));
    }

    // ---- topological_sort / has_cycle ----

    [Fact]
    public void Topological_sort_starts_from_sources_in_utf8_order_then_discovery_order()
    {
        var g = TestGraph.WithNodes("node-9", "node-10", "a", "B", "z", "m", "isolated");
        g.Edge("B", "z");
        g.Edge("a", "m");
        g.Edge("B", "m");
        Assert.Equal(["B", "a", "isolated", "node-10", "node-9", "z", "m"], g.Graph.TopologicalSort());
        Assert.False(g.Graph.HasCycle());
    }

    [Fact]
    public void A_self_loop_is_a_cycle()
    {
        var g = TestGraph.WithNodes("a", "b");
        g.Edge("a", "a");
        Assert.Null(g.Graph.TopologicalSort());
        Assert.True(g.Graph.HasCycle());
        g.RemoveEdge("a>a");
        Assert.Equal(["a", "b"], g.Graph.TopologicalSort());
    }

    [Fact]
    public void A_cycle_through_a_removed_node_does_not_count()
    {
        var g = Chain("a", "b", "c");
        g.Edge("c", "a");
        Assert.True(g.Graph.HasCycle());
        g.RemoveNode("b");
        Assert.Equal(["c", "a"], g.Graph.TopologicalSort());
    }

    [Fact]
    public void Topological_sort_of_an_empty_graph_is_empty()
    {
        Assert.Equal([], new TestGraph().Graph.TopologicalSort());
    }

    [Fact]
    public void Parallel_edges_are_counted_once_each()
    {
        var g = TestGraph.WithNodes("a", "b");
        g.Edge("a", "b", id: "e1");
        g.Edge("a", "b", "OTHER", id: "e2");
        Assert.Equal(["a", "b"], g.Graph.TopologicalSort());
        Assert.Equal([["a", "b"], ["a", "b"]], g.Graph.PatternMatch(["thing", "thing"]));
        Assert.Equal(["a", "b"], g.Graph.Bfs("a"));
    }
}
