using Silk.Core.Wire;

namespace Silk.Tests.Graph;

/// <summary>Node queries (SPEC §3.3) and the ordinal (UTF-8 byte) order of every id list (D6).</summary>
public class GraphQueryTests
{
    [Fact]
    public void Nodes_by_type_includes_descendant_types_and_only_live_nodes()
    {
        var g = new TestGraph();
        g.Node("t2");
        g.Node("s1", "sub");
        g.Node("t1");
        g.Node("o1", "other");
        g.Node("gone");
        g.RemoveNode("gone");
        Assert.Equal(["s1", "t1", "t2"], g.Graph.NodesByType("thing").Select(n => n.NodeId));
        Assert.Equal(["s1"], g.Graph.NodesByType("sub").Select(n => n.NodeId));
        Assert.Equal(["o1"], g.Graph.NodesByType("other").Select(n => n.NodeId));
        Assert.Empty(g.Graph.NodesByType("nope"));
    }

    [Fact]
    public void Nodes_by_subtype_is_exact()
    {
        var g = new TestGraph();
        g.Node("r2", "tagged", "red");
        g.Node("b1", "tagged", "blue");
        g.Node("r1", "tagged", "red");
        g.Node("plain");
        Assert.Equal(["r1", "r2"], g.Graph.NodesBySubtype("red").Select(n => n.NodeId));
        Assert.Equal(["b1"], g.Graph.NodesBySubtype("blue").Select(n => n.NodeId));
        Assert.Empty(g.Graph.NodesBySubtype("Red"));
        g.RemoveNode("r1");
        Assert.Equal(["r2"], g.Graph.NodesBySubtype("red").Select(n => n.NodeId));
    }

    [Fact]
    public void Nodes_by_property_compares_kind_and_value()
    {
        var g = new TestGraph();
        g.Node("int", properties: ValueMap.From([KeyValuePair.Create("n", Value.FromInt(1))]));
        g.Node("float", properties: ValueMap.From([KeyValuePair.Create("n", Value.FromFloat(1.0))]));
        g.Node("text", properties: ValueMap.From([KeyValuePair.Create("n", Value.FromString("1"))]));
        g.Node("none");
        g.Node("updated");
        g.Update("updated", "n", Value.FromInt(1));
        Assert.Equal(["int", "updated"], g.Graph.NodesByProperty("n", Value.FromInt(1)).Select(n => n.NodeId));
        Assert.Equal(["float"], g.Graph.NodesByProperty("n", Value.FromFloat(1.0)).Select(n => n.NodeId));
        Assert.Equal(["text"], g.Graph.NodesByProperty("n", Value.FromString("1")).Select(n => n.NodeId));
        Assert.Empty(g.Graph.NodesByProperty("n", Value.Null));
        Assert.Empty(g.Graph.NodesByProperty("missing", Value.FromInt(1)));
        g.Update("int", "n", Value.FromInt(2));
        g.RemoveNode("updated");
        Assert.Empty(g.Graph.NodesByProperty("n", Value.FromInt(1)));
        Assert.Equal(["int"], g.Graph.NodesByProperty("n", Value.FromInt(2)).Select(n => n.NodeId));
    }

    [Fact]
    public void Id_lists_and_traversals_use_utf8_byte_order()
    {
        // UTF-8 order: "B" < "a" < "b" < "node-10" < "node-9" < U+E000 < U+1F600 (a surrogate pair in
        // UTF-16, where plain ordinal comparison would put it before U+E000).
        string[] ordered = ["B", "a", "b", "node-10", "node-9", "\uE000", "\U0001F600"];
        var g = new TestGraph();
        g.Node("hub", "sub");
        foreach (var id in ordered.Reverse()) g.Node(id);
        foreach (var id in ordered.Reverse()) g.Edge("hub", id, id: "e" + id);

        Assert.Equal(ordered, g.Graph.NodesByType("thing").Select(n => n.NodeId).Where(id => id != "hub"));
        Assert.Equal(["hub", .. ordered], g.Graph.Bfs("hub"));
        Assert.Equal(["hub", .. ordered], g.Graph.Dfs("hub"));
        Assert.Equal(ordered, g.Graph.Neighbors("hub"));
        Assert.Equal(["hub", .. ordered], g.Graph.TopologicalSort());
        Assert.Equal(ordered.Select(id => new[] { "hub", id }), g.Graph.PatternMatch(["sub", "thing"]));
        Assert.Equal(ordered.Select(id => "e" + id), g.Graph.Subgraph("hub", 1).EdgeIds);
        Assert.Equal(ordered.Select(id => "e" + id), g.Graph.AllEdges().Select(e => e.EdgeId));
        var all = g.Graph.AllNodes().Select(n => n.NodeId).ToList();
        Assert.Equal(all.Order(Utf8Order.Instance), all);
        Assert.NotEqual(all.Order(StringComparer.Ordinal), all);
    }
}
