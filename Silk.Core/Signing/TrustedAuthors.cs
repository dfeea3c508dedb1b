using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using NSec.Cryptography;

namespace Silk.Core.Signing;

/// <summary>
/// The registry binding author ids to ed25519 public keys (SPEC §8). It is the only binding between an
/// author string and a key: registering again replaces the key. Thread-safe.
/// </summary>
public sealed class TrustedAuthors
{
    private readonly ConcurrentDictionary<string, Registered> _authors = new(StringComparer.Ordinal);

    public int Count => _authors.Count;

    /// <summary>
    /// Trusts <paramref name="publicKeyHex"/> (64 hex characters, either case) for entries whose author is
    /// <paramref name="authorId"/>. The key must be 32 bytes and a point on the curve, else
    /// <see cref="ArgumentException"/> ("invalid hex: …", "public key must be 32 bytes, got n",
    /// "invalid ed25519 public key: …").
    /// </summary>
    public void Register(string authorId, string publicKeyHex)
    {
        ArgumentNullException.ThrowIfNull(authorId);
        var key = Ed25519Support.ParsePublicKey(publicKeyHex, nameof(publicKeyHex));
        var hex = Convert.ToHexStringLower(key.Export(KeyBlobFormat.RawPublicKey));
        _authors[authorId] = new Registered(key, hex);
    }

    public bool TryGet(string authorId, [NotNullWhen(true)] out PublicKey? publicKey)
    {
        ArgumentNullException.ThrowIfNull(authorId);
        if (_authors.TryGetValue(authorId, out var registered))
        {
            publicKey = registered.Key;
            return true;
        }

        publicKey = null;
        return false;
    }

    public bool Unregister(string authorId)
    {
        ArgumentNullException.ThrowIfNull(authorId);
        return _authors.TryRemove(authorId, out _);
    }

    /// <summary>A copy: author id → lowercase public-key hex, in ordinal author order.</summary>
    public IReadOnlyDictionary<string, string> Snapshot() =>
        _authors.ToImmutableSortedDictionary(static a => a.Key, static a => a.Value.Hex, StringComparer.Ordinal);

    private sealed record Registered(PublicKey Key, string Hex);
}
