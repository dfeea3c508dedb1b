using Silk.Core.Entries;
using Silk.Core.Persistence;
using Silk.Core.Store;
using Silk.Core.Wire;
using Silk.Storage;
using Silk.Tests.Store;
using static Silk.Tests.Storage.LiteDbEntryStoreTests;

namespace Silk.Tests.Storage;

/// <summary>
/// The entry image (silk.image) is derived data that makes reopening read one file: it is used only when a clean close
/// sealed it and nothing changed since; in every other case the store reads LiteDB, whole, and writes the image anew.
/// </summary>
public sealed class EntryImageTests
{
    /// <summary>What a store holds, as comparable text: entries, heads, live nodes and edges, quarantine.</summary>
    private sealed record State(int Entries, string Heads, string Nodes, string Edges, string Quarantined);

    private static State StateOf(GraphStore store) => new(
        store.EntryCount,
        string.Join(",", store.Heads.Select(h => h.ToHex())),
        string.Join(";", store.AllNodes().OrderBy(n => n.NodeId, StringComparer.Ordinal).Select(n => $"{n.NodeId}:{n.NodeType}:{n.Label}:{string.Join(",", n.Properties.Select(p => $"{p.Key}={p.Value}"))}")),
        string.Join(";", store.AllEdges().OrderBy(e => e.EdgeId, StringComparer.Ordinal).Select(e => $"{e.EdgeId}:{e.SourceId}>{e.TargetId}")),
        string.Join(",", store.Quarantined().Select(q => q.Hash.ToHex()).Order(StringComparer.Ordinal)));

    /// <summary>Opens the folder, tells whether the entries came from the image, returns the state and closes cleanly.</summary>
    private static (bool FromImage, State State) Reopen(string folder, Action<GraphStore>? then = null)
    {
        var storage = new LiteDbEntryStore(folder);
        using var store = GraphStore.Open(storage, TestStores.Ontology);
        Assert.Empty(store.VerifyIntegrity());
        var fromImage = storage.LoadedFromImage;
        then?.Invoke(store);
        return (fromImage, StateOf(store));
    }

    private static State Fill(string folder, int nodes, string prefix = "n")
    {
        using var store = Open(folder);
        for (var i = 0; i < nodes; i++)
        {
            store.AddNode($"{prefix}{i}", "person", $"P{i}", Person($"P{i}", i));
            if (i % 5 == 4) store.AddEdge($"{prefix}e{i}", "KNOWS", $"{prefix}{i}", $"{prefix}{i - 1}");
            if (i % 7 == 6) store.UpdateProperty($"{prefix}{i - 3}", "age", (long)(100 + i));
        }

        store.RemoveNode($"{prefix}3");
        // A peer's update that this schema refuses: merged, and quarantined.
        var refused = Entry.Create(new UpdateProperty($"{prefix}2", "age", Value.FromInt(-1)), store.Heads, new Silk.Core.Clock.ClockStamp("peer", store.Clock.PhysicalMs, 0), "peer");
        store.Merge([refused]);
        Assert.NotEmpty(store.Quarantined());
        return StateOf(store);
    }

    [Fact]
    public void A_clean_close_seals_the_image_and_the_next_open_loads_the_same_store_from_it()
    {
        using var dir = new TempFolder();
        var written = Fill(dir.Path, 300);
        Assert.True(File.Exists(dir.File(EntryImage.FileName)));

        var (fromImage, reopened) = Reopen(dir.Path);
        Assert.True(fromImage);
        Assert.Equal(written, reopened);

        // Writes after an open from the image extend it; the next clean open uses it again, with them.
        var (_, extended) = Reopen(dir.Path, store => store.AddNode("late", "person", "Late", Person("Late")));
        var (againFromImage, again) = Reopen(dir.Path);
        Assert.True(againFromImage);
        Assert.Equal(extended, again);
        Assert.Equal(written.Entries + 1, again.Entries);
    }

    [Fact]
    public void A_store_that_was_not_closed_cleanly_is_read_from_LiteDB_and_its_image_written_anew()
    {
        using var dir = new TempFolder();
        var written = Fill(dir.Path, 200);
        State crashed;
        using (var store = Open(dir.Path))
        {
            store.AddNode("after", "person", "After", Person("After"));
            crashed = StateOf(store);
        }

        // Reopen, write, and leave the files as a kill -9 does: journal unfolded, image not sealed.
        var storage = new LiteDbEntryStore(dir.Path);
        var open = GraphStore.Open(storage, TestStores.Ontology);
        Assert.True(storage.LoadedFromImage);
        open.AddNode("lost-seal", "person", "x", Person("x"));
        var beforeKill = StateOf(open);
        storage.CloseWithoutFolding();
        open.Dispose();

        var (fromImage, reopened) = Reopen(dir.Path);
        Assert.False(fromImage);
        Assert.Equal(beforeKill, reopened);
        Assert.Equal(crashed.Entries + 1, reopened.Entries);
        Assert.True(written.Entries < reopened.Entries);

        var (sealedAgain, again) = Reopen(dir.Path);
        Assert.True(sealedAgain);
        Assert.Equal(beforeKill, again);
    }

    [Theory]
    [InlineData(0.0)] // the header: magic, store id, seal
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(0.999)]
    public void A_damaged_image_is_not_used(double where)
    {
        using var dir = new TempFolder();
        var written = Fill(dir.Path, 300);
        var path = dir.File(EntryImage.FileName);
        var bytes = File.ReadAllBytes(path);
        var at = Math.Min(bytes.Length - 1, (int)(bytes.Length * where) + (where == 0 ? 40 : 0));
        bytes[at] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var (fromImage, reopened) = Reopen(dir.Path);
        Assert.False(fromImage);
        Assert.Equal(written, reopened);
        Assert.True(Reopen(dir.Path).FromImage, "the image was written anew and sealed");
    }

    [Fact]
    public void A_missing_truncated_or_foreign_image_is_not_used()
    {
        using var dir = new TempFolder();
        using var other = new TempFolder();
        var written = Fill(dir.Path, 120);
        Fill(other.Path, 120); // the same writes, another store

        File.Delete(dir.File(EntryImage.FileName));
        Assert.Equal((false, written), Reopen(dir.Path));

        using (var file = new FileStream(dir.File(EntryImage.FileName), FileMode.Open)) file.SetLength(file.Length - 100);
        Assert.Equal((false, written), Reopen(dir.Path));

        File.Copy(other.File(EntryImage.FileName), dir.File(EntryImage.FileName), overwrite: true);
        Assert.Equal((false, written), Reopen(dir.Path));
        Assert.Equal((true, written), Reopen(dir.Path));
    }

    [Fact]
    public void An_image_never_adds_entries_the_database_does_not_hold()
    {
        using var dir = new TempFolder();
        using var copy = new TempFolder();
        var earlier = Fill(dir.Path, 100);
        foreach (var name in new[] { LiteDbEntryStore.FileName, "silk-log.db", "silk.journal" }) File.Copy(dir.File(name), copy.File(name));

        // More writes, sealed into a newer image; then that image next to the older database.
        Fill(dir.Path, 50, prefix: "m");
        File.Copy(dir.File(EntryImage.FileName), copy.File(EntryImage.FileName));
        var (fromImage, reopened) = Reopen(copy.Path);
        Assert.False(fromImage);
        Assert.Equal(earlier, reopened);

        // And an older sealed image next to the database it was sealed with, which has changed since.
        var sealedImage = File.ReadAllBytes(dir.File(EntryImage.FileName));
        var (_, newest) = Reopen(dir.Path, store => store.AddNode("newest", "person", "N", Person("N")));
        File.WriteAllBytes(dir.File(EntryImage.FileName), sealedImage);
        var (staleFromImage, again) = Reopen(dir.Path);
        Assert.False(staleFromImage);
        Assert.Equal(newest, again);
    }

    [Fact]
    public void Compaction_writes_the_image_anew_and_the_compacted_store_reopens_from_it()
    {
        using var dir = new TempFolder();
        Fill(dir.Path, 150);
        Hash checkpoint = default;
        var (_, compacted) = Reopen(dir.Path, store =>
        {
            checkpoint = store.Compact(safe: false);
            store.AddNode("after-compaction", "person", "A", Person("A"));
        });
        var (fromImage, reopened) = Reopen(dir.Path);
        Assert.True(fromImage);
        Assert.Equal(compacted, reopened);
        using var store = Open(dir.Path);
        Assert.IsType<Checkpoint>(store.EntriesSince(null)[0].Payload);
        Assert.Equal(checkpoint, store.EntriesSince(null)[0].Hash);
    }

    [Fact]
    public void Entries_are_decoded_on_every_core_but_the_first_bad_one_in_sequence_order_is_reported()
    {
        using var dir = new TempFolder();
        Hash first;
        using (var store = Open(dir.Path))
        {
            first = default;
            for (var i = 0; i < 6000; i++)
            {
                var name = i switch { 300 => "first-bad-3c1e", 5500 => "second-bad-9a7f", _ => $"P{i}" };
                var hash = store.AddNode($"n{i}", "person", name, Person(name));
                if (i == 300) first = hash;
            }
        }

        // Both damaged in LiteDB, the image gone: far apart, so different workers decode them.
        File.Delete(dir.File(EntryImage.FileName));
        var path = dir.File(LiteDbEntryStore.FileName);
        var bytes = File.ReadAllBytes(path);
        foreach (var needle in new[] { "first-bad-3c1e", "second-bad-9a7f" })
        {
            var at = bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(needle));
            Assert.True(at > 0, needle);
            bytes[at + 2] ^= 0x01;
        }

        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<CorruptStoreException>(() => Open(dir.Path));
        Assert.Contains(first.ToHex(), ex.Message);
        Assert.Contains("does not match its hash", ex.Message);
    }
}
