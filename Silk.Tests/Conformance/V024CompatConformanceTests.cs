using Silk.Core.Entries;
using Silk.Core.Wire;
using static Silk.Tests.Conformance.Vectors;

namespace Silk.Tests.Conformance;

/// <summary>v024_compat.json: reading and writing the 8-field entries of silk-graph 0.2.4.</summary>
public sealed class V024CompatConformanceTests
{
    private const string File = "v024_compat.json";

    public static TheoryData<string> Results => Names(File, "results");

    [Theory]
    [MemberData(nameof(Results))]
    public void Legacy8_form(string name)
    {
        var r = ByName(File, ["results"], name);
        var current = ByName("entries.json", ["entries"], name);
        if (!Prop(r, "v024_decodes_v041_bytes").GetBoolean())
        {
            // 0.2.4 cannot read 0.4.1's 4-field extension; there is no 8-field form to compare. We still
            // write the 0.4.1 form for it.
            Assert.Equal(ExtendOntology.OpTag, Entry.Decode(HexOf(current, "entry_msgpack_hex")).Payload.Tag);
            return;
        }

        Assert.True(Prop(r, "v024_verify_hash").GetBoolean());
        var legacyHex = Str(r, "v024_entry_msgpack_hex");
        var entry = Entry.Decode(Hex(legacyHex));
        Assert.Equal(Str(r, "v024_recomputed_hash"), entry.Hash.ToHex());
        Assert.Equal(Str(current, "hash"), entry.Hash.ToHex());
        Assert.True(entry.VerifyHash());
        Assert.Equal(legacyHex, ToHex(entry.ToBytes(EntryForm.Legacy8)));
        Assert.Equal(Str(current, "entry_msgpack_hex"), ToHex(entry.ToBytes(EntryForm.Current)));
        Assert.Equal(entry.ToBytes(EntryForm.Legacy8).Length, entry.EncodedLength(EntryForm.Legacy8));

        // And a freshly created entry writes the same legacy bytes.
        Assert.Equal(legacyHex, ToHex(ToEntry(current).ToBytes(EntryForm.Legacy8)));
    }

    /// <summary>
    /// An extend_ontology entry built by 0.2.4 carries its 3-field extension. The original 0.4.1 decodes it
    /// but re-encodes the extension with 4 fields, so its verify_hash fails (vector: v041_verify_hash=false).
    /// Our decision D1 is deliberately better: the hash is verified over the signable bytes as received, so
    /// the entry verifies, keeps its 0.2.4 hash, and keeps it when we forward it.
    /// </summary>
    [Fact]
    public void Native_v024_extend_ontology_verifies_over_the_bytes_as_received()
    {
        var n = Get(File, "native_v024_extend_ontology");
        Assert.True(Prop(Prop(n, "read_by_v041"), "v041_decodes").GetBoolean());
        Assert.False(Prop(Prop(n, "read_by_v041"), "v041_verify_hash").GetBoolean());

        var legacyHex = Str(n, "v024_entry_msgpack_hex");
        var entry = Entry.Decode(Hex(legacyHex));
        Assert.IsType<ExtendOntology>(entry.Payload);
        Assert.Equal(Str(n, "v024_hash"), entry.Hash.ToHex());
        Assert.True(entry.VerifyHash());
        Assert.NotEqual(Str(n, "v041_hash"), entry.Hash.ToHex());

        // Written back in the 8-field form: byte-identical.
        Assert.Equal(legacyHex, ToHex(entry.ToBytes(EntryForm.Legacy8)));

        // Written in the current 7-field form: the original signable bytes (3-field extension) are kept, so the
        // entry still verifies with the same hash when read again.
        var current = entry.ToBytes(EntryForm.Current);
        Assert.Equal(0x97, current[0]);
        Assert.Equal(legacyHex[2..^2], ToHex(current)[2..]);
        var again = Entry.Decode(current);
        Assert.True(again.VerifyHash());
        Assert.Equal(Str(n, "v024_hash"), again.Hash.ToHex());
        Assert.Equal(ToHex(entry.SignableBytes), ToHex(again.SignableBytes));

        // Re-encoding the payload alone (not the kept bytes) gives the 4-field form, whose hash is 0.4.1's.
        var rebuilt = Entry.Create(entry.Payload, entry.Next, entry.Clock, entry.Author);
        Assert.Equal(Str(n, "v041_hash"), rebuilt.Hash.ToHex());
    }
}
