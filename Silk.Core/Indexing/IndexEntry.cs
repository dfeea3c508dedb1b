using Silk.Core.Query;
using Silk.Core.Wire;

namespace Silk.Core.Indexing;

/// <summary>One node in an index: its value of the indexed property and its id, ordered by value (kind, then value) and then id.</summary>
public readonly record struct IndexEntry(Value Value, string NodeId) : IComparable<IndexEntry>
{
    public int CompareTo(IndexEntry other)
    {
        var byValue = ValueOrder.Compare(Value, other.Value);
        return byValue != 0 ? byValue : Utf8Order.CompareStrings(NodeId, other.NodeId);
    }
}
