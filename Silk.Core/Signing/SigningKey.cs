using System.Security.Cryptography;
using NSec.Cryptography;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Signing;

/// <summary>
/// This instance's ed25519 private key (SPEC §8). Signs the 32 hash bytes of locally created entries.
/// The seed can be exported for the owner to persist; it is never part of <see cref="ToString"/>.
/// Thread-safe: signing does not change the key.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private readonly Key _key;
    private bool _disposed;

    private SigningKey(Key key)
    {
        _key = key;
        PublicKey = key.PublicKey;
        PublicKeyHex = Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The public half, as verification wants it.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>The public key as 64 lowercase hex characters.</summary>
    public string PublicKeyHex { get; }

    /// <summary>A new random key.</summary>
    public static SigningKey Generate() => new(Key.Create(Ed25519Support.Algorithm, Exportable()));

    /// <summary>
    /// The key whose 32-byte seed is <paramref name="hex32"/> (64 hex characters, either case).
    /// Bad hex or a length other than 32 bytes is an <see cref="ArgumentException"/>
    /// ("invalid hex: …", "signing key must be 32 bytes, got n").
    /// </summary>
    public static SigningKey FromSeedHex(string hex32)
    {
        var seed = Ed25519Support.DecodeHex(hex32, "signing key", Ed25519Support.SeedLength, nameof(hex32));
        try
        {
            return FromSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The key whose seed is these 32 bytes.</summary>
    public static SigningKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519Support.SeedLength)
        {
            throw new ArgumentException($"signing key must be {Ed25519Support.SeedLength} bytes, got {seed.Length}", nameof(seed));
        }

        return new SigningKey(Key.Import(Ed25519Support.Algorithm, seed, KeyBlobFormat.RawPrivateKey, Exportable()));
    }

    /// <summary>The 32-byte seed. The caller owns the copy (and should wipe it when done).</summary>
    public byte[] ExportSeed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _key.Export(KeyBlobFormat.RawPrivateKey);
    }

    /// <summary>The 64-byte ed25519 signature over the 32 bytes of <paramref name="hash"/>.</summary>
    public byte[] Sign(Hash hash)
    {
        Span<byte> message = stackalloc byte[Hash.Size];
        hash.CopyTo(message);
        return SignBytes(message);
    }

    /// <summary>The same entry carrying our signature over its hash (the hash itself is unchanged).</summary>
    public Entry SignEntry(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.WithSignature(Sign(entry.Hash));
    }

    /// <summary>Signs arbitrary bytes; for cross-checks against published ed25519 vectors.</summary>
    internal byte[] SignBytes(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Ed25519Support.Algorithm.Sign(_key, message);
    }

    // The seed must be exportable so the API layer can persist it (owner-only file).
    private static KeyCreationParameters Exportable() => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };

    public void Dispose()
    {
        _disposed = true;
        _key.Dispose();
    }

    public override string ToString() => $"ed25519 signing key (public {PublicKeyHex})";
}
