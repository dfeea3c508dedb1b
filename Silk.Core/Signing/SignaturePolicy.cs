using NSec.Cryptography;
using Silk.Core.Entries;

namespace Silk.Core.Signing;

/// <summary>Why an incoming entry was kept or dropped by <see cref="SignaturePolicy.Check"/>.</summary>
public enum SignatureVerdict
{
    /// <summary>Kept: exempt (define_ontology), verified, or unsigned / unknown author in default mode.</summary>
    Accepted,

    /// <summary>Dropped: no signature while signatures are required.</summary>
    Unsigned,

    /// <summary>Dropped: author not in the registry while signatures are required.</summary>
    UnknownAuthor,

    /// <summary>Dropped: the author is registered and the signature does not verify (or is not 64 bytes).</summary>
    BadSignature,
}

/// <summary>The outcome for one entry: keep it or not, and why.</summary>
public readonly record struct SignatureDecision(bool Keep, SignatureVerdict Reason)
{
    public static SignatureDecision Accept { get; } = new(true, SignatureVerdict.Accepted);

    public static SignatureDecision Drop(SignatureVerdict reason) => new(false, reason);
}

/// <summary>
/// The signature filter applied to entries arriving by sync (SPEC §8, §7.4 step 2).
/// <list type="bullet">
/// <item><c>define_ontology</c> entries are exempt.</item>
/// <item>Strict (<see cref="RequireSignatures"/>): unsigned → drop; author not registered → drop;
/// bad signature → drop.</item>
/// <item>Default: unsigned → keep; signed, author registered, signature bad → drop;
/// signed, author unknown → keep silently.</item>
/// </list>
/// A signature whose length is not 64 bytes is a bad signature. The checks run in the original's order,
/// so in strict mode an unknown author wins over a malformed signature. The hash itself is not
/// re-verified here: the oplog does that. Thread-safe.
/// </summary>
public sealed class SignaturePolicy
{
    private volatile bool _requireSignatures;

    public SignaturePolicy()
        : this(new TrustedAuthors())
    {
    }

    public SignaturePolicy(TrustedAuthors authors)
    {
        ArgumentNullException.ThrowIfNull(authors);
        Authors = authors;
    }

    /// <summary>Strict mode; off by default.</summary>
    public bool RequireSignatures
    {
        get => _requireSignatures;
        set => _requireSignatures = value;
    }

    public TrustedAuthors Authors { get; }

    public SignatureDecision Check(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Payload is DefineOntology)
        {
            return SignatureDecision.Accept;
        }

        var strict = RequireSignatures;
        if (entry.Signature is null)
        {
            return strict ? SignatureDecision.Drop(SignatureVerdict.Unsigned) : SignatureDecision.Accept;
        }

        if (!Authors.TryGet(entry.Author, out var key))
        {
            return strict ? SignatureDecision.Drop(SignatureVerdict.UnknownAuthor) : SignatureDecision.Accept;
        }

        return Verify(entry, key) ? SignatureDecision.Accept : SignatureDecision.Drop(SignatureVerdict.BadSignature);
    }

    /// <summary>
    /// True when the entry carries a 64-byte signature by <paramref name="key"/> over its hash.
    /// Never throws on a malformed signature.
    /// </summary>
    public static bool Verify(Entry entry, PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(key);
        return Ed25519Support.Verify(key, entry.Hash, entry.Signature);
    }
}
