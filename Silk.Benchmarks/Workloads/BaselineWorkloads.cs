using Silk.Core.Schema;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Benchmarks.Workloads;

/// <summary>The common definitions of ../shared/BASELINE.md, reproduced exactly.</summary>
internal static class BaselineWorkloads
{
    public const string InstanceId = "bench-a";

    public const string OntologyText = """
        {
          "node_types": {"item": {"properties": {
            "name": {"value_type": "string", "required": true},
            "n": {"value_type": "int"},
            "score": {"value_type": "float"}}}},
          "edge_types": {"LINK": {"source_types": ["item"], "target_types": ["item"]}}
        }
        """;

    public static readonly Ontology Ontology = OntologyJson.Parse(OntologyText);

    public static GraphStore NewStore(string instanceId = InstanceId) => GraphStore.Create(instanceId, Ontology);

    public static ValueMap NodeProperties(int i) =>
        ValueMap.Of(("name", $"node-{i}"), ("n", (long)i), ("score", i * 0.5));

    public static void AddNodes(GraphStore store, int count, int first = 0)
    {
        for (var i = first; i < first + count; i++)
        {
            var id = $"n{i}";
            store.AddNode(id, "item", id, NodeProperties(i));
        }
    }

    /// <summary>The 20k-edge rule (W2).</summary>
    public static (string Source, string Target) Edge20k(int k)
    {
        var i = k / 2;
        return k % 2 == 0 ? ($"n{i % 10000}", $"n{(i + 1) % 10000}") : ($"n{i % 10000}", $"n{((i * 7) + 3) % 10000}");
    }

    /// <summary>The 30k-edge rule (W10).</summary>
    public static (string Source, string Target) Edge30k(int k)
    {
        var i = k / 3;
        return (k % 3) switch
        {
            0 => ($"n{i}", $"n{(i + 1) % 10000}"),
            1 => ($"n{i}", $"n{((i * 7) + 3) % 10000}"),
            _ => ($"n{i}", $"n{((i * 13) + 5) % 10000}"),
        };
    }

    /// <summary>Genesis + 10,000 add_node entries written by one store.</summary>
    public static GraphStore Store10k()
    {
        var store = NewStore();
        AddNodes(store, 10_000);
        return store;
    }
}
