using System.Text.Json;
using Microsoft.Extensions.Options;
using Silk.Api.Diagnostics;
using Silk.Api.Hosting;
using Silk.Core.Signing;
using Silk.Core.Store;

namespace Silk.Api.Signing;

/// <summary>
/// Signing as the server keeps it across restarts. The store holds the key, the trusted authors and strict
/// mode in memory (SPEC §8); this service loads them at startup and persists every change: the private key
/// in its owner-only file (<see cref="SigningKeyFile"/>), the trusted authors and strict mode in the store's
/// metadata under <see cref="MetadataKey"/>. Each change is persisted before the store takes it, so a
/// failed write leaves both as they were. The private key is never returned or logged.
/// </summary>
public sealed partial class SigningService
{
    public const string MetadataKey = "signing";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Lock _lock = new();
    private readonly StoreHost _host;
    private readonly SigningKeyFile _keyFile;

    private sealed record Stored(bool RequireSignatures, SortedDictionary<string, string> TrustedAuthors);

    public SigningService(StoreHost host, IOptions<SigningOptions> options, ILogger<SigningService> logger)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _host = host;
        var path = string.IsNullOrWhiteSpace(options.Value.KeyPath)
            ? Path.Combine(host.DataPath, SigningOptions.DefaultKeyFileName)
            : Path.GetFullPath(options.Value.KeyPath);
        _keyFile = new SigningKeyFile(path);

        if (_keyFile.Load() is { } key)
        {
            if (_keyFile.IsExposed()) LogKeyFileExposed(logger, path);
            Store.SetSigningKey(key);
            LogSigningWith(logger, key.PublicKeyHex);
        }

        var stored = Load();
        try
        {
            foreach (var (author, publicKey) in stored.TrustedAuthors) Store.RegisterTrustedAuthor(author, publicKey);
        }
        catch (ArgumentException ex)
        {
            throw new SilkSettingsException($"The store's signing settings (metadata '{MetadataKey}') hold an unusable trusted author: {ex.Message}", ex);
        }

        Store.RequireSignatures = stored.RequireSignatures;
    }

    private GraphStore Store => _host.Store;

    /// <summary>Where the private key is kept.</summary>
    public string KeyPath => _keyFile.Path;

    /// <summary>This server's public key (64 hex), or null when local entries are not signed.</summary>
    public string? PublicKey => Store.PublicKeyHex;

    public bool RequireSignatures => Store.RequireSignatures;

    public IReadOnlyDictionary<string, string> TrustedAuthors => Store.TrustedAuthors;

    /// <summary>Why an author id is unusable, or null when fine.</summary>
    public static string? ValidateAuthorId(string? authorId)
    {
        if (string.IsNullOrEmpty(authorId)) return "the author id is empty";
        if (System.Text.Encoding.UTF8.GetByteCount(authorId) > Core.Schema.ValueLimits.MaxIdBytes)
        {
            return $"the author id is longer than {Core.Schema.ValueLimits.MaxIdBytes} bytes of UTF-8";
        }

        return null;
    }

    /// <summary>A new random key, written to the key file and used for every local entry from now on; returns its public key.</summary>
    public string GenerateKey() => Use(SigningKey.Generate());

    /// <summary>
    /// Uses the key whose 32-byte seed is <paramref name="privateKeyHex"/>; returns its public key.
    /// Bad hex or length is an <see cref="ArgumentException"/> whose message does not repeat the input.
    /// </summary>
    public string SetKey(string privateKeyHex) => Use(SigningKey.FromSeedHex(privateKeyHex));

    /// <summary>Trusts <paramref name="publicKeyHex"/> for <paramref name="authorId"/> (replacing an earlier key); returns the key as stored (lowercase).</summary>
    public string TrustAuthor(string authorId, string publicKeyHex)
    {
        lock (_lock)
        {
            // Registered on a scratch registry first: a bad key is refused before anything is saved.
            var check = new TrustedAuthors();
            check.Register(authorId, publicKeyHex);
            var normalized = check.Snapshot()[authorId];
            var authors = new SortedDictionary<string, string>(Store.TrustedAuthors.ToDictionary(), StringComparer.Ordinal) { [authorId] = normalized };
            Save(new Stored(Store.RequireSignatures, authors));
            Store.RegisterTrustedAuthor(authorId, normalized);
            return normalized;
        }
    }

    /// <summary>Stops trusting an author; returns its key, or null when it was not trusted.</summary>
    public string? DistrustAuthor(string authorId)
    {
        lock (_lock)
        {
            var authors = new SortedDictionary<string, string>(Store.TrustedAuthors.ToDictionary(), StringComparer.Ordinal);
            if (!authors.Remove(authorId, out var publicKey)) return null;
            Save(new Stored(Store.RequireSignatures, authors));
            Store.UnregisterTrustedAuthor(authorId);
            return publicKey;
        }
    }

    /// <summary>Turns strict mode on or off.</summary>
    public void SetRequireSignatures(bool require)
    {
        lock (_lock)
        {
            Save(new Stored(require, new SortedDictionary<string, string>(Store.TrustedAuthors.ToDictionary(), StringComparer.Ordinal)));
            Store.RequireSignatures = require;
        }
    }

    private string Use(SigningKey key)
    {
        lock (_lock)
        {
            try
            {
                _keyFile.Save(key);
            }
            catch
            {
                key.Dispose();
                throw;
            }

            Store.SetSigningKey(key);
            return key.PublicKeyHex;
        }
    }

    private Stored Load()
    {
        var text = _host.Metadata.GetMetadata(MetadataKey);
        if (string.IsNullOrEmpty(text)) return new Stored(false, new SortedDictionary<string, string>(StringComparer.Ordinal));
        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(text, Json) ?? throw new JsonException("null");
            return stored with { TrustedAuthors = new SortedDictionary<string, string>(stored.TrustedAuthors ?? [], StringComparer.Ordinal) };
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw new SilkSettingsException($"The store's signing settings (metadata '{MetadataKey}') cannot be read: {ex.Message}", ex);
        }
    }

    private void Save(Stored stored) => _host.Metadata.SetMetadata(MetadataKey, JsonSerializer.Serialize(stored, Json));

    [LoggerMessage(EventId = LogEvents.SigningKey, Level = LogLevel.Information, Message = "Signing local entries with ed25519 public key {PublicKey}")]
    private static partial void LogSigningWith(ILogger logger, string publicKey);

    [LoggerMessage(EventId = LogEvents.SigningKeyExposed, Level = LogLevel.Warning, Message = "The signing key file {Path} can be read or written by others than its owner; restrict it to 0600")]
    private static partial void LogKeyFileExposed(ILogger logger, string path);
}
