using Silk.Core.Signing;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Tests.Store;

public class GraphStoreSigningTests
{
    private static ValueMap Name(string name) => ValueMap.Of(("name", name));

    [Fact]
    public void Local_entries_are_signed_once_a_key_is_set()
    {
        using var store = TestStores.Create();
        var unsigned = store.AddNode("a", "person", "A", Name("a"));
        var publicKey = store.GenerateSigningKey();
        var signedHash = store.AddNode("b", "person", "B", Name("b"));
        Assert.Null(store.GetEntry(unsigned)!.Signature);
        var signedEntry = store.GetEntry(signedHash)!;
        Assert.Equal(64, signedEntry.Signature!.Length);

        var authors = new TrustedAuthors();
        authors.Register("peer-a", publicKey);
        Assert.True(authors.TryGet("peer-a", out var key));
        Assert.True(SignaturePolicy.Verify(signedEntry, key));
        Assert.Equal(publicKey, store.PublicKeyHex);
    }

    [Fact]
    public void Strict_mode_drops_unsigned_and_untrusted_entries_and_says_why()
    {
        using var writer = TestStores.Create("peer-w");
        using var reader = Silk.Core.Store.GraphStore.FromSnapshot("peer-r", writer.ExportSnapshot());
        reader.RequireSignatures = true;
        writer.AddNode("unsigned", "person", "U", Name("u"));
        writer.GenerateSigningKey();
        writer.AddNode("signed", "person", "S", Name("s"));

        // The unsigned entry is dropped; the signed one's author is not trusted yet, so it is dropped too.
        var result = reader.Merge(writer.EntriesSince(null), holdUnresolved: true);
        Assert.Equal(2, result.Dropped.Count);
        Assert.Contains(result.Dropped, d => d.Reason.Contains("unsigned", StringComparison.Ordinal));
        Assert.Contains(result.Dropped, d => d.Reason.Contains("not a trusted author", StringComparison.Ordinal));
        Assert.Null(reader.GetNode("unsigned"));
        Assert.Null(reader.GetNode("signed"));
    }

    [Fact]
    public void A_bad_signature_from_a_trusted_author_is_dropped_even_in_default_mode()
    {
        using var writer = TestStores.Create("peer-w");
        using var reader = Silk.Core.Store.GraphStore.FromSnapshot("peer-r", writer.ExportSnapshot());
        var publicKey = writer.GenerateSigningKey();
        reader.RegisterTrustedAuthor("peer-w", publicKey);
        writer.AddNode("a", "person", "A", Name("a"));
        var entry = writer.EntriesSince(null)[^1];
        var forged = entry.WithSignature(new byte[64]);
        var result = reader.Merge([forged], holdUnresolved: true);
        Assert.Single(result.Dropped);
        Assert.Equal(0, result.Inserted);
        Assert.Equal(1, reader.Merge([entry]).Inserted);
        Assert.NotNull(reader.GetNode("a"));
    }
}
