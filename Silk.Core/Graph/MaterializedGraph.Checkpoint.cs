using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Graph;

public sealed partial class MaterializedGraph
{
    /// <summary>
    /// The live state as checkpoint ops with their clocks (SPEC §9): each live node as an add_node
    /// without properties at its newest add's clock, then one update_property per property at the
    /// clock of the entry that wrote it; then each visible edge the same way. Tombstoned entities,
    /// edges with a dead endpoint and quarantined entries are left out. Ids in ordinal order.
    /// Replaying these ops rebuilds exactly this state.
    /// </summary>
    public IEnumerable<(GraphOp Op, ClockStamp Clock)> LiveStateOps()
    {
        foreach (var id in SortedIds(_nodes.Values.Where(n => n.Alive).Select(n => n.Id)))
        {
            var node = _nodes[id];
            var newest = node.NewestAdd;
            yield return (new AddNode(id, node.NodeType, newest.Subtype, newest.Label, ValueMap.Empty), node.Newest!.Clock);
            foreach (var (key, value, clock) in node.Properties.Entries()) yield return (new UpdateProperty(id, key, value), clock);
        }

        foreach (var id in SortedIds(_edges.Values.Where(IsVisible).Select(e => e.Id)))
        {
            var edge = _edges[id];
            var oldest = edge.OldestAdd;
            yield return (new AddEdge(id, oldest.EdgeType, oldest.SourceId, oldest.TargetId, ValueMap.Empty), edge.Newest!.Clock);
            foreach (var (key, value, clock) in edge.Properties.Entries()) yield return (new UpdateProperty(id, key, value), clock);
        }
    }
}
