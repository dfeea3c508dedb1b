using Silk.Core.Entries;
using Silk.Core.Schema;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Tests.Store;

public class GraphStoreWriteTests
{
    private static ValueMap Name(string name) => ValueMap.Of(("name", name));

    [Fact]
    public void A_new_store_holds_its_genesis_and_the_ontology()
    {
        using var store = TestStores.Create();
        Assert.Equal(1, store.EntryCount);
        var genesis = store.GetEntry(store.Heads[0])!;
        Assert.IsType<DefineOntology>(genesis.Payload);
        Assert.Equal("peer-a", genesis.Author);
        Assert.Equal(TestStores.Ontology.ContentHash(), store.OntologyHash);
    }

    [Fact]
    public void An_inconsistent_ontology_is_refused()
    {
        var bad = OntologyJson.Parse("""{"node_types": {"a": {}}, "edge_types": {"E": {"source_types": ["a"], "target_types": ["zz"]}}}""");
        var ex = Assert.Throws<SchemaException>(() => GraphStore.Create("x", bad));
        Assert.Equal("invalid_target", ex.Rule);
    }

    [Fact]
    public void Writes_chain_on_the_heads_and_materialize()
    {
        using var store = TestStores.Create();
        var h1 = store.AddNode("alice", "person", "Alice", Name("Alice"));
        var h2 = store.AddNode("bob", "person", "Bob", Name("Bob"));
        var h3 = store.AddEdge("k", "KNOWS", "alice", "bob", ValueMap.Of(("since", 2020L)));
        var h4 = store.UpdateProperty("alice", "age", 30L);
        Assert.Equal([h4], store.Heads);
        Assert.Equal([h3], store.GetEntry(h4)!.Next);
        Assert.Equal([h2], store.GetEntry(h3)!.Next);
        Assert.Equal([h1], store.GetEntry(h2)!.Next);
        Assert.Equal(30L, store.GetNode("alice")!.Properties["age"].AsInt);
        Assert.Equal("bob", Assert.Single(store.OutgoingEdges("alice")).TargetId);
        Assert.Empty(store.VerifyIntegrity());
    }

    [Fact]
    public void Invalid_writes_name_the_rule_and_write_nothing()
    {
        using var store = TestStores.Create();
        store.AddNode("alice", "person", "Alice", Name("Alice"));
        var before = store.EntryCount;
        var clock = store.Clock;

        Assert.Equal("missing_required_property", Assert.Throws<SchemaException>(() => store.AddNode("x", "person", "X")).Rule);
        Assert.Equal("unknown_node_type", Assert.Throws<SchemaException>(() => store.AddNode("x", "ghost", "X")).Rule);
        Assert.Equal("constraint_violation", Assert.Throws<SchemaException>(() => store.UpdateProperty("alice", "age", -1L)).Rule);
        // Inherited properties are checked on local updates (stricter than the remote rule).
        Assert.Equal("wrong_property_type", Assert.Throws<SchemaException>(() => store.UpdateProperty("alice", "name", 5L)).Rule);
        Assert.Equal("endpoint_not_found", Assert.Throws<ValidationException>(() => store.AddEdge("e", "KNOWS", "alice", "nobody")).Rule);
        store.AddNode("srv", "server", "S", Name("s"));
        Assert.Equal("invalid_target", Assert.Throws<SchemaException>(() => store.AddEdge("e", "KNOWS", "alice", "srv")).Rule);
        var tooBig = Assert.Throws<ValueLimitException>(() => store.AddNode("big", "person", "B", ValueMap.Of(("name", new string('x', 1_048_577)))));
        Assert.Equal(("value_limit", "max_string_bytes", 1_048_576), (tooBig.Rule, tooBig.Limit, tooBig.Bound));
        Assert.Equal("max_id_bytes", Assert.Throws<ValueLimitException>(() => store.AddNode(new string('i', 1_025), "person", "B", Name("b"))).Limit);
        Assert.Equal("max_id_bytes", Assert.Throws<ValueLimitException>(() => store.RemoveEdge(new string('é', 513))).Limit);
        Assert.Equal("max_key_bytes", Assert.Throws<ValueLimitException>(() => store.UpdateProperty("alice", new string('k', 1_025), 1L)).Limit);

        Assert.Equal(before + 1, store.EntryCount);
        Assert.True(clock.PhysicalMs <= store.Clock.PhysicalMs);
    }

    [Fact]
    public void Edges_hide_with_a_removed_endpoint_and_return_with_it()
    {
        using var store = TestStores.Create();
        store.AddNode("a", "person", "A", Name("a"));
        store.AddNode("b", "person", "B", Name("b"));
        store.AddEdge("k", "KNOWS", "a", "b");
        store.RemoveNode("b");
        Assert.Empty(store.AllEdges());
        Assert.Null(store.GetNode("b"));
        store.AddNode("b", "person", "B again", Name("b"));
        Assert.Single(store.AllEdges());
        Assert.Equal("B again", store.GetNode("b")!.Label);
    }

    [Fact]
    public void Extending_the_ontology_releases_quarantined_entries_and_announces_them()
    {
        using var remote = TestStores.Create("peer-b");
        using var local = GraphStore.FromSnapshot("peer-a", remote.ExportSnapshot());
        var ext = OntologyJson.ParseExtension("""{"node_types": {"robot": {"properties": {"model": {"value_type": "string"}}}}}""");
        remote.ExtendOntology(ext);
        var robotHash = remote.AddNode("r1", "robot", "R1");
        // Only the robot entry reaches the local peer first (the extension's entry is its parent, so send both but apply order is causal).
        var events = new List<ChangeEvent>();
        local.Subscribe(events.Add);
        local.Merge(remote.ExportSnapshot().Entries);
        Assert.NotNull(local.GetNode("r1"));
        Assert.Contains(events, e => e.Hash == robotHash && !e.Local && e.Op == "add_node" && e.NodeType == "robot");
        Assert.Empty(local.Quarantined());
    }

    [Fact]
    public void Local_extension_rebuilds_so_earlier_remote_entries_of_the_new_type_appear()
    {
        using var a = TestStores.Create("peer-a");
        using var b = GraphStore.FromSnapshot("peer-b", a.ExportSnapshot());
        var ext = OntologyJson.ParseExtension("""{"node_types": {"robot": {}}}""");
        b.ExtendOntology(ext);
        b.AddNode("r1", "robot", "R1");
        // a receives only b's add_node whose parent (the extension) it also needs: deliver everything,
        // but first show that a's own identical extension would be refused as a duplicate after merging.
        a.Merge(b.ExportSnapshot().Entries);
        Assert.NotNull(a.GetNode("r1"));
        Assert.Equal("duplicate_node_type", Assert.Throws<SchemaException>(() => a.ExtendOntology(ext)).Rule);
    }

    [Fact]
    public void Subscribers_see_each_local_write_once_and_a_throwing_one_breaks_nothing()
    {
        var errors = new List<Exception>();
        using var store = GraphStore.Create("peer-a", TestStores.Ontology, new GraphStoreOptions { OnSubscriberError = errors.Add });
        var seen = new List<ChangeEvent>();
        var first = store.Subscribe(_ => throw new InvalidOperationException("boom"));
        var second = store.Subscribe(seen.Add);
        Assert.Equal(0, first);
        Assert.Equal(1, second);
        var h = store.AddNode("a", "person", "A", Name("a"));
        store.UpdateProperty("a", "age", 3L);
        Assert.Equal(2, seen.Count);
        Assert.Equal(new ChangeEvent(h, "peer-a", seen[0].PhysicalMs, seen[0].Logical, true, "add_node", NodeId: "a", NodeType: "person"), seen[0]);
        Assert.Equal(("a", "age", Value.FromInt(3)), (seen[1].EntityId, seen[1].Key, seen[1].Value!.Value));
        Assert.Equal(2, errors.Count);
        store.Unsubscribe(second);
        store.Unsubscribe(99);
        store.RemoveNode("a");
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_keep_the_log_consistent()
    {
        using var store = TestStores.Create();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 250; i++)
            {
                store.AddNode($"n{w}-{i}", "person", "x", Name("x"));
                if (i % 10 == 0) store.UpdateProperty($"n{w}-{i}", "age", (long)i);
            }
        })).ToArray();
        var reader = Task.Run(() =>
        {
            while (!writers.All(t => t.IsCompleted))
            {
                var nodes = store.AllNodes();
                Assert.All(nodes, n => Assert.Equal("person", n.NodeType));
            }
        });
        await Task.WhenAll([.. writers, reader]);
        Assert.Equal(1000, store.NodeCount);
        Assert.Equal(1 + 1000 + 100, store.EntryCount);
        Assert.Single(store.Heads);
        Assert.Empty(store.VerifyIntegrity());
    }
}
