using NSec.Cryptography;
using Silk.Core.Entries;
using Silk.Core.Signing;
using Silk.Core.Wire;
using Silk.Tests.Conformance;
using static Silk.Tests.Signing.SigningFixtures;

namespace Silk.Tests.Signing;

public sealed class SigningKeyTests
{
    /// <summary>
    /// Hash of entries.json <c>add_node_server_props</c> signed with the RFC 8032 TEST 1 seed. The expected
    /// signature was produced independently with OpenSSL 3.0 (Python <c>cryptography</c> 48,
    /// <c>Ed25519PrivateKey.from_private_bytes(seed).sign(hash)</c>).
    /// </summary>
    private const string VectorEntryName = "add_node_server_props";
    private const string VectorEntryHash = "2048aefcd2c05b0cd2381b405b7fff6855f4b2e521f127cdaf1470038d545cb1";
    private const string VectorEntrySignature =
        "a1f1566264469cd596389735087ac40fab520a7fb6a6c28edf87d4995f233573" +
        "363d65c82dd451b8430e85a82fa2899d7282175ccf46914618aab44350d6ce0c";

    [Fact]
    public void Generated_key_signs_and_the_signature_verifies_only_for_its_hash()
    {
        using var key = SigningKey.Generate();
        var hash = Hash.Compute("silk"u8);
        var signature = key.Sign(hash);

        Assert.Equal(Entry.SignatureLength, signature.Length);
        Assert.Matches("^[0-9a-f]{64}$", key.PublicKeyHex);
        Assert.True(SignatureAlgorithm.Ed25519.Verify(key.PublicKey, hash.ToArray(), signature));
        Assert.False(SignatureAlgorithm.Ed25519.Verify(key.PublicKey, Hash.Compute("other"u8).ToArray(), signature));
    }

    [Fact]
    public void Two_generated_keys_differ()
    {
        using var a = SigningKey.Generate();
        using var b = SigningKey.Generate();
        Assert.NotEqual(a.PublicKeyHex, b.PublicKeyHex);
    }

    [Fact]
    public void Seed_hex_round_trips_and_gives_the_rfc8032_public_key()
    {
        using var key = SigningKey.FromSeedHex(Test1Seed);
        Assert.Equal(Test1Public, key.PublicKeyHex);
        Assert.Equal(Test1Seed, ToHex(key.ExportSeed()));

        using var upper = SigningKey.FromSeedHex(Test1Seed.ToUpperInvariant());
        Assert.Equal(Test1Public, upper.PublicKeyHex);
    }

    [Fact]
    public void Generated_seed_reimports_to_the_same_key()
    {
        using var key = SigningKey.Generate();
        var seed = key.ExportSeed();
        Assert.Equal(32, seed.Length);
        using var again = SigningKey.FromSeedHex(ToHex(seed));
        Assert.Equal(key.PublicKeyHex, again.PublicKeyHex);
        var hash = Hash.Compute("same"u8);
        Assert.Equal(key.Sign(hash), again.Sign(hash));
    }

    public static TheoryData<string, string> BadSeeds => new()
    {
        { "", "signing key must be 32 bytes, got 0" },
        { Test1Seed[..62], "signing key must be 32 bytes, got 31" },
        { Test1Seed + "00", "signing key must be 32 bytes, got 33" },
        { Test1Seed[..63], "invalid hex: odd number of digits" },
        { "zz" + Test1Seed[2..], "invalid hex: invalid character 'z' at position 0" },
        { Test1Seed[..10] + " " + Test1Seed[11..], "invalid hex: invalid character U+0020 at position 10" },
        { "0x" + Test1Seed[2..], "invalid hex: invalid character 'x' at position 1" },
    };

    [Theory]
    [MemberData(nameof(BadSeeds))]
    public void Bad_seed_hex_is_an_argument_exception_with_a_clear_message(string hex, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => SigningKey.FromSeedHex(hex));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.Equal("hex32", e.ParamName);
    }

    [Fact]
    public void Null_seed_hex_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => SigningKey.FromSeedHex(null!));
    }

    [Fact]
    public void ToString_shows_the_public_key_and_never_the_seed()
    {
        using var key = SigningKey.FromSeedHex(Test1Seed);
        var text = key.ToString();
        Assert.Contains(Test1Public, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Test1Seed, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Test1Seed[..16], text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Disposed_key_refuses_to_sign_or_export()
    {
        var key = SigningKey.Generate();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Sign(Hash.Compute("x"u8)));
        Assert.Throws<ObjectDisposedException>(() => key.ExportSeed());
        key.Dispose();
    }

    // RFC 8032 §7.1: TEST 1 (empty), TEST 2 (1 byte), TEST 3 (2 bytes), TEST SHA(abc) (64 bytes).
    public static TheoryData<string, string, string, string> Rfc8032 => new()
    {
        {
            Test1Seed, Test1Public, "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            Test2Seed, Test2Public, "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        },
        {
            "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
            "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc8032))]
    public void Signatures_match_the_rfc8032_vectors(string seed, string publicKey, string message, string signature)
    {
        using var key = SigningKey.FromSeedHex(seed);
        Assert.Equal(publicKey, key.PublicKeyHex);
        var produced = key.SignBytes(Hex(message));
        Assert.Equal(signature, ToHex(produced));
        Assert.True(SignatureAlgorithm.Ed25519.Verify(key.PublicKey, Hex(message), produced));
    }

    [Fact]
    public void Signing_a_hash_signs_exactly_its_32_bytes_as_other_implementations_do()
    {
        using var key = SigningKey.FromSeedHex(Test1Seed);
        var hash = Hash.ParseHex(VectorEntryHash);
        Assert.Equal(VectorEntrySignature, ToHex(key.Sign(hash)));
        Assert.Equal(key.SignBytes(Hex(VectorEntryHash)), key.Sign(hash));

        // A 32-byte-message vector from another code base (dfinity/ic's ed25519 stability vector 1,
        // also reproduced with OpenSSL): the message is SHA-256("abc").
        using var other = SigningKey.FromSeedHex("a3f57690c381c6324cd5ed06c9b0c73fe620cdffd3b83103179f52a853eefda7");
        Assert.Equal("e286bfdb6e9aeb3c082435e9c669e8009e98042d4e71f36e8ae5c501a9100150", other.PublicKeyHex);
        Assert.Equal(
            "41e7c78cc44128adcf80dbacbd1ba13eb324a9ca4da78d1aa1d28e3b8a35bda04acf86757bd2d24f081ab795e8f52e6f084a8f84a0a73680d9af619ca6e59b02",
            ToHex(other.Sign(Hash.ParseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))));
    }

    [Fact]
    public void Signing_a_conformance_entry_keeps_its_hash_and_gives_the_cross_checked_signature()
    {
        var vector = Vectors.ByName("entries.json", ["entries"], VectorEntryName);
        var entry = Entry.Decode(Vectors.HexOf(vector, "entry_msgpack_hex"));
        Assert.Equal(VectorEntryHash, entry.Hash.ToHex());

        using var key = SigningKey.FromSeedHex(Test1Seed);
        var signed = key.SignEntry(entry);

        Assert.Equal(entry.Hash, signed.Hash);
        Assert.True(signed.VerifyHash());
        Assert.Equal(VectorEntrySignature, ToHex(signed.Signature));
        Assert.Equal(entry.SignableBytes.ToArray(), signed.SignableBytes.ToArray());
    }

    [Theory]
    [InlineData(EntryForm.Current)]
    [InlineData(EntryForm.Legacy8)]
    public void Signed_entry_survives_encode_and_decode_and_still_verifies(EntryForm form)
    {
        using var key = SigningKey.FromSeedHex(Test1Seed);
        var signed = key.SignEntry(Node());

        var decoded = Entry.Decode(signed.ToBytes(form));

        Assert.Equal(signed.Hash, decoded.Hash);
        Assert.True(decoded.VerifyHash());
        Assert.Equal(signed.Signature, decoded.Signature);
        Assert.Equal(signed.EncodedLength(form), signed.ToBytes(form).Length);
        Assert.True(SignaturePolicy.Verify(decoded, key.PublicKey));

        var policy = new SignaturePolicy { RequireSignatures = true };
        policy.Authors.Register(decoded.Author, key.PublicKeyHex);
        Assert.Equal(new SignatureDecision(true, SignatureVerdict.Accepted), policy.Check(decoded));
    }

    [Fact]
    public void Signing_is_safe_from_many_threads()
    {
        using var key = SigningKey.FromSeedHex(Test1Seed);
        var hash = Hash.ParseHex(VectorEntryHash);
        var results = new string[64];
        Parallel.For(0, results.Length, i => results[i] = ToHex(key.Sign(hash)));
        Assert.All(results, r => Assert.Equal(VectorEntrySignature, r));
    }
}
