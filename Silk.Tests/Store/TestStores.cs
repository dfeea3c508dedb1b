using Silk.Core.Schema;
using Silk.Core.Store;

namespace Silk.Tests.Store;

/// <summary>A small ontology and store factory shared by store tests.</summary>
internal static class TestStores
{
    public static readonly Ontology Ontology = OntologyJson.Parse("""
        {
          "node_types": {
            "entity": {"properties": {"name": {"value_type": "string", "required": true}}},
            "person": {"parent_type": "entity", "properties": {"age": {"value_type": "int", "constraints": {"min": 0}}}},
            "server": {"parent_type": "entity", "properties": {"port": {"value_type": "int"}}}
          },
          "edge_types": {
            "KNOWS": {"source_types": ["person"], "target_types": ["person"], "properties": {"since": {"value_type": "int"}}},
            "RUNS_ON": {"source_types": ["entity"], "target_types": ["server"]}
          }
        }
        """);

    public static GraphStore Create(string id = "peer-a", TimeProvider? time = null) =>
        GraphStore.Create(id, Ontology, new GraphStoreOptions { Time = time ?? TimeProvider.System });
}
