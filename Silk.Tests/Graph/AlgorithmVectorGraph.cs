using System.Text.Json;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Log;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Tests.Graph;

/// <summary>
/// The fixed graph of algorithms.json: its entries decoded from their wire bytes, appended to an
/// oplog in listed order and materialized by a rebuild over the topological order. Built once.
/// </summary>
internal sealed class AlgorithmVectorGraph
{
    public const string File = "algorithms.json";

    private static readonly Lazy<AlgorithmVectorGraph> Shared = new(() => new AlgorithmVectorGraph());

    private AlgorithmVectorGraph()
    {
        Vector = Conformance.Vectors.Load(File);
        Entries = Vector.GetProperty("entries").EnumerateArray()
            .Select(e => Entry.Decode(Convert.FromHexString(e.GetProperty("entry_msgpack_hex").GetString()!)))
            .ToList();
        Ontology = ((DefineOntology)Entries[0].Payload).Ontology;
        Log = NewLog(Entries);
        Graph = MaterializedGraph.FromEntries(Log.TopologicalOrder(), Ontology);

        // The vector's "with_extra_edge users_db->api (cycle)" graph: one more CALLS edge, closing a cycle.
        var extra = Entry.Create(
            new AddEdge("cycle", "CALLS", "users_db", "api", ValueMap.Empty),
            Log.Heads,
            new ClockStamp("x", Entries[^1].Clock.PhysicalMs + 10, 0),
            "x");
        CyclicGraph = MaterializedGraph.FromEntries(NewLog([.. Entries, extra]).TopologicalOrder(), Ontology);
    }

    public static AlgorithmVectorGraph Instance => Shared.Value;

    public JsonElement Vector { get; }

    public IReadOnlyList<Entry> Entries { get; }

    public Ontology Ontology { get; }

    /// <summary>The oplog holding the vector's entries (tests must not append to it).</summary>
    public OpLog Log { get; }

    public MaterializedGraph Graph { get; }

    public MaterializedGraph CyclicGraph { get; }

    /// <summary>A fresh oplog holding the vector's entries, for tests that write to it.</summary>
    public static OpLog NewLog(IReadOnlyList<Entry> entries)
    {
        var log = new OpLog(entries[0]);
        foreach (var entry in entries.Skip(1)) log.Append(entry);
        return log;
    }
}
