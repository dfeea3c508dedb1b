using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Log;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Tests.Graph;

/// <summary>
/// A one-author history for algorithm tests: each write becomes an entry (clock one millisecond after
/// the previous, parent the previous head), is appended to an oplog and applied to a graph.
/// </summary>
internal sealed class TestGraph
{
    public static readonly Ontology Schema = OntologyJson.Parse("""
        {
          "node_types": {
            "thing": {"properties": {"n": {"value_type": "any"}}},
            "sub": {"parent_type": "thing"},
            "other": {},
            "tagged": {"subtypes": {"red": {}, "blue": {}}}
          },
          "edge_types": {
            "LINK": {"source_types": ["thing", "other", "tagged"], "target_types": ["thing", "other", "tagged"]},
            "OTHER": {"source_types": ["thing", "other", "tagged"], "target_types": ["thing", "other", "tagged"]}
          }
        }
        """);

    private const string Author = "t";

    public TestGraph(ulong genesisMs = 1000)
    {
        Time = genesisMs;
        var genesis = Entry.Create(new DefineOntology(Schema), [], new ClockStamp(Author, Time, 0), Author);
        Log = new OpLog(genesis);
        Graph = MaterializedGraph.FromEntries(Log.TopologicalOrder(), Schema);
    }

    public OpLog Log { get; }

    public MaterializedGraph Graph { get; }

    /// <summary>Physical time of the latest entry.</summary>
    public ulong Time { get; private set; }

    /// <summary>Live nodes with the given ids, all of type thing.</summary>
    public static TestGraph WithNodes(params string[] ids)
    {
        var graph = new TestGraph();
        foreach (var id in ids) graph.Node(id);
        return graph;
    }

    public Entry Node(string id, string type = "thing", string? subtype = null, ValueMap? properties = null) =>
        Write(new AddNode(id, type, subtype, id, properties ?? ValueMap.Empty));

    /// <summary>An edge named after its ends ("a>b") unless given an id.</summary>
    public Entry Edge(string source, string target, string type = "LINK", string? id = null) =>
        Write(new AddEdge(id ?? $"{source}>{target}", type, source, target, ValueMap.Empty));

    public Entry Update(string id, string key, Value value) => Write(new UpdateProperty(id, key, value));

    public Entry RemoveNode(string id) => Write(new RemoveNode(id));

    public Entry RemoveEdge(string id) => Write(new RemoveEdge(id));

    public Entry Write(GraphOp op)
    {
        Time++;
        var entry = Entry.Create(op, Log.Heads, new ClockStamp(Author, Time, 0), Author);
        Log.Append(entry);
        if (!Graph.Apply(entry)) Graph.Rebuild(Log.TopologicalOrder());
        return entry;
    }
}
