using Silk.Core.Clock;
using Silk.Core.Persistence;
using Silk.Core.Store;
using Silk.Core.Wire;
using Silk.Storage;
using Silk.Tests.Store;

namespace Silk.Tests.Storage;

/// <summary>The LiteDB-backed store through GraphStore.Open, on real files in temp folders.</summary>
public sealed class LiteDbEntryStoreTests
{
    internal static GraphStore Open(string folder, DurabilityMode mode = DurabilityMode.Fsync, string? id = null) =>
        GraphStore.Open(new LiteDbEntryStore(folder, mode), TestStores.Ontology, id);

    internal static ValueMap Person(string name, long? age = null) =>
        age is { } a ? ValueMap.Of(("name", name), ("age", a)) : ValueMap.Of(("name", name));

    [Theory]
    [InlineData(DurabilityMode.Fsync)]
    [InlineData(DurabilityMode.Process)]
    public void Reopen_restores_heads_graph_instance_id_and_clock(DurabilityMode mode)
    {
        using var dir = new TempFolder();
        IReadOnlyList<Hash> heads;
        int count;
        ClockStamp newest;
        using (var store = Open(dir.Path, mode, "peer-a"))
        {
            Assert.Equal(mode, store.Durability);
            store.AddNode("alice", "person", "Alice", Person("Alice", 30));
            store.AddNode("bob", "person", "Bob", Person("Bob"));
            store.AddNode("carol", "person", "Carol", Person("Carol"));
            store.AddEdge("k1", "KNOWS", "alice", "bob", ValueMap.Of(("since", 2020L)));
            store.AddEdge("k2", "KNOWS", "bob", "carol");
            store.UpdateProperty("bob", "age", 41L);
            store.RemoveNode("alice");
            store.RemoveEdge("k2");
            heads = store.Heads;
            count = store.EntryCount;
            newest = store.GetEntry(heads[0])!.Clock;
        }

        using var again = Open(dir.Path, mode, "someone-else");
        Assert.Equal("peer-a", again.InstanceId);
        Assert.Equal(heads, again.Heads);
        Assert.Equal(count, again.EntryCount);
        Assert.Null(again.GetNode("alice"));
        Assert.Equal((Value)41L, again.GetNode("bob")!.Properties["age"]);
        Assert.Equal(["bob", "carol"], again.AllNodes().Select(n => n.NodeId).Order(StringComparer.Ordinal));
        Assert.Empty(again.AllEdges()); // k1 dangles (alice removed), k2 removed
        Assert.Empty(again.VerifyIntegrity());
        Assert.True(again.Clock.CompareTime(newest) >= 0);

        var later = again.AddNode("dave", "person", "Dave", Person("Dave"));
        Assert.True(again.GetEntry(later)!.Clock.CompareTime(newest) > 0);
        Assert.Equal("peer-a", again.GetEntry(later)!.Author);
    }

    [Fact]
    public async Task Tail_cursor_from_before_a_restart_yields_exactly_the_later_entries()
    {
        using var dir = new TempFolder();
        IReadOnlyList<Hash> cursor;
        var later = new List<Hash>();
        using (var store = Open(dir.Path))
        {
            for (var i = 0; i < 5; i++) store.AddNode($"n{i}", "person", $"N{i}", Person($"N{i}"));
            cursor = store.CurrentCursor;
            for (var i = 5; i < 12; i++) later.Add(await store.AddNodeAsync($"n{i}", "person", $"N{i}", Person($"N{i}")));
            later.Add(store.AddEdge("e1", "KNOWS", "n1", "n7"));
        }

        using var again = Open(dir.Path);
        using var tail = again.SubscribeFrom(cursor);
        var batch = await tail.NextBatchAsync(TimeSpan.FromSeconds(5), maxCount: 1000);
        Assert.Equal(later, batch.Entries.Select(e => e.Hash));
        Assert.True(batch.UpToDate);
        Assert.Equal(again.Heads.Order(), batch.Cursor.Order());

        // A cursor cut mid-way still resumes exactly after the restart, in pieces.
        using var again2 = again.SubscribeFrom(cursor);
        var first = await again2.NextBatchAsync(TimeSpan.FromSeconds(5), maxCount: 3);
        var rest = await again2.NextBatchAsync(TimeSpan.FromSeconds(5), maxCount: 1000);
        Assert.Equal(later, first.Entries.Concat(rest.Entries).Select(e => e.Hash));
    }

    [Fact]
    public void Metadata_is_kept_replaced_and_removed()
    {
        using var dir = new TempFolder();
        using (var storage = new LiteDbEntryStore(dir.Path))
        {
            Assert.Null(storage.GetMetadata("peers"));
            storage.SetMetadata("peers", "[\"a\"]");
            storage.SetMetadata("trusted", "k1");
            storage.SetMetadata("peers", "[\"a\",\"b\"]");
            storage.SetMetadata("gone", "x");
            storage.SetMetadata("gone", null);
            Assert.Equal("[\"a\",\"b\"]", storage.GetMetadata("peers"));
            Assert.Null(storage.GetMetadata("gone"));
        }

        using (var storage = new LiteDbEntryStore(dir.Path))
        {
            Assert.Equal("[\"a\",\"b\"]", storage.GetMetadata("peers"));
            Assert.Equal("k1", storage.GetMetadata("trusted"));
            Assert.Null(storage.GetMetadata("gone"));
            Assert.Empty(storage.LoadEntries());
        }
    }

    [Fact]
    public void Journaled_writes_are_replayed_after_a_crash()
    {
        using var dir = new TempFolder();
        var storage = new LiteDbEntryStore(dir.Path);
        var store = GraphStore.Open(storage, TestStores.Ontology, "peer-a");
        for (var i = 0; i < 20; i++) store.AddNode($"n{i}", "person", $"N{i}", Person($"N{i}"));
        storage.SetMetadata("note", "before the crash");
        var heads = store.Heads;
        Assert.True(storage.JournalBytes > 32, "the journal holds the batches");
        storage.CloseWithoutFolding();

        var reopened = new LiteDbEntryStore(dir.Path);
        Assert.Equal(32, reopened.JournalBytes); // replayed into LiteDB, then forgotten
        Assert.Equal("before the crash", reopened.GetMetadata("note"));
        using var again = GraphStore.Open(reopened, TestStores.Ontology);
        Assert.Equal(heads, again.Heads);
        Assert.Equal(20, again.NodeCount);
    }

    [Fact]
    public void Entries_load_in_sequence_order_and_large_entries_round_trip()
    {
        using var dir = new TempFolder();
        var random = new Random(7);
        var entries = Enumerable.Range(0, 50).Select(i =>
        {
            var bytes = new byte[i == 17 ? 3_500_000 : random.Next(10, 400)];
            random.NextBytes(bytes);
            return new StoredEntry(i, Hash.Compute(bytes), bytes);
        }).ToList();

        using (var storage = new LiteDbEntryStore(dir.Path))
        {
            storage.Append(entries[..10]);
            storage.Append([entries[10]]);
            storage.Append(entries[11..]);
            AssertSame(entries, storage.LoadEntries());
        }

        using (var storage = new LiteDbEntryStore(dir.Path))
        {
            AssertSame(entries, storage.LoadEntries());
            storage.ReplaceAll(entries[30..]);
            AssertSame(entries[30..], storage.LoadEntries());
        }

        using (var storage = new LiteDbEntryStore(dir.Path))
        {
            AssertSame(entries[30..], storage.LoadEntries());
        }
    }

    [Fact]
    public void A_failed_ReplaceAll_leaves_the_old_log_whole()
    {
        using var dir = new TempFolder();
        var entries = Enumerable.Range(0, 20).Select(i => new StoredEntry(i, Hash.Compute([(byte)i]), new byte[] { (byte)i })).ToList();
        using (var storage = new LiteDbEntryStore(dir.Path))
        {
            storage.Append(entries);
            var replacement = new List<StoredEntry> { new(100, Hash.Compute([1, 2]), new byte[] { 1, 2 }), new(101, Hash.Compute([1, 2]), new byte[] { 1, 2 }) };
            Assert.Throws<CorruptStoreException>(() => storage.ReplaceAll(replacement)); // same hash twice: the insert fails mid-way
            AssertSame(entries, storage.LoadEntries());
            storage.Append([new StoredEntry(20, Hash.Compute([20]), new byte[] { 20 })]);
        }

        using var again = new LiteDbEntryStore(dir.Path);
        Assert.Equal(21, again.LoadEntries().Count);
    }

    [Fact]
    public void Compaction_is_persisted_and_Reclaim_shrinks_the_file()
    {
        using var dir = new TempFolder();
        using (var store = Open(dir.Path, DurabilityMode.Process))
        {
            for (var i = 0; i < 10; i++) store.AddNode($"n{i}", "person", $"N{i}", Person($"N{i}"));
            for (var i = 0; i < 3000; i++) store.UpdateProperty($"n{i % 10}", "age", (long)i);
        }

        var before = new FileInfo(dir.File("silk.db")).Length;
        var beforeAll = FolderBytes(dir.Path);
        Hash checkpoint;
        IReadOnlyList<NodeViewSnapshot> nodes;
        using (var store = Open(dir.Path, DurabilityMode.Process))
        {
            nodes = Snapshot(store);
            checkpoint = store.Compact();
            Assert.Equal(1, store.EntryCount);
        }

        var after = new FileInfo(dir.File("silk.db")).Length;
        Assert.True(after < before / 4, $"the file should shrink after compaction: {before} -> {after} bytes");
        Assert.True(FolderBytes(dir.Path) < beforeAll - (before - after) / 2, "and no backup copy is kept");
        Assert.Equal(["silk-log.db", "silk.db", "silk.journal"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        using var again = Open(dir.Path);
        Assert.Equal([checkpoint], again.Heads);
        Assert.Equal(nodes, Snapshot(again));
        Assert.Empty(again.VerifyIntegrity());
        again.AddNode("late", "person", "Late", Person("Late"));
    }

    [Fact]
    public void A_merge_is_persisted_and_reloaded()
    {
        using var dir = new TempFolder();
        using var remote = TestStores.Create("peer-b");
        IReadOnlyList<Hash> heads;
        using (var store = Open(dir.Path, id: "peer-a"))
        {
            remote.Merge(store.EntriesSince(null)); // share the genesis
            remote.AddNode("r1", "person", "R1", Person("R1"));
            remote.AddNode("r2", "person", "R2", Person("R2"));
            remote.AddEdge("re", "KNOWS", "r1", "r2");
            store.AddNode("l1", "person", "L1", Person("L1"));
            var result = store.Merge(remote.ComputePayload(store.GenerateOffer()));
            Assert.True(result.Inserted >= 3);
            heads = store.Heads;
        }

        using var again = Open(dir.Path);
        Assert.Equal(heads.Order(), again.Heads.Order());
        Assert.NotNull(again.GetNode("r2"));
        Assert.NotNull(again.GetEdge("re"));
        Assert.NotNull(again.GetNode("l1"));
        Assert.Empty(again.VerifyIntegrity());
    }

    [Theory]
    [InlineData(DurabilityMode.Fsync)]
    [InlineData(DurabilityMode.Process)]
    public async Task Concurrent_writers_all_acknowledged_writes_survive_reopen(DurabilityMode mode)
    {
        using var dir = new TempFolder();
        Hash[] hashes;
        using (var store = Open(dir.Path, mode))
        {
            var tasks = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
            {
                var mine = new List<Hash>();
                for (var i = 0; i < 40; i++) mine.Add(await store.AddNodeAsync($"w{w}-{i}", "person", "x", Person($"w{w}-{i}")));
                return mine;
            }));
            hashes = [.. (await Task.WhenAll(tasks)).SelectMany(h => h)];
        }

        using var again = Open(dir.Path, mode);
        Assert.All(hashes, h => Assert.NotNull(again.GetEntry(h)));
        Assert.Equal(16 * 40, again.NodeCount);
        Assert.Empty(again.VerifyIntegrity());
    }

    [Fact]
    public void A_second_opener_is_refused_with_a_clear_message()
    {
        using var dir = new TempFolder();
        using var store = Open(dir.Path);
        var ex = Assert.Throws<IOException>(() => new LiteDbEntryStore(dir.Path));
        Assert.Contains("in use", ex.Message);
        store.AddNode("still", "person", "Still", Person("Still")); // the first one is unharmed
    }

    [Fact]
    public void A_rebuild_interrupted_by_a_crash_is_repaired_on_open()
    {
        using var dir = new TempFolder();
        IReadOnlyList<Hash> heads;
        using (var store = Open(dir.Path))
        {
            for (var i = 0; i < 30; i++) store.AddNode($"n{i}", "person", $"N{i}", Person($"N{i}"));
            heads = store.Heads;
        }

        // Killed after LiteDB renamed silk.db and its log to -backup names, before the rebuilt copy was renamed in.
        File.Move(dir.File("silk.db"), dir.File("silk-backup.db"));
        File.Move(dir.File("silk-log.db"), dir.File("silk-log-backup.db"));
        File.WriteAllBytes(dir.File("silk-temp.db"), new byte[8192]);
        using (var store = Open(dir.Path))
        {
            Assert.Equal(heads, store.Heads);
        }

        // Killed after the copy was renamed in, before the backup was deleted.
        File.Copy(dir.File("silk.db"), dir.File("silk-backup.db"));
        using (var store = Open(dir.Path))
        {
            Assert.Equal(heads, store.Heads);
        }

        Assert.False(File.Exists(dir.File("silk-backup.db")));
        Assert.False(File.Exists(dir.File("silk-temp.db")));
    }

    private static long FolderBytes(string folder) => Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length);

    internal static void AssertSame(IReadOnlyList<StoredEntry> expected, IReadOnlyList<StoredEntry> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Sequence, actual[i].Sequence);
            Assert.Equal(expected[i].Hash, actual[i].Hash);
            Assert.True(expected[i].Bytes.Span.SequenceEqual(actual[i].Bytes.Span), $"bytes of entry {i}");
        }
    }

    internal sealed record NodeViewSnapshot(string Id, string Type, string Label, string Properties);

    internal static IReadOnlyList<NodeViewSnapshot> Snapshot(GraphStore store) =>
        [.. store.AllNodes().Select(n => new NodeViewSnapshot(n.NodeId, n.NodeType, n.Label, string.Join(",", n.Properties.Select(p => $"{p.Key}={p.Value}"))))];
}
