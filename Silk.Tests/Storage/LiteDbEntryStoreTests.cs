using Silk.Core.Persistence;
using Silk.Core.Store;
using Silk.Core.Wire;
using Silk.Storage;
using Silk.Tests.Store;

namespace Silk.Tests.Storage;

public sealed class LiteDbEntryStoreTests
{
    private static GraphStore Open(string folder, DurabilityMode mode = DurabilityMode.Fsync, string? id = null) =>
        GraphStore.Open(new LiteDbEntryStore(folder, mode), TestStores.Ontology, id);

    [Theory]
    [InlineData(DurabilityMode.Fsync)]
    [InlineData(DurabilityMode.Process)]
    public void Reopen_restores_heads_graph_and_instance_id(DurabilityMode mode)
    {
        using var dir = new TempFolder();
        IReadOnlyList<Hash> heads;
        string id;
        int count;
        using (var store = Open(dir.Path, mode, "peer-a"))
        {
            store.AddNode("alice", "person", "Alice", ValueMap.Of(("name", "Alice"), ("age", 30)));
            store.AddNode("bob", "person", "Bob", ValueMap.Of(("name", "Bob")));
            store.AddEdge("k1", "KNOWS", "alice", "bob");
            store.UpdateProperty("bob", "age", 41);
            store.RemoveNode("alice");
            heads = store.Heads;
            id = store.InstanceId;
            count = store.EntryCount;
        }

        using var again = Open(dir.Path, mode);
        Assert.Equal(id, again.InstanceId);
        Assert.Equal(heads, again.Heads);
        Assert.Equal(count, again.EntryCount);
        Assert.Null(again.GetNode("alice"));
        Assert.Equal((Value)41, again.GetNode("bob")!.Properties["age"]);
        Assert.Empty(again.VerifyIntegrity());
    }
}
