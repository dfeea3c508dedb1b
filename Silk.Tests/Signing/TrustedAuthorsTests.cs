using NSec.Cryptography;
using Silk.Core.Signing;
using static Silk.Tests.Signing.SigningFixtures;

namespace Silk.Tests.Signing;

public sealed class TrustedAuthorsTests
{
    // y = 2 (little-endian, sign bit clear): (y² − 1)/(d·y² + 1) is not a square mod p, so no x exists.
    private const string OffCurveY2 = "0200000000000000000000000000000000000000000000000000000000000000";

    // The identity point (0, 1): on the curve, but of order 1.
    private const string Identity = "0100000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public void Register_then_get_list_and_unregister()
    {
        var authors = new TrustedAuthors();
        authors.Register("peer-b", Test2Public);
        authors.Register("peer-a", Test1Public.ToUpperInvariant());

        Assert.Equal(2, authors.Count);
        Assert.True(authors.TryGet("peer-a", out var a));
        Assert.Equal(Test1Public, ToHex(a.Export(KeyBlobFormat.RawPublicKey)));
        Assert.False(authors.TryGet("peer-c", out var missing));
        Assert.Null(missing);

        var snapshot = authors.Snapshot();
        Assert.Equal(["peer-a", "peer-b"], snapshot.Keys);
        Assert.Equal(Test1Public, snapshot["peer-a"]);
        Assert.Equal(Test2Public, snapshot["peer-b"]);

        Assert.True(authors.Unregister("peer-a"));
        Assert.False(authors.Unregister("peer-a"));
        Assert.False(authors.TryGet("peer-a", out _));
        Assert.Equal(2, snapshot.Count);
        Assert.Single(authors.Snapshot());
    }

    [Fact]
    public void Registering_again_replaces_the_key()
    {
        var authors = new TrustedAuthors();
        authors.Register("peer-a", Test1Public);
        authors.Register("peer-a", Test2Public);
        Assert.Equal(Test2Public, authors.Snapshot()["peer-a"]);
    }

    public static TheoryData<string, string> BadKeys => new()
    {
        { "", "public key must be 32 bytes, got 0" },
        { Test1Public[..62], "public key must be 32 bytes, got 31" },
        { Test1Public + "00", "public key must be 32 bytes, got 33" },
        { Test1Public[..63], "invalid hex: odd number of digits" },
        { Test1Public[..20] + "g" + Test1Public[21..], "invalid hex: invalid character 'g' at position 20" },
        { OffCurveY2, "invalid ed25519 public key" },
        { "0700000000000000000000000000000000000000000000000000000000000000", "invalid ed25519 public key" },
        { "0200000000000000000000000000000000000000000000000000000000000080", "invalid ed25519 public key" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void Invalid_public_keys_are_refused_with_a_clear_message(string hex, string message)
    {
        var authors = new TrustedAuthors();
        var e = Assert.Throws<ArgumentException>(() => authors.Register("peer-x", hex));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.Equal("publicKeyHex", e.ParamName);
        Assert.Equal(0, authors.Count);
    }

    [Fact]
    public void NSec_alone_would_import_an_off_curve_key_so_we_check_the_point_ourselves()
    {
        // NSec's raw public-key import only checks the length; libsodium notices the bad point only
        // when verifying. Register must refuse it up front, as the original's VerifyingKey::from_bytes does.
        Assert.True(PublicKey.TryImport(SignatureAlgorithm.Ed25519, Hex(OffCurveY2), KeyBlobFormat.RawPublicKey, out _));
        Assert.Throws<ArgumentException>(() => new TrustedAuthors().Register("peer-x", OffCurveY2));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    [InlineData(6, true)]
    [InlineData(7, false)]
    [InlineData(8, false)]
    [InlineData(9, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void Curve_check_matches_an_independent_computation_for_small_y(byte y, bool onCurve)
    {
        // Expected values computed separately (Python big integers, Euler's criterion on (y²−1)/(d·y²+1)).
        var bytes = new byte[32];
        bytes[0] = y;
        Assert.Equal(onCurve, Ed25519Support.IsCurvePoint(bytes));
        bytes[31] = 0x80;
        Assert.Equal(onCurve, Ed25519Support.IsCurvePoint(bytes));
    }

    [Fact]
    public void Every_real_public_key_passes_the_curve_check()
    {
        Assert.True(Ed25519Support.IsCurvePoint(Hex(Test1Public)));
        Assert.True(Ed25519Support.IsCurvePoint(Hex(Test2Public)));
        for (var i = 0; i < 50; i++)
        {
            using var key = SigningKey.Generate();
            Assert.True(Ed25519Support.IsCurvePoint(Hex(key.PublicKeyHex)), key.PublicKeyHex);
        }
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")] // y = 0: a point of order 4
    [InlineData(Identity)]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // y = p: non-canonical 0
    public void Weak_points_are_registered_as_the_original_does_but_never_verify(string hex)
    {
        // ed25519-dalek's VerifyingKey::from_bytes accepts small-order and non-canonical points, so
        // registration accepts them too. libsodium's verification refuses such keys outright, so every
        // signed entry from that author is dropped as BadSignature.
        var policy = new SignaturePolicy();
        policy.Authors.Register("weak", hex);

        // For the identity key, R = identity and s = 0 satisfies the cofactorless equation [s]B = R + [k]A
        // for every message: a verifier without small-order checks would accept this forgery.
        var forged = new byte[64];
        forged[0] = 0x01;
        var entry = Node("weak").WithSignature(forged);
        Assert.Equal(SignatureDecision.Drop(SignatureVerdict.BadSignature), policy.Check(entry));
    }

    [Fact]
    public void Null_arguments_are_refused()
    {
        var authors = new TrustedAuthors();
        Assert.Throws<ArgumentNullException>(() => authors.Register(null!, Test1Public));
        Assert.Throws<ArgumentNullException>(() => authors.Register("peer-a", null!));
        Assert.Throws<ArgumentNullException>(() => authors.TryGet(null!, out _));
        Assert.Throws<ArgumentNullException>(() => authors.Unregister(null!));
    }

    [Fact]
    public void Concurrent_register_lookup_and_unregister_do_not_corrupt_the_registry()
    {
        var authors = new TrustedAuthors();
        Parallel.For(0, 400, i =>
        {
            var id = "peer-" + (i % 20);
            authors.Register(id, i % 2 == 0 ? Test1Public : Test2Public);
            if (authors.TryGet(id, out var key))
            {
                Assert.NotNull(key);
            }

            if (i % 7 == 0)
            {
                authors.Unregister(id);
            }

            _ = authors.Snapshot();
        });
        Assert.All(authors.Snapshot().Values, hex => Assert.Contains(hex, new[] { Test1Public, Test2Public }));
    }
}
