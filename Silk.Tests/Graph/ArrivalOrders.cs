using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Log;
using Hash = Silk.Core.Wire.Hash;

namespace Silk.Tests.Graph;

/// <summary>Helpers for feeding entries straight into a graph in arbitrary (also non-causal) orders.</summary>
internal static class ArrivalOrders
{
    /// <summary>
    /// Holds each schema entry back until its ancestors have arrived. The schema is folded in the
    /// log's topological order, which for a schema entry depends on its ancestors; an oplog never
    /// holds an entry without its parents, so a store never sees a schema entry before its history.
    /// Data entries keep their (possibly non-causal) places.
    /// </summary>
    public static List<Entry> SchemaAfterAncestors(IEnumerable<Entry> order, OpLog fullLog, Hash genesis)
    {
        var placed = new HashSet<Hash> { genesis };
        var held = new List<(Entry Entry, HashSet<Hash> Ancestors)>();
        var result = new List<Entry>();
        foreach (var entry in order)
        {
            if (MaterializedGraph.RequiresRebuild(entry))
            {
                var ancestors = fullLog.AncestorsOrSelf(entry.Next);
                held.Add((entry, ancestors));
            }
            else
            {
                result.Add(entry);
                placed.Add(entry.Hash);
            }

            bool released;
            do
            {
                released = false;
                foreach (var h in held.ToList())
                {
                    if (!h.Ancestors.IsSubsetOf(placed)) continue;
                    held.Remove(h);
                    result.Add(h.Entry);
                    placed.Add(h.Entry.Hash);
                    released = true;
                }
            }
            while (released);
        }

        return result;
    }

    /// <summary>Applies entries one by one; a schema entry rebuilds from the topological order of what has arrived.</summary>
    public static MaterializedGraph ApplyStraight(Entry genesis, IEnumerable<Entry> order, OpLog fullLog)
    {
        var graph = MaterializedGraph.FromEntries([genesis], ((DefineOntology)genesis.Payload).Ontology);
        var applied = new HashSet<Hash> { genesis.Hash };
        foreach (var entry in order)
        {
            applied.Add(entry.Hash);
            if (!graph.Apply(entry)) graph.Rebuild(fullLog.TopologicalOrder(applied));
        }

        return graph;
    }
}
