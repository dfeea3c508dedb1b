using System.Text.Json;
using Silk.Core.Graph;
using Silk.Core.Wire;

namespace Silk.Tests.Graph;

/// <summary>
/// algorithms.json: every case on the vector's fixed graph, and every as_of cut-off. Where the
/// original's order varied with hash seeds (it iterates hash sets), ours must be one of the orders
/// it produced and the same set; where it did not vary, ours must be exactly that output.
/// </summary>
public class AlgorithmConformanceTests
{
    private static AlgorithmVectorGraph Fixture => AlgorithmVectorGraph.Instance;

    public static TheoryData<int, string> Cases
    {
        get
        {
            var data = new TheoryData<int, string>();
            var cases = Conformance.Vectors.Load(AlgorithmVectorGraph.File).GetProperty("cases");
            for (var i = 0; i < cases.GetArrayLength(); i++) data.Add(i, Summary(cases[i]));
            return data;
        }
    }

    public static TheoryData<int, string> Cutoffs
    {
        get
        {
            var data = new TheoryData<int, string>();
            var cutoffs = Conformance.Vectors.Load(AlgorithmVectorGraph.File).GetProperty("as_of");
            for (var i = 0; i < cutoffs.GetArrayLength(); i++) data.Add(i, cutoffs[i].GetProperty("cutoff").GetRawText());
            return data;
        }
    }

    [Fact]
    public void Fixed_graph_materializes_without_quarantine()
    {
        Assert.All(Fixture.Entries, e => Assert.True(e.VerifyHash()));
        Assert.Equal(Fixture.Entries.Count, Fixture.Log.Count);
        Assert.Empty(Fixture.Graph.Quarantined);
        Assert.Empty(Fixture.CyclicGraph.Quarantined);
        Assert.Equal(Fixture.Graph.EdgeCount + 1, Fixture.CyclicGraph.EdgeCount);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_matches_the_original(int index, string summary)
    {
        var c = Fixture.Vector.GetProperty("cases")[index];
        var graph = Fixture.Graph;
        switch (c.GetProperty("fn").GetString())
        {
            case "bfs":
                AssertTraversal(c, graph.Bfs(Str(c, "start")!, OptInt(c, "max_depth"), Str(c, "edge_type")));
                break;
            case "dfs":
                AssertTraversal(c, graph.Dfs(Str(c, "start")!, OptInt(c, "max_depth"), Str(c, "edge_type")));
                break;
            case "impact_analysis":
                AssertTraversal(c, graph.ImpactAnalysis(Str(c, "node")!, OptInt(c, "max_depth")));
                break;
            case "shortest_path":
                AssertOneOf(c, "order", graph.ShortestPath(Str(c, "start")!, Str(c, "end")!));
                break;
            case "subgraph":
                var subgraph = graph.Subgraph(Str(c, "start")!, c.GetProperty("hops").GetInt32());
                AssertOneOf(c, "sorted_result", new Dictionary<string, IReadOnlyList<string>> { ["nodes"] = subgraph.NodeIds, ["edges"] = subgraph.EdgeIds });
                break;
            case "pattern_match":
                var sequence = c.GetProperty("type_sequence").EnumerateArray().Select(t => t.GetString()!).ToList();
                var chains = graph.PatternMatch(sequence, c.GetProperty("max_results").GetInt32());
                AssertOneOf(c, "raw_order", chains);
                AssertOneOf(c, "sorted_chains", chains.Order(ChainOrder.Instance).ToList());
                break;
            case "topological_sort":
                AssertOneOf(c, "order", GraphFor(c).TopologicalSort());
                break;
            case "has_cycle":
                AssertOneOf(c, "order", GraphFor(c).HasCycle());
                break;
            case "nodes_by_type":
                Assert.Equal(Strings(c.GetProperty("result_set")), graph.NodesByType(Str(c, "type")!).Select(n => n.NodeId));
                break;
            default:
                Assert.Fail($"case {summary}: unknown fn");
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Cutoffs))]
    public void As_of_matches_the_original(int index, string cutoff)
    {
        var c = Fixture.Vector.GetProperty("as_of")[index];
        var physical = c.GetProperty("cutoff")[0].GetUInt64();
        var logical = c.GetProperty("cutoff")[1].GetUInt32();
        var snapshot = GraphSnapshot.AsOf(Fixture.Log, physical, logical, Fixture.Ontology);
        Assert.Equal((physical, logical), snapshot.CutoffClock);
        Assert.Equal(c.GetProperty("entry_count").GetInt32(), snapshot.EntryCount);
        Assert.Equal(Strings(c.GetProperty("live_nodes")), snapshot.AllNodes().Select(n => n.NodeId));
        Assert.Equal(Strings(c.GetProperty("live_edges")), snapshot.AllEdges().Select(e => e.EdgeId));
        Assert.Empty(snapshot.Quarantined);
        Assert.Equal(Fixture.Ontology.ContentHash(), snapshot.Ontology.ContentHash());
        Assert.False(string.IsNullOrEmpty(cutoff));
    }

    private static MaterializedGraph GraphFor(JsonElement c)
    {
        if (!c.TryGetProperty("graph", out var variant)) return Fixture.Graph;
        Assert.Equal("with_extra_edge users_db->api (cycle)", variant.GetString());
        return Fixture.CyclicGraph;
    }

    /// <summary>A traversal: one of the observed orders, and the observed set when given.</summary>
    private static void AssertTraversal(JsonElement c, IReadOnlyList<string> actual)
    {
        AssertOneOf(c, "order", actual);
        if (c.TryGetProperty("result_set", out var set))
        {
            Assert.Equal(Strings(set).Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
            Assert.Equal(actual.Count, actual.Distinct().Count());
        }
    }

    /// <summary>Our output equals one of the outputs the original produced (exactly it when it never varied).</summary>
    private static void AssertOneOf(JsonElement c, string key, object? actual)
    {
        var section = c.GetProperty(key);
        var observed = section.GetProperty("observed_outputs").EnumerateArray().Select(Canonical).ToList();
        if (section.GetProperty("deterministic").GetBoolean()) Assert.Single(observed);
        Assert.Contains(Canonical(JsonSerializer.SerializeToElement(actual)), observed);
    }

    /// <summary>Compact JSON with object keys sorted, so equal values compare equal as text.</summary>
    private static string Canonical(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) Write(writer, element);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static string Summary(JsonElement c)
    {
        var arguments = c.EnumerateObject()
            .Where(p => p.Name is not ("fn" or "order" or "result_set" or "raw_order" or "sorted_chains" or "sorted_result"))
            .Select(p => $"{p.Name}={p.Value.GetRawText()}");
        return $"{c.GetProperty("fn").GetString()}({string.Join(", ", arguments)})";
    }

    private static string? Str(JsonElement c, string key) =>
        c.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? OptInt(JsonElement c, string key) =>
        c.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    /// <summary>Chains compared element by element in UTF-8 order, a prefix first (as Python sorts lists).</summary>
    private sealed class ChainOrder : IComparer<IReadOnlyList<string>>
    {
        public static readonly ChainOrder Instance = new();

        public int Compare(IReadOnlyList<string>? x, IReadOnlyList<string>? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                var c = Utf8Order.CompareStrings(x[i], y[i]);
                if (c != 0) return c;
            }

            return x.Count.CompareTo(y.Count);
        }
    }
}
