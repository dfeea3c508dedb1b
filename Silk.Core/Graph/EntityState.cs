using Silk.Core.Entries;

namespace Silk.Core.Graph;

/// <summary>
/// The registers of one node or edge, all joins of commutative choices over the entries that touch
/// it: the oldest valid add fixes the type (and an edge's endpoints), the newest valid add sets
/// label and subtype, the newest remove competes with the newest add for existence, and each
/// property key keeps its newest writer. So the state is a function of the entry set, whatever the
/// order entries arrive in.
/// </summary>
internal abstract class EntityState(string id)
{
    public string Id { get; } = id;

    // Most entities have exactly one add: keep it without a list.
    private Entry? _firstAdd;
    private List<Entry>? _moreAdds;

    /// <summary>Add entries that passed validation.</summary>
    public IReadOnlyList<Entry> ValidAdds =>
        _firstAdd is null ? [] : _moreAdds is null ? [_firstAdd] : [_firstAdd, .. _moreAdds];

    public Entry? Oldest { get; private set; }

    public Entry? Newest { get; private set; }

    public Entry? NewestRemove { get; private set; }

    public PropertyRegisters Properties { get; } = new();

    /// <summary>The type this entity is counted under in the graph's counts (null: not counted, i.e. not live or not visible).</summary>
    public string? CountedType { get; set; }

    /// <summary>Has at least one valid add (live or tombstoned).</summary>
    public bool Exists => Oldest is not null;

    /// <summary>Add wins unless the newest remove is strictly newer than the newest add.</summary>
    public bool Alive => Newest is not null && !(NewestRemove is { } removed && Version.Of(removed).Beats(Version.Of(Newest)));

    public bool Tombstoned => Exists && !Alive;

    /// <summary>Folds a valid add into the registers; its properties carry its clock.</summary>
    public void AddValid(Entry add)
    {
        if (_firstAdd is null) _firstAdd = add;
        else (_moreAdds ??= []).Add(add);
        var version = Version.Of(add);
        if (Oldest is null || Version.Of(Oldest).Beats(version)) Oldest = add;
        if (Newest is null || version.Beats(Version.Of(Newest))) Newest = add;
        Properties.SetAll(AddedProperties(add), add);
    }

    public void Remove(Entry remove)
    {
        if (NewestRemove is null || Version.Of(remove).Beats(Version.Of(NewestRemove))) NewestRemove = remove;
    }

    /// <summary>Forgets adds and properties, keeping removes (they need no validation).</summary>
    public void ResetAdds()
    {
        _firstAdd = null;
        _moreAdds = null;
        Oldest = null;
        Newest = null;
        Properties.Clear();
    }

    protected abstract Wire.ValueMap AddedProperties(Entry add);
}

internal sealed class NodeState(string id) : EntityState(id)
{
    public string NodeType => ((AddNode)Oldest!.Payload).NodeType;

    public AddNode NewestAdd => (AddNode)Newest!.Payload;

    /// <summary>Indexed outgoing edges in neighbour order, built on first traversal; null when stale.</summary>
    public Adjacent[]? SortedOutgoing { get; set; }

    /// <summary>Indexed incoming edges in neighbour order, built on first traversal; null when stale.</summary>
    public Adjacent[]? SortedIncoming { get; set; }

    protected override Wire.ValueMap AddedProperties(Entry add) => ((AddNode)add.Payload).Properties;
}

internal sealed class EdgeState(string id) : EntityState(id)
{
    public AddEdge OldestAdd => (AddEdge)Oldest!.Payload;

    /// <summary>The endpoints this edge is indexed under, to move it when they change.</summary>
    public (string Source, string Target)? IndexedEndpoints { get; set; }

    protected override Wire.ValueMap AddedProperties(Entry add) => ((AddEdge)add.Payload).Properties;
}
