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
    /// <para>
    /// Replay validates those ops (required properties skipped). Under D3 a node's type comes from its
    /// oldest add while its subtype, label and some properties may come from newer adds of another type
    /// or subtype, a combination that one validated add_node cannot restate (say a type that declares
    /// subtypes with a newest add that has none, or a property that only the newer add's type allows).
    /// Such a node is restated by the adds it is made of instead: its oldest add, its newest add and every
    /// add that wrote a surviving property, each at its own clock with the properties it won, then the
    /// properties won by update_property entries. Each of those ops validates as its original did.
    /// </para>
    /// </summary>
    public IEnumerable<(GraphOp Op, ClockStamp Clock)> LiveStateOps()
    {
        foreach (var id in SortedIds(_nodes.Values.Where(n => n.Alive).Select(n => n.Id)))
        {
            var node = _nodes[id];
            var ops = RestatesAsOneAdd(node) ? RestateAsOneAdd(node) : RestateByAdds(node);
            foreach (var op in ops) yield return op;
        }

        foreach (var id in SortedIds(_edges.Values.Where(IsVisible).Select(e => e.Id)))
        {
            var edge = _edges[id];
            var oldest = edge.OldestAdd;
            yield return (new AddEdge(id, oldest.EdgeType, oldest.SourceId, oldest.TargetId, ValueMap.Empty), edge.Newest!.Clock);
            foreach (var (key, value, clock) in edge.Properties.Entries()) yield return (new UpdateProperty(id, key, value), clock);
        }
    }

    private bool RestatesAsOneAdd(NodeState node)
    {
        var subtype = node.NewestAdd.Subtype;
        if (Rules.ValidateNode(node.NodeType, subtype, ValueMap.Empty, skipRequired: true) is not null) return false;
        foreach (var (key, value, _) in node.Properties.Entries())
        {
            if (Rules.ValidatePropertyUpdate(node.NodeType, subtype, key, value) is not null) return false;
        }

        return true;
    }

    private static IEnumerable<(GraphOp Op, ClockStamp Clock)> RestateAsOneAdd(NodeState node)
    {
        var newest = node.NewestAdd;
        yield return (new AddNode(node.Id, node.NodeType, newest.Subtype, newest.Label, ValueMap.Empty), node.Newest!.Clock);
        foreach (var (key, value, clock) in node.Properties.Entries()) yield return (new UpdateProperty(node.Id, key, value), clock);
    }

    private static IEnumerable<(GraphOp Op, ClockStamp Clock)> RestateByAdds(NodeState node)
    {
        var adds = new SortedDictionary<Version, (Entry Entry, List<(string, Value)> Won)>
        {
            [Version.Of(node.Oldest!)] = (node.Oldest!, []),
            [Version.Of(node.Newest!)] = (node.Newest!, []),
        };
        var updates = new List<(GraphOp, ClockStamp)>();
        foreach (var (key, value, writer) in node.Properties.Writes())
        {
            if (writer.Payload is AddNode)
            {
                var version = Version.Of(writer);
                if (!adds.TryGetValue(version, out var add)) adds[version] = add = (writer, []);
                add.Won.Add((key, value));
            }
            else
            {
                updates.Add((new UpdateProperty(node.Id, key, value), writer.Clock));
            }
        }

        foreach (var (entry, won) in adds.Values)
        {
            var add = (AddNode)entry.Payload;
            yield return (new AddNode(node.Id, add.NodeType, add.Subtype, add.Label, ValueMap.Of([.. won])), entry.Clock);
        }

        foreach (var update in updates) yield return update;
    }

    /// <summary>
    /// Where this graph's live nodes and edges differ from <paramref name="other"/>'s (ids, in order):
    /// used to check that a checkpoint restates the live state before it replaces a log. Properties are
    /// compared by their bytes: value equality is Rust's PartialEq (NaN ≠ NaN, 0.0 = -0.0), which would call
    /// a NaN lost and a -0.0 turned into 0.0 kept.
    /// </summary>
    public IReadOnlyList<string> LiveDifferences(MaterializedGraph other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<string>();
        Compare(
            AllNodes().ToDictionary(n => n.NodeId),
            other.AllNodes().ToDictionary(n => n.NodeId),
            "node",
            static (a, b) => a.NodeType == b.NodeType && a.Subtype == b.Subtype && a.Label == b.Label && SameBytes(a.Properties, b.Properties));
        Compare(
            AllEdges().ToDictionary(e => e.EdgeId),
            other.AllEdges().ToDictionary(e => e.EdgeId),
            "edge",
            static (a, b) => a.EdgeType == b.EdgeType && a.SourceId == b.SourceId && a.TargetId == b.TargetId && SameBytes(a.Properties, b.Properties));
        return differences;

        void Compare<T>(Dictionary<string, T> mine, Dictionary<string, T> theirs, string kind, Func<T, T, bool> same)
        {
            foreach (var id in SortedIds(mine.Keys.Union(theirs.Keys)))
            {
                if (!mine.TryGetValue(id, out var a) || !theirs.TryGetValue(id, out var b) || !same(a, b)) differences.Add($"{kind} '{id}'");
            }
        }
    }

    private static bool SameBytes(ValueMap a, ValueMap b) =>
        ValueCodec.Encode(Value.FromMap(a)).AsSpan().SequenceEqual(ValueCodec.Encode(Value.FromMap(b)));
}
