using Silk.Core.Entries;
using Silk.Core.Persistence;
using Silk.Core.Store;
using Silk.Core.Wire;
using Silk.Storage;
using Silk.Tests.Storage;

namespace Silk.Tests.Convergence;

/// <summary>
/// The durability bugs the convergence fuzz found, pinned down one by one: a failed commit must
/// never be reported as success, and a store whose disk state is unknown must refuse writes.
/// </summary>
public sealed class StorageFaultTests
{
    private static (GraphStore Store, FaultyEntryStore Storage) Open(string folder, string id = "p0")
    {
        var storage = new FaultyEntryStore(new LiteDbEntryStore(folder, DurabilityMode.Process));
        return (GraphStore.Open(storage, FuzzSchema.Ontology, id), storage);
    }

    private static ValueMap Named(string name) => ValueMap.Of(("name", name));

    // Found by the fuzz (seed 2 before the harness grew): Merge flushed but did not check that its own
    // entries were persisted, so a failed commit returned "inserted" for entries that a restart lost.
    [Theory]
    [InlineData(StorageFault.LoseBatch)]
    [InlineData(StorageFault.PersistThenFail)]
    public void A_merge_whose_commit_fails_is_not_reported_as_merged(StorageFault fault)
    {
        using var dir = new TempFolder();
        var (store, storage) = Open(dir.Path);
        using var source = GraphStore.FromSnapshot("p1", store.ExportSnapshot());
        source.AddNode("n0", "person", "N", Named("n"));
        var entries = source.EntriesSince(null);
        storage.Armed = fault;

        Assert.Throws<StoreFaultedException>(() => store.Merge(entries));
        Assert.Throws<StoreFaultedException>(() => store.AddNode("n1", "person", "N", Named("n")));
        store.Dispose();

        using var reopened = Open(dir.Path).Store;
        Assert.Equal(fault == StorageFault.PersistThenFail, reopened.GetEntry(entries[^1].Hash) is not null);
        Assert.Empty(reopened.VerifyIntegrity());
    }

    [Fact]
    public void A_merge_that_inserts_nothing_needs_no_commit()
    {
        using var dir = new TempFolder();
        var (store, storage) = Open(dir.Path);
        using (store)
        {
            storage.Armed = StorageFault.LoseBatch;
            var result = store.Merge(store.EntriesSince(null));
            Assert.Equal(0, result.Inserted);
            Assert.False(storage.Tripped);
        }
    }

    // Found by the fuzz: a compaction whose replacement failed (possibly after reaching the disk) left the
    // store writable on its old in-memory log, so later writes could land behind a checkpoint on disk.
    [Theory]
    [InlineData(StorageFault.LoseBatch)]
    [InlineData(StorageFault.PersistThenFail)]
    public void A_compaction_that_fails_to_persist_faults_the_store(StorageFault fault)
    {
        using var dir = new TempFolder();
        var (store, storage) = Open(dir.Path);
        var written = store.AddNode("n0", "person", "N", Named("n"));
        storage.Armed = fault;

        Assert.Throws<StoreFaultedException>(() => store.Compact(safe: false));
        Assert.Throws<StoreFaultedException>(() => store.AddNode("n1", "person", "N", Named("n")));
        store.Dispose();

        using var reopened = Open(dir.Path).Store;
        var root = reopened.EntriesSince(null)[0];
        Assert.Equal(fault == StorageFault.PersistThenFail, root.Payload is Checkpoint);
        Assert.Equal(fault == StorageFault.LoseBatch, reopened.GetEntry(written) is not null);
        Assert.NotNull(reopened.GetNode("n0"));
        Assert.Null(reopened.GetNode("n1"));
    }
}
