using System.Text;
using Xunit.Abstractions;
using Silk.Core.Persistence;
using Silk.Core.Store;
using Silk.Core.Wire;
using Silk.Storage;
using static Silk.Tests.Storage.LiteDbEntryStoreTests;

namespace Silk.Tests.Storage;

/// <summary>Damaged or mixed-up files give a clear CorruptStoreException, never a smaller graph.</summary>
public sealed class CorruptionTests(ITestOutputHelper output)
{
    private const string Needle = "needle-3f9a1c";

    /// <summary>A closed store with a few hundred entries, one of them holding <see cref="Needle"/>.</summary>
    private static (int Entries, IReadOnlyList<Hash> Heads) Fill(string folder, int nodes = 400)
    {
        using var store = Open(folder);
        for (var i = 0; i < nodes; i++)
        {
            var name = i == nodes / 2 ? Needle : $"person-{i:D5}-" + new string('x', 40);
            store.AddNode($"n{i}", "person", name, Person(name, i));
        }

        return (store.EntryCount, store.Heads);
    }

    /// <summary>Opening either fails with CorruptStoreException or yields the whole log; never less.</summary>
    private CorruptStoreException? OpenExpectingCorruptOrWhole(string folder, int entries, IReadOnlyList<Hash> heads)
    {
        try
        {
            using var store = Open(folder);
            Assert.Equal(entries, store.EntryCount);
            Assert.Equal(heads, store.Heads);
            output.WriteLine("opened whole");
            return null;
        }
        catch (CorruptStoreException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            output.WriteLine(ex.Message);
            return ex;
        }
    }

    [Fact]
    public void A_truncated_database_file_is_refused()
    {
        using var dir = new TempFolder();
        var (entries, heads) = Fill(dir.Path);
        var path = dir.File("silk.db");
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(file.Length / 2);
        }

        var ex = OpenExpectingCorruptOrWhole(dir.Path, entries, heads);
        Assert.NotNull(ex);
    }

    [Fact]
    public void An_emptied_database_file_is_refused_not_recreated()
    {
        using var dir = new TempFolder();
        Fill(dir.Path, nodes: 5);
        File.WriteAllBytes(dir.File("silk.db"), []);
        var ex = Assert.Throws<CorruptStoreException>(() => Open(dir.Path));
        Assert.Contains("silk.db", ex.Message);
    }

    [Fact]
    public void A_flipped_byte_inside_an_entry_is_refused()
    {
        using var dir = new TempFolder();
        var (entries, heads) = Fill(dir.Path);
        var path = dir.File("silk.db");
        var bytes = File.ReadAllBytes(path);
        var at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Needle));
        Assert.True(at > 0, "the needle is stored verbatim in the entry's wire bytes");
        bytes[at + 3] ^= 0x20;
        File.WriteAllBytes(path, bytes);

        var ex = OpenExpectingCorruptOrWhole(dir.Path, entries, heads);
        Assert.NotNull(ex);
        Assert.Contains("hash", ex.Message);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.7)]
    [InlineData(0.9)]
    public void Bytes_flipped_in_the_middle_of_the_file_never_yield_a_smaller_graph(double where)
    {
        using var dir = new TempFolder();
        var (entries, heads) = Fill(dir.Path);
        var path = dir.File("silk.db");
        var bytes = File.ReadAllBytes(path);
        var at = (int)(bytes.Length * where);
        for (var i = 0; i < 256; i++) bytes[at + i] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        OpenExpectingCorruptOrWhole(dir.Path, entries, heads);
    }

    [Fact]
    public void A_foreign_LiteDB_log_is_refused_before_LiteDB_replays_it()
    {
        using var dir = new TempFolder();
        using var other = new TempFolder();
        var (entries, heads) = Fill(dir.Path, nodes: 20);
        Fill(other.Path, nodes: 30);
        var original = File.ReadAllBytes(dir.File("silk.db"));

        // Another store's log (stamped with its id) ...
        using (var store = new LiteDbEntryStore(other.Path))
        {
            store.CloseWithoutFolding();
        }

        File.Copy(other.File("silk-log.db"), dir.File("silk-log.db"), overwrite: true);
        var ex = Assert.Throws<CorruptStoreException>(() => Open(dir.Path));
        Assert.Contains("silk-log.db", ex.Message);
        Assert.Contains("another store", ex.Message);

        // ... or a plain LiteDB log without our header, or garbage.
        var plain = new byte[8192 * 3];
        new Random(3).NextBytes(plain);
        File.WriteAllBytes(dir.File("silk-log.db"), plain);
        ex = Assert.Throws<CorruptStoreException>(() => Open(dir.Path));
        Assert.Contains("foreign", ex.Message);

        Assert.Equal(original, File.ReadAllBytes(dir.File("silk.db"))); // untouched
        File.Delete(dir.File("silk-log.db"));
        using var again = Open(dir.Path);
        Assert.Equal(entries, again.EntryCount);
        Assert.Equal(heads, again.Heads);
    }

    [Fact]
    public void A_foreign_journal_is_refused()
    {
        using var dir = new TempFolder();
        using var other = new TempFolder();
        Fill(dir.Path, nodes: 5);
        Fill(other.Path, nodes: 5);
        File.Copy(other.File("silk.journal"), dir.File("silk.journal"), overwrite: true);
        var ex = Assert.Throws<CorruptStoreException>(() => Open(dir.Path));
        Assert.Contains("another store", ex.Message);

        File.WriteAllBytes(dir.File("silk.journal"), Encoding.ASCII.GetBytes("not a journal at all, but long enough to have a header"));
        ex = Assert.Throws<CorruptStoreException>(() => Open(dir.Path));
        Assert.Contains("not a Silk journal", ex.Message);
    }

    [Fact]
    public void A_damaged_journal_record_followed_by_intact_ones_is_refused()
    {
        using var dir = new TempFolder();
        var storage = new LiteDbEntryStore(dir.Path);
        var store = GraphStore.Open(storage, Silk.Tests.Store.TestStores.Ontology);
        for (var i = 0; i < 10; i++) store.AddNode($"n{i}", "person", $"N{i}", Person($"N{i}"));
        storage.CloseWithoutFolding();

        var path = dir.File("silk.journal");
        var bytes = File.ReadAllBytes(path);
        bytes[32 + 40] ^= 0xFF; // inside the first record
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<CorruptStoreException>(() => Open(dir.Path));
        Assert.Contains("silk.journal", ex.Message);
        Assert.Contains("intact record follows", ex.Message);
    }

    [Fact]
    public void A_torn_last_journal_record_is_dropped_and_the_rest_replayed()
    {
        using var dir = new TempFolder();
        var storage = new LiteDbEntryStore(dir.Path);
        var entries = Enumerable.Range(0, 5).Select(i => new StoredEntry(i, Hash.Compute([(byte)i]), new byte[] { (byte)i, 1, 2, 3 })).ToList();
        storage.Append(entries[..4]);
        storage.Append(entries[4..]);
        storage.CloseWithoutFolding();

        // Simulate the last append torn by a crash (it was never acknowledged): its last bytes never
        // reached the file (the file is preallocated with zeros). LiteDB may hold it already; either
        // way nothing acknowledged is lost and the store opens.
        var path = dir.File("silk.journal");
        var bytes = File.ReadAllBytes(path);
        var last = bytes.AsSpan().LastIndexOfAnyExcept((byte)0);
        bytes.AsSpan(last - 2, 3).Clear();
        File.WriteAllBytes(path, bytes);

        using var again = new LiteDbEntryStore(dir.Path);
        var loaded = again.LoadEntries();
        Assert.True(loaded.Count >= 4);
        AssertSame(entries[..loaded.Count], loaded);
    }
}
