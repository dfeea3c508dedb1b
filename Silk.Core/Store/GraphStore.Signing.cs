using Silk.Core.Entries;
using Silk.Core.Signing;

namespace Silk.Core.Store;

/// <summary>
/// Entry signing (SPEC §8): with a key set every local entry is signed over its hash; merged entries
/// pass the signature policy (strict mode drops unsigned and untrusted ones; a bad signature from a
/// trusted author is always dropped). Keys live in memory; the server persists them.
/// </summary>
public sealed partial class GraphStore
{
    private readonly SignaturePolicy _signatures = new();
    private SigningKey? _signingKey;

    /// <summary>Generates and sets a new signing key; returns its public key as hex.</summary>
    public string GenerateSigningKey()
    {
        SetSigningKey(SigningKey.Generate());
        return _signingKey!.PublicKeyHex;
    }

    /// <summary>Sets the signing key (the store takes ownership and disposes the previous one).</summary>
    public void SetSigningKey(SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Interlocked.Exchange(ref _signingKey, key)?.Dispose();
    }

    /// <summary>Sets the signing key from its 32-byte seed as hex.</summary>
    public void SetSigningKey(string seedHex) => SetSigningKey(SigningKey.FromSeedHex(seedHex));

    public string? PublicKeyHex => _signingKey?.PublicKeyHex;

    public void RegisterTrustedAuthor(string authorId, string publicKeyHex) => _signatures.Authors.Register(authorId, publicKeyHex);

    /// <summary>Stops trusting an author; false when it was not registered.</summary>
    public bool UnregisterTrustedAuthor(string authorId) => _signatures.Authors.Unregister(authorId);

    public IReadOnlyDictionary<string, string> TrustedAuthors => _signatures.Authors.Snapshot();

    /// <summary>Strict mode: unsigned entries and entries from unregistered authors are dropped on merge.</summary>
    public bool RequireSignatures
    {
        get => _signatures.RequireSignatures;
        set => _signatures.RequireSignatures = value;
    }

    private Entry SignLocal(Entry entry) => _signingKey is { } key ? key.SignEntry(entry) : entry;

    /// <summary>Null when the policy keeps the entry, else why it is dropped.</summary>
    private string? CheckSignature(Entry entry)
    {
        var decision = _signatures.Check(entry);
        return decision.Keep ? null : SignatureReasons.Describe(decision, entry);
    }
}
