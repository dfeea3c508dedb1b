using Silk.Core.Entries;
using Silk.Core.Signing;
using Silk.Core.Wire;
using static Silk.Tests.Signing.SigningFixtures;

namespace Silk.Tests.Signing;

/// <summary>SPEC §8's merge filter, one test per row of strict/default × kind of entry.</summary>
public sealed class SignaturePolicyTests
{
    private const string Registered = "peer-a";
    private const string Unknown = "peer-u";

    private static readonly SigningKey RegisteredKey = SigningKey.FromSeedHex(Test1Seed);
    private static readonly SigningKey OtherKey = SigningKey.FromSeedHex(Test2Seed);

    private static SignaturePolicy Policy(bool strict)
    {
        var policy = new SignaturePolicy { RequireSignatures = strict };
        policy.Authors.Register(Registered, RegisteredKey.PublicKeyHex);
        return policy;
    }

    private static byte[] Tampered(byte[] signature, int index)
    {
        var copy = (byte[])signature.Clone();
        copy[index] ^= 0x01;
        return copy;
    }

    private static Entry Row(string row) => row switch
    {
        "exempt-unsigned" => Genesis(Unknown),
        "exempt-bad-signature" => Genesis(Registered).WithSignature(new byte[64]),
        "exempt-wrong-length" => Genesis(Registered).WithSignature(new byte[3]),
        "unsigned" => Node(Registered),
        "unsigned-unknown" => Node(Unknown),
        "unknown-good" => OtherKey.SignEntry(Node(Unknown)),
        "unknown-garbage" => Node(Unknown).WithSignature(new byte[64]),
        "unknown-wrong-length" => Node(Unknown).WithSignature(new byte[63]),
        "registered-good" => RegisteredKey.SignEntry(Node(Registered)),
        "registered-good-remove" => RegisteredKey.SignEntry(Remove(Registered)),
        "registered-other-key" => OtherKey.SignEntry(Node(Registered)),
        "registered-tampered-r" => Node(Registered).WithSignature(Tampered(RegisteredKey.Sign(Node(Registered).Hash), 0)),
        "registered-tampered-s" => Node(Registered).WithSignature(Tampered(RegisteredKey.Sign(Node(Registered).Hash), 40)),
        "registered-signature-of-other-entry" => Node(Registered).WithSignature(RegisteredKey.Sign(Remove(Registered).Hash)),
        "registered-zero-signature" => Node(Registered).WithSignature(new byte[64]),
        "registered-empty-signature" => Node(Registered).WithSignature([]),
        "registered-63" => Node(Registered).WithSignature(RegisteredKey.Sign(Node(Registered).Hash)[..63]),
        "registered-65" => Node(Registered).WithSignature([.. RegisteredKey.Sign(Node(Registered).Hash), 0]),
        _ => throw new ArgumentOutOfRangeException(nameof(row), row, null),
    };

    public static TheoryData<bool, string, SignatureVerdict> Table => new()
    {
        // define_ontology is exempt whatever it carries.
        { true, "exempt-unsigned", SignatureVerdict.Accepted },
        { false, "exempt-unsigned", SignatureVerdict.Accepted },
        { true, "exempt-bad-signature", SignatureVerdict.Accepted },
        { false, "exempt-bad-signature", SignatureVerdict.Accepted },
        { true, "exempt-wrong-length", SignatureVerdict.Accepted },
        { false, "exempt-wrong-length", SignatureVerdict.Accepted },

        // Unsigned.
        { true, "unsigned", SignatureVerdict.Unsigned },
        { false, "unsigned", SignatureVerdict.Accepted },
        { true, "unsigned-unknown", SignatureVerdict.Unsigned },
        { false, "unsigned-unknown", SignatureVerdict.Accepted },

        // Signed by an author not in the registry: strict drops, default keeps silently (even garbage).
        { true, "unknown-good", SignatureVerdict.UnknownAuthor },
        { false, "unknown-good", SignatureVerdict.Accepted },
        { true, "unknown-garbage", SignatureVerdict.UnknownAuthor },
        { false, "unknown-garbage", SignatureVerdict.Accepted },
        { true, "unknown-wrong-length", SignatureVerdict.UnknownAuthor },
        { false, "unknown-wrong-length", SignatureVerdict.Accepted },

        // Registered author, good signature.
        { true, "registered-good", SignatureVerdict.Accepted },
        { false, "registered-good", SignatureVerdict.Accepted },
        { true, "registered-good-remove", SignatureVerdict.Accepted },
        { false, "registered-good-remove", SignatureVerdict.Accepted },

        // Registered author, bad signature: dropped in both modes.
        { true, "registered-other-key", SignatureVerdict.BadSignature },
        { false, "registered-other-key", SignatureVerdict.BadSignature },
        { true, "registered-tampered-r", SignatureVerdict.BadSignature },
        { false, "registered-tampered-r", SignatureVerdict.BadSignature },
        { true, "registered-tampered-s", SignatureVerdict.BadSignature },
        { false, "registered-tampered-s", SignatureVerdict.BadSignature },
        { true, "registered-signature-of-other-entry", SignatureVerdict.BadSignature },
        { false, "registered-signature-of-other-entry", SignatureVerdict.BadSignature },
        { true, "registered-zero-signature", SignatureVerdict.BadSignature },
        { false, "registered-zero-signature", SignatureVerdict.BadSignature },

        // Registered author, signature of the wrong length: invalid, dropped in both modes.
        { true, "registered-empty-signature", SignatureVerdict.BadSignature },
        { false, "registered-empty-signature", SignatureVerdict.BadSignature },
        { true, "registered-63", SignatureVerdict.BadSignature },
        { false, "registered-63", SignatureVerdict.BadSignature },
        { true, "registered-65", SignatureVerdict.BadSignature },
        { false, "registered-65", SignatureVerdict.BadSignature },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Policy_table(bool strict, string row, SignatureVerdict expected)
    {
        var decision = Policy(strict).Check(Row(row));
        Assert.Equal(expected, decision.Reason);
        Assert.Equal(expected == SignatureVerdict.Accepted, decision.Keep);
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Policy_table_holds_after_the_entry_crosses_the_wire(bool strict, string row, SignatureVerdict expected)
    {
        var entry = Entry.Decode(Row(row).ToBytes());
        Assert.Equal(expected, Policy(strict).Check(entry).Reason);
    }

    [Fact]
    public void Default_policy_is_lenient_and_switching_to_strict_takes_effect()
    {
        var policy = new SignaturePolicy();
        Assert.False(policy.RequireSignatures);
        Assert.Equal(0, policy.Authors.Count);
        var unsigned = Node(Registered);
        Assert.True(policy.Check(unsigned).Keep);
        policy.RequireSignatures = true;
        Assert.Equal(SignatureDecision.Drop(SignatureVerdict.Unsigned), policy.Check(unsigned));
        policy.RequireSignatures = false;
        Assert.Equal(SignatureDecision.Accept, policy.Check(unsigned));
    }

    [Fact]
    public void Unregistering_an_author_turns_its_entries_into_unknown_author()
    {
        var policy = Policy(strict: true);
        var good = RegisteredKey.SignEntry(Node(Registered));
        Assert.True(policy.Check(good).Keep);
        policy.Authors.Unregister(Registered);
        Assert.Equal(SignatureVerdict.UnknownAuthor, policy.Check(good).Reason);
    }

    [Fact]
    public void A_policy_can_share_a_registry()
    {
        var authors = new TrustedAuthors();
        var policy = new SignaturePolicy(authors) { RequireSignatures = true };
        Assert.Same(authors, policy.Authors);
        authors.Register(Registered, RegisteredKey.PublicKeyHex);
        Assert.True(policy.Check(RegisteredKey.SignEntry(Node(Registered))).Keep);
    }

    [Fact]
    public void Garbage_signatures_never_throw()
    {
        var policy = Policy(strict: true);
        var entry = Node(Registered);
        var random = new Random(8032);
        var lengths = new[] { 0, 1, 31, 32, 63, 64, 64, 64, 65, 128, 1000 };
        for (var i = 0; i < 500; i++)
        {
            var signature = new byte[lengths[i % lengths.Length]];
            random.NextBytes(signature);
            if (i % 11 == 0) Array.Fill(signature, (byte)0xff);
            Assert.Equal(SignatureVerdict.BadSignature, policy.Check(entry.WithSignature(signature)).Reason);
        }
    }

    [Fact]
    public void Verify_checks_the_signature_against_the_entry_hash()
    {
        var signed = RegisteredKey.SignEntry(Node(Registered));
        Assert.True(SignaturePolicy.Verify(signed, RegisteredKey.PublicKey));
        Assert.False(SignaturePolicy.Verify(signed, OtherKey.PublicKey));
        Assert.False(SignaturePolicy.Verify(Node(Registered), RegisteredKey.PublicKey));
    }

    [Fact]
    public void Reasons_give_one_sentence_per_verdict()
    {
        var entry = Node(Registered);
        var hex = entry.Hash.ToHex();
        Assert.Equal($"entry {hex} accepted", SignatureReasons.Describe(SignatureVerdict.Accepted, entry));
        Assert.Equal(
            $"entry {hex} dropped: unsigned entry while signatures are required",
            SignatureReasons.Describe(SignatureVerdict.Unsigned, entry));
        Assert.Equal(
            $"entry {hex} dropped: author 'peer-a' is not a trusted author while signatures are required",
            SignatureReasons.Describe(SignatureVerdict.UnknownAuthor, entry));
        Assert.Equal(
            $"entry {hex} dropped: signature verification failed for author 'peer-a'",
            SignatureReasons.Describe(SignatureDecision.Drop(SignatureVerdict.BadSignature), entry));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignatureReasons.Describe((SignatureVerdict)42, entry.Hash, "x"));
        Assert.All(Enum.GetValues<SignatureVerdict>(), v => Assert.StartsWith($"entry {hex} ", SignatureReasons.Describe(v, entry), StringComparison.Ordinal));
    }

    [Fact]
    public void Checks_run_concurrently_with_registry_changes()
    {
        var policy = Policy(strict: false);
        var good = RegisteredKey.SignEntry(Node(Registered));
        var bad = OtherKey.SignEntry(Node(Registered));
        Parallel.For(0, 200, i =>
        {
            if (i % 10 == 0) policy.Authors.Register(Unknown + i, OtherKey.PublicKeyHex);
            Assert.True(policy.Check(good).Keep);
            Assert.False(policy.Check(bad).Keep);
        });
    }

    [Fact]
    public void Hash_is_what_is_signed_not_the_signable_bytes()
    {
        var entry = Node(Registered);
        var signed = RegisteredKey.SignEntry(entry);
        Assert.Equal(RegisteredKey.Sign(entry.Hash), signed.Signature);
        Assert.NotEqual(RegisteredKey.SignBytes(entry.SignableBytes), signed.Signature);
        Assert.Equal(RegisteredKey.SignBytes(entry.Hash.ToArray()), signed.Signature);
        Assert.Equal(Hash.Compute(entry.SignableBytes), signed.Hash);
    }
}
