namespace Silk.Api.Signing;

/// <summary>Signing on this server.</summary>
/// <param name="PublicKey">This server's ed25519 public key (64 hex), or null when local entries are not signed.</param>
/// <param name="RequireSignatures">Strict mode: entries arriving by sync must be signed by a trusted author.</param>
/// <param name="TrustedAuthors">How many authors are trusted (GET /signing/authors lists them).</param>
public sealed record SigningStatus(string? PublicKey, bool RequireSignatures, int TrustedAuthors);

/// <summary>This server's public key.</summary>
/// <param name="PublicKey">ed25519 public key, 64 lowercase hex characters. Register it as a trusted author on the peers.</param>
public sealed record PublicKeyView(string PublicKey);

/// <summary>Body of <c>PUT /signing/key</c>.</summary>
/// <param name="PrivateKey">The ed25519 private key (its 32-byte seed) as 64 hex characters. Kept in the key file; never returned.</param>
public sealed record PrivateKeyBody(string PrivateKey);

/// <summary>An author whose signatures this server checks.</summary>
/// <param name="AuthorId">The author (the instance id that writes the entries).</param>
/// <param name="PublicKey">The author's ed25519 public key, 64 lowercase hex characters.</param>
public sealed record TrustedAuthorView(string AuthorId, string PublicKey);

/// <summary>The trusted authors, in author id order.</summary>
/// <param name="Authors">Every trusted author.</param>
public sealed record TrustedAuthorList(IReadOnlyList<TrustedAuthorView> Authors);

/// <summary>Body of <c>PUT /signing/authors/{author_id}</c>.</summary>
/// <param name="PublicKey">The author's ed25519 public key as 64 hex characters (a point on the curve).</param>
public sealed record AuthorKeyBody(string PublicKey);

/// <summary>Body of <c>PUT /signing/strict</c>.</summary>
/// <param name="RequireSignatures">True: drop unsigned entries and entries of untrusted authors arriving by sync.</param>
public sealed record StrictModeBody(bool RequireSignatures);
