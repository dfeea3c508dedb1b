using System.Text.Json;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Wire;
using Silk.Tests.Conformance;

namespace Silk.Tests.Graph;

/// <summary>
/// scenarios.json: the oplog's topological order and heads, and the materialized state, which must
/// equal the original's full replay (<c>expected_rebuild</c>) whatever order the entries arrive in
/// (decision D3) — also for the orders where the original's incremental path diverged.
/// </summary>
public class ScenarioConformanceTests
{
    private const string File = "scenarios.json";

    public static TheoryData<string> Scenarios => Vectors.Names(File, "scenarios");

    private sealed record Scenario(string Name, IReadOnlyList<(string Label, Entry Entry)> Entries, JsonElement Vector)
    {
        public Entry Genesis => Entries[0].Entry;

        public Entry ByLabel(string label) => Entries.Single(e => e.Label == label).Entry;

        public IReadOnlyDictionary<Hash, string> Labels => Entries.ToDictionary(e => e.Entry.Hash, e => e.Label);

        public string ExpectedState => GraphStateProjection.Canonical(Vectors.Prop(Vector, "expected_rebuild"));

        public bool HasCheckpoint => Entries.Any(e => e.Entry.Payload is Checkpoint);
    }

    private static Scenario Load(string name)
    {
        var vector = Vectors.ByName(File, ["scenarios"], name);
        var entries = Vectors.Prop(vector, "entries").EnumerateArray()
            .Select(e => (Vectors.Str(e, "label"), Entry.Decode(Vectors.HexOf(e, "entry_msgpack_hex"))))
            .ToList();
        foreach (var (label, entry) in entries)
        {
            Assert.True(entry.VerifyHash(), $"{name}/{label}: hash does not verify");
        }

        return new Scenario(name, entries, vector);
    }

    private static StoreLikeReplayer ReplayInListedOrder(Scenario s)
    {
        var replayer = new StoreLikeReplayer(s.Genesis);
        foreach (var (_, entry) in s.Entries.Skip(1)) replayer.Deliver(entry);
        Assert.Equal(0, replayer.Waiting);
        return replayer;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Oplog_topological_order_and_heads_match(string name)
    {
        var s = Load(name);
        var log = ReplayInListedOrder(s).Log;
        var labels = s.Labels;
        var expectedOrder = Vectors.Prop(s.Vector, "oplog_topo_order").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(expectedOrder, log.TopologicalOrder().Select(e => labels[e.Hash]).ToList());
        if (s.Vector.TryGetProperty("oplog_heads", out var heads))
        {
            Assert.Equal(
                heads.EnumerateArray().Select(h => h.GetString()!).Order(StringComparer.Ordinal),
                log.Heads.Select(h => labels[h]).Order(StringComparer.Ordinal));
        }

        Assert.Empty(log.VerifyIntegrity());
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Rebuild_equals_expected_rebuild(string name)
    {
        var s = Load(name);
        var log = ReplayInListedOrder(s).Log;
        var graph = MaterializedGraph.FromEntries(log.TopologicalOrder(), ((DefineOntology)s.Genesis.Payload).Ontology);
        Assert.Equal(s.ExpectedState, GraphStateProjection.Canonical(graph, s.Labels));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Incremental_apply_in_listed_order_equals_expected_rebuild(string name)
    {
        var s = Load(name);
        var graph = ReplayInListedOrder(s).Graph;
        Assert.Equal(s.ExpectedState, GraphStateProjection.Canonical(graph, s.Labels));
    }

    /// <summary>Every order the vector lists (incremental_listed_order and each permutation), causal or not.</summary>
    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_listed_arrival_order_converges_to_expected_rebuild(string name)
    {
        var s = Load(name);
        var orders = new List<string[]>();
        if (s.Vector.TryGetProperty("incremental_listed_order", out var listed) && listed.TryGetProperty("order", out var order))
        {
            orders.Add(order.EnumerateArray().Select(l => l.GetString()!).ToArray());
        }

        if (s.Vector.TryGetProperty("permutations", out var permutations))
        {
            orders.AddRange(permutations.EnumerateArray().Select(p => Vectors.Prop(p, "order").EnumerateArray().Select(l => l.GetString()!).ToArray()));
        }

        foreach (var labels in orders)
        {
            var replayer = new StoreLikeReplayer(s.Genesis);
            foreach (var label in labels.Where(l => l != "genesis")) replayer.Deliver(s.ByLabel(label));
            Assert.Equal(0, replayer.Waiting);
            var actual = GraphStateProjection.Canonical(replayer.Graph, s.Labels);
            Assert.True(s.ExpectedState == actual, $"{name}, order [{string.Join(", ", labels)}]:\nexpected {s.ExpectedState}\nactual   {actual}");
        }
    }

    /// <summary>
    /// Straight into the graph in every order of the non-genesis entries (up to 720 per scenario),
    /// without the oplog's causal buffering: the registers alone must converge. Schema entries come
    /// after their own history, as an oplog guarantees (see <see cref="ArrivalOrders.SchemaAfterAncestors"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Graph_converges_for_every_permutation_even_non_causal_data(string name)
    {
        var s = Load(name);
        if (s.HasCheckpoint) return; // a checkpoint replaces the log: only the causal, store-like path applies
        var rest = s.Entries.Skip(1).Select(e => e.Entry).ToList();
        var replayer = ReplayInListedOrder(s);
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));
        var orders = rest.Count <= 6 ? Permutations(rest).ToList() : Enumerable.Range(0, 200).Select(_ => rest.OrderBy(_ => random.Next()).ToList()).ToList();
        foreach (var order in orders.Select(o => ArrivalOrders.SchemaAfterAncestors(o, replayer.Log, s.Genesis.Hash)))
        {
            var graph = ArrivalOrders.ApplyStraight(s.Genesis, order, replayer.Log);
            var actual = GraphStateProjection.Canonical(graph, s.Labels);
            Assert.True(s.ExpectedState == actual, $"{name}, order [{string.Join(", ", order.Select(e => s.Labels[e.Hash]))}]:\nexpected {s.ExpectedState}\nactual   {actual}");
        }
    }

    private static IEnumerable<List<T>> Permutations<T>(List<T> items)
    {
        if (items.Count <= 1)
        {
            yield return [.. items];
            yield break;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var rest = items.Where((_, j) => j != i).ToList();
            foreach (var tail in Permutations(rest)) yield return [items[i], .. tail];
        }
    }
}
