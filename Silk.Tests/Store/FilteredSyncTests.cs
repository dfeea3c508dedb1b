using Silk.Core.Entries;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Tests.Store;

/// <summary>
/// Filtered sync (issue 17): the selection of the original's <c>receive_filtered_sync_offer</c> on a log built here,
/// against a set worked out by hand, and our delta-mode rule for partial replicas.
/// </summary>
public sealed class FilteredSyncTests : IDisposable
{
    private static readonly HashSet<string> Servers = ["server"];

    private readonly GraphStore _source = TestStores.Create("source");
    private readonly GraphStore _branchB;
    private readonly GraphStore _branchC;
    private readonly GraphStore _receiver;
    private readonly Dictionary<string, Hash> _h = [];

    /// <summary>
    /// The log, in the source's arrival order (three branches from one genesis, merged, then two more writes):
    /// <code>
    /// G   define_ontology                          kept: always
    /// a1  add_node server web                      kept: wanted type
    /// a2  add_node person alice                    kept ONLY by the ancestor rule (a3 descends from it)
    /// a3  add_edge e1 RUNS_ON alice→web            kept: touches web
    /// a4  update_property web.port                 kept: web is wanted
    /// a5  add_node server old                      kept: wanted type
    /// a6  remove_node old                          kept: old is wanted
    /// b1  add_node person bob                      dropped        (branch B)
    /// b2  update_property bob.age                  dropped
    /// b3  add_node person carol                    dropped
    /// b4  add_edge k1 KNOWS bob→carol              dropped
    /// b5  remove_node carol                        dropped
    /// c1  remove_edge gone                         kept: always   (branch C)
    /// a7  update_property e1.note (parents a6, b5, c1)   dropped: an edge's update names no wanted node
    /// a8  update_property alice.age                dropped
    /// </code>
    /// The receiver shares only the genesis and has one write of its own (r1), so its offer's head is unknown here.
    /// </summary>
    public FilteredSyncTests()
    {
        _branchB = GraphStore.FromSnapshot("branch-b", _source.ExportSnapshot());
        _branchC = GraphStore.FromSnapshot("branch-c", _source.ExportSnapshot());
        _receiver = GraphStore.FromSnapshot("receiver", _source.ExportSnapshot());
        _h["G"] = Assert.Single(_source.Heads);

        _h["a1"] = _source.AddNode("web", "server", "web", ValueMap.Of(("name", "web")));
        _h["a2"] = _source.AddNode("alice", "person", "alice", ValueMap.Of(("name", "alice")));
        _h["a3"] = _source.AddEdge("e1", "RUNS_ON", "alice", "web");
        _h["a4"] = _source.UpdateProperty("web", "port", 80L);
        _h["a5"] = _source.AddNode("old", "server", "old", ValueMap.Of(("name", "old")));
        _h["a6"] = _source.RemoveNode("old");

        _h["b1"] = _branchB.AddNode("bob", "person", "bob", ValueMap.Of(("name", "bob")));
        _h["b2"] = _branchB.UpdateProperty("bob", "age", 30L);
        _h["b3"] = _branchB.AddNode("carol", "person", "carol", ValueMap.Of(("name", "carol")));
        _h["b4"] = _branchB.AddEdge("k1", "KNOWS", "bob", "carol");
        _h["b5"] = _branchB.RemoveNode("carol");

        _h["c1"] = _branchC.RemoveEdge("gone");

        _source.Merge(_branchB.EntriesSince(null));
        _source.Merge(_branchC.EntriesSince(null));
        _h["a7"] = _source.UpdateProperty("e1", "note", "x");
        _h["a8"] = _source.UpdateProperty("alice", "age", 5L);
        Assert.Equal(_source.GetEntry(_h["a7"])!.Next.Order(), new[] { _h["a6"], _h["b5"], _h["c1"] }.Order());

        _h["r1"] = _receiver.AddNode("rita", "person", "rita", ValueMap.Of(("name", "rita")));
    }

    public void Dispose()
    {
        _source.Dispose();
        _branchB.Dispose();
        _branchC.Dispose();
        _receiver.Dispose();
    }

    private HashSet<Hash> Named(params string[] labels) => labels.Select(l => _h[l]).ToHashSet();

    private SyncOffer ReceiverOffer() => SyncOffer.Decode(_receiver.GenerateOffer().ToBytes());

    [Fact]
    public void The_originals_selection_keeps_the_hand_computed_set_in_payload_order_with_the_same_need()
    {
        var offer = ReceiverOffer();
        var full = _source.ComputePayload(offer);
        // The original's full payload: everything the bloom lacks, plus the genesis (the ancestor closure does not
        // consult the bloom, and the receiver's head r1 is unknown here, so nothing stops it).
        Assert.Equal(Named("G", "a1", "a2", "a3", "a4", "a5", "a6", "b1", "b2", "b3", "b4", "b5", "c1", "a7", "a8"), full.Entries.Select(e => e.Hash).ToHashSet());

        var filtered = _source.ComputePayload(offer, PayloadMode.Compatible, ["server"]);

        var expected = Named("G", "a1", "a2", "a3", "a4", "a5", "a6", "c1");
        Assert.Equal(expected, filtered.Entries.Select(e => e.Hash).ToHashSet());
        // a2 is a person: nothing but the ancestor rule keeps it (a3, the edge touching web, has it as parent).
        Assert.Equal("person", Assert.IsType<AddNode>(_source.GetEntry(_h["a2"])!.Payload).NodeType);
        Assert.Contains(_h["a2"], _source.GetEntry(_h["a3"])!.Next);
        Assert.Equal([_h["r1"]], filtered.Need);
        Assert.Equal(full.Need, filtered.Need);

        // Byte for byte: the full payload's entries in its own order, minus the dropped ones, and its need.
        var expectedBytes = new SyncPayload(full.Entries.Where(e => expected.Contains(e.Hash)).ToList(), full.Need).ToBytes();
        Assert.Equal(expectedBytes, filtered.ToBytes());
        Assert.Equal(expectedBytes, NodeTypeFilter.Apply(full, Servers).ToBytes());
    }

    [Fact]
    public void The_filtered_payload_is_causally_complete_and_the_receiver_holds_only_the_wanted_nodes_and_edges()
    {
        var filtered = _source.ComputePayload(ReceiverOffer(), PayloadMode.Compatible, ["server"]);
        // A compatible merge refuses any entry whose parent is missing: the ancestor rule must have kept them all.
        var merged = _receiver.Merge(SyncPayload.Decode(filtered.ToBytes()));
        Assert.Equal((7, 1), (merged.Inserted, merged.AlreadyKnown)); // a1..a6 and c1; G was known

        Assert.Equal(["alice", "rita", "web"], _receiver.AllNodes().Select(n => n.NodeId).Order(StringComparer.Ordinal));
        Assert.Equal(["e1"], _receiver.AllEdges().Select(e => e.EdgeId));
        Assert.Null(_receiver.GetNode("bob"));
        Assert.Null(_receiver.GetNode("old"));
        Assert.Equal(80L, _receiver.GetNode("web")!.Properties["port"].AsInt);
    }

    [Fact]
    public void Type_names_are_exact_a_parent_type_does_not_bring_its_subtypes()
    {
        // person and server both have parent_type entity; no node is of type entity itself.
        var filtered = _source.ComputePayload(ReceiverOffer(), PayloadMode.Compatible, ["entity"]);
        Assert.Equal(Named("G", "c1"), filtered.Entries.Select(e => e.Hash).ToHashSet());

        var both = _source.ComputePayload(ReceiverOffer(), PayloadMode.Compatible, ["server", "person"]);
        Assert.Equal(_source.ComputePayload(ReceiverOffer()).ToBytes(), both.ToBytes());
    }

    [Fact]
    public void In_the_originals_rule_wanted_nodes_are_those_added_in_the_payload_in_delta_mode_those_of_the_whole_log()
    {
        // The receiver already holds web (an earlier filtered pull); now only a4 and later are new to it.
        var upToA3 = new HashSet<Hash>(Named("G", "a1", "a2", "a3"));
        using var partial = GraphStore.FromSnapshot("partial", new Snapshot(_source.ExportSnapshot().Entries.Where(e => upToA3.Contains(e.Hash)).ToList()));
        var offer = SyncOffer.Decode(partial.GenerateOffer().ToBytes());

        // Original rule: web's add_node is not in this payload, so web's update (a4) and the edge update (a7) are not
        // wanted; what is kept is a5/a6 (old is added in the payload), c1 and G (the closure of branches B and C
        // reaches back to the genesis), with their ancestors in the payload.
        var compatible = _source.ComputePayload(offer, PayloadMode.Compatible, ["server"]);
        Assert.Equal(Named("G", "a4", "a5", "a6", "c1"), compatible.Entries.Select(e => e.Hash).ToHashSet());
        // a4 is kept only as an ancestor of a5 here; a7 and the whole of branch B are dropped.
        Assert.DoesNotContain(_h["a7"], compatible.Entries.Select(e => e.Hash));

        // Delta mode: web and e1 are wanted because the log says so, so a7 (e1's update) is kept, and with it every
        // ancestor in the payload, branch B included; only a8 (alice, a person) is dropped.
        var delta = _source.ComputePayload(offer, PayloadMode.Delta, ["server"]);
        var fullDelta = _source.ComputePayload(offer, PayloadMode.Delta);
        Assert.Equal(fullDelta.Entries.Select(e => e.Hash).Where(h => h != _h["a8"]).ToHashSet(), delta.Entries.Select(e => e.Hash).ToHashSet());
        Assert.Equal(fullDelta.Entries.Where(e => e.Hash != _h["a8"]).Select(e => e.Hash), delta.Entries.Select(e => e.Hash));
        Assert.Equal(fullDelta.Need, delta.Need);
    }

    [Fact]
    public void A_partial_replica_pulling_in_delta_mode_gets_later_updates_of_nodes_it_already_holds()
    {
        using var source = TestStores.Create("src");
        using var replica = GraphStore.FromSnapshot("rep", source.ExportSnapshot());
        source.AddNode("web", "server", "web", ValueMap.Of(("name", "web")));
        Pull(source, replica, PayloadMode.Delta);
        Assert.NotNull(replica.GetNode("web"));

        source.UpdateProperty("web", "port", 8080L);
        for (var i = 0; i < 5; i++) source.AddNode($"p{i}", "person", $"p{i}", ValueMap.Of(("name", $"p{i}")));

        // The original's rule would drop the update: web's add_node is no longer in the payload.
        var compatible = source.ComputePayload(SyncOffer.Decode(replica.GenerateOffer().ToBytes()), PayloadMode.Compatible, ["server"]);
        Assert.Empty(compatible.Entries);

        var pulled = Pull(source, replica, PayloadMode.Delta);
        Assert.Equal(1, pulled);
        Assert.Equal(8080L, replica.GetNode("web")!.Properties["port"].AsInt);
        Assert.Equal(["web"], replica.AllNodes().Select(n => n.NodeId));
    }

    private static int Pull(GraphStore from, GraphStore to, PayloadMode mode)
    {
        var payload = from.ComputePayload(SyncOffer.Decode(to.GenerateOffer().ToBytes()), mode, ["server"]);
        var result = to.Merge(SyncPayload.Decode(payload.ToBytes()), holdUnresolved: mode == PayloadMode.Delta);
        Assert.Empty(result.MissingParents);
        return result.Inserted;
    }
}
