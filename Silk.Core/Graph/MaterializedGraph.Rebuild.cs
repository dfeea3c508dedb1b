using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Schema;

namespace Silk.Core.Graph;

public sealed partial class MaterializedGraph
{
    /// <summary>
    /// Materializes from scratch (the 0.3.0 two-pass rebuild). Pass 1 starts from the first
    /// define_ontology (or a checkpoint's inner one) and folds every extend_ontology in topological
    /// order, quarantining those that fail; a checkpoint's inner define_ontology replaces the schema.
    /// Pass 2 materializes every other entry against that final schema, replaying checkpoints op by
    /// op with their own clocks and without the required-property check on node and edge adds (they carry no
    /// properties; the original's apply_inner replays every inner op with ValidationMode::SkipRequired).
    /// </summary>
    public void Rebuild(IReadOnlyList<Entry> topologicalOrder)
    {
        ArgumentNullException.ThrowIfNull(topologicalOrder);
        Clear();
        var ontology = FoldSchema(topologicalOrder);
        SetOntology(ontology);
        foreach (var entry in topologicalOrder)
        {
            if (entry.Payload is Checkpoint checkpoint)
            {
                foreach (var replay in CheckpointReplays(entry, checkpoint))
                {
                    if (replay.Payload is AddNode or AddEdge) _checkpointReplays.Add(replay.Hash);
                    ApplyData(replay);
                }
            }
            else
            {
                ApplyData(entry);
            }
        }

        SettleCounts();
        RebuildIndexes();
    }

    /// <summary>
    /// Builds a graph from entries in topological order; the schema comes from the entries, or from
    /// <paramref name="fallback"/> when they hold none (e.g. a time-travel cut-off before genesis).
    /// </summary>
    public static MaterializedGraph FromEntries(IReadOnlyList<Entry> topologicalOrder, Ontology fallback)
    {
        var graph = new MaterializedGraph(fallback);
        if (topologicalOrder.Count > 0) graph.Rebuild(topologicalOrder);
        return graph;
    }

    private Ontology FoldSchema(IReadOnlyList<Entry> topologicalOrder)
    {
        Ontology? ontology = null;
        foreach (var entry in topologicalOrder)
        {
            switch (entry.Payload)
            {
                case DefineOntology define:
                    ontology ??= define.Ontology;
                    break;
                case Checkpoint checkpoint:
                    if (checkpoint.Ops.OfType<DefineOntology>().FirstOrDefault() is { } inner) ontology = inner.Ontology;
                    break;
                case ExtendOntology extend:
                    var current = ontology ?? Ontology;
                    try
                    {
                        ontology = OntologyRules.Merge(current, extend.Extension);
                    }
                    catch (SchemaException ex)
                    {
                        _quarantine[entry.Hash] = new QuarantineRecord(entry.Hash, entry.Payload.Tag, ex.Violation.Message, current.ContentHash());
                    }

                    break;
            }
        }

        return ontology ?? Ontology;
    }

    /// <summary>
    /// A checkpoint's ops as the synthetic entries they stand for: each with its own clock
    /// (the checkpoint author's id and its op_clocks pair; the checkpoint's own clock if the list is short).
    /// </summary>
    public static IEnumerable<Entry> CheckpointReplays(Entry entry, Checkpoint checkpoint)
    {
        for (var i = 0; i < checkpoint.Ops.Count; i++)
        {
            var op = checkpoint.Ops[i];
            if (op is DefineOntology or ExtendOntology or Checkpoint) continue;
            var clock = i < checkpoint.OpClocks.Count
                ? new ClockStamp(entry.Author, checkpoint.OpClocks[i].PhysicalMs, checkpoint.OpClocks[i].Logical)
                : entry.Clock;
            yield return Entry.Create(op, [], clock, entry.Author);
        }
    }

    private void Clear()
    {
        _nodes.Clear();
        _edges.Clear();
        _updatesByEntity.Clear();
        _edgeAddsById.Clear();
        _edgeIdsByEndpoint.Clear();
        _outgoing.Clear();
        _incoming.Clear();
        _nodesByType.Clear();
        _quarantine.Clear();
        _checkpointReplays.Clear();
        ClearCounts();
    }
}
