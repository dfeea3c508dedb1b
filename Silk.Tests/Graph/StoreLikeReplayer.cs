using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Log;

namespace Silk.Tests.Graph;

/// <summary>
/// Feeds entries to an oplog and a graph the way a store's merge does: an entry whose parents are
/// missing waits until they arrive; schema entries (and a checkpoint that replaces the log) rebuild;
/// everything else is applied once, incrementally.
/// </summary>
internal sealed class StoreLikeReplayer
{
    private readonly List<Entry> _waiting = [];

    public StoreLikeReplayer(Entry genesis)
    {
        Log = new OpLog(genesis);
        Graph = MaterializedGraph.FromEntries(Log.TopologicalOrder(), ((DefineOntology)genesis.Payload).Ontology);
    }

    public OpLog Log { get; }

    public MaterializedGraph Graph { get; }

    public int Waiting => _waiting.Count;

    public void Deliver(Entry entry)
    {
        _waiting.Add(entry);
        bool progressed;
        do
        {
            progressed = false;
            foreach (var candidate in _waiting.ToList())
            {
                if (!candidate.Next.All(Log.Contains) && !(candidate.IsRoot)) continue;
                _waiting.Remove(candidate);
                progressed = true;
                var outcome = Log.Append(candidate);
                if (outcome == AppendOutcome.Duplicate) continue;
                if (outcome == AppendOutcome.ReplacedByCheckpoint || !Graph.Apply(candidate))
                {
                    Graph.Rebuild(Log.TopologicalOrder());
                }
            }
        }
        while (progressed && _waiting.Count > 0);
    }
}
