using System.Security.Cryptography;
using System.Text;
using Silk.Api.Hosting;

namespace Silk.Api.Auth;

/// <summary>A configured key as the server keeps it: the SHA-256 of the key, never the key.</summary>
public sealed record ApiKeyEntry(string Name, SilkRole Role, byte[] Hash);

/// <summary>
/// The keys of <c>Silk:Auth:Keys</c>, checked at startup (a bad entry is a <see cref="SilkSettingsException"/> naming
/// the setting), and the lookup of a presented key. Keys are held only as SHA-256 hashes; a presented key is hashed
/// and compared with every configured hash in constant time, so the answer time says nothing about how close it was.
/// No keys configured means authentication is off.
/// </summary>
public sealed class ApiKeyRing
{
    public const string SectionName = "Silk:Auth:Keys";

    public const string HashPrefix = "sha256:";

    /// <summary>Shorter keys are refused: a key is a password that cannot be rate limited before it is checked.</summary>
    public const int MinKeyLength = 16;

    private readonly ApiKeyEntry[] _entries;

    public ApiKeyRing(IEnumerable<ApiKeyEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = [.. entries];
    }

    public IReadOnlyList<ApiKeyEntry> Entries => _entries;

    /// <summary>Whether any key is configured (authentication on).</summary>
    public bool Enabled => _entries.Length > 0;

    /// <summary>The entry whose key this is, or null. Every entry is compared, whatever matched.</summary>
    public ApiKeyEntry? Find(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        ApiKeyEntry? found = null;
        foreach (var entry in _entries)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, entry.Hash)) found = entry;
        }

        return found;
    }

    /// <summary>The <c>KeyHash</c> form of a key: <c>sha256:</c> and the lower-case hex of its SHA-256.</summary>
    public static string HashOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>The keys of <c>Silk:Auth:Keys</c>, or a <see cref="SilkSettingsException"/> naming the entry at fault.</summary>
    public static ApiKeyRing FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var entries = new List<ApiKeyEntry>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            var setting = child.Get<ApiKeySetting>() ?? new ApiKeySetting();
            var at = $"Setting {SectionName}:{child.Key}";
            if (string.IsNullOrWhiteSpace(setting.Name)) throw new SilkSettingsException($"{at} has no Name.");
            at += $" (\"{setting.Name}\")";
            if (!names.Add(setting.Name)) throw new SilkSettingsException($"{at}: the name is used by another key; names must be unique.");
            if (!SilkRoles.TryParse(setting.Role, out var role))
            {
                throw new SilkSettingsException($"{at} has Role \"{setting.Role}\"; it must be one of read, write, peer, admin.");
            }

            var hash = HashOfSetting(setting, at);
            if (entries.Any(e => e.Hash.AsSpan().SequenceEqual(hash)))
            {
                throw new SilkSettingsException($"{at}: the same key is configured twice; each key must be unique.");
            }

            entries.Add(new ApiKeyEntry(setting.Name.Trim(), role, hash));
        }

        return new ApiKeyRing(entries);
    }

    private static byte[] HashOfSetting(ApiKeySetting setting, string at)
    {
        var hasKey = !string.IsNullOrEmpty(setting.Key);
        var hasHash = !string.IsNullOrEmpty(setting.KeyHash);
        if (hasKey == hasHash)
        {
            throw new SilkSettingsException($"{at} must have exactly one of Key or KeyHash (both empty means an empty key, which is refused).");
        }

        if (hasKey)
        {
            if (setting.Key!.Length < MinKeyLength || string.IsNullOrWhiteSpace(setting.Key))
            {
                throw new SilkSettingsException($"{at} has a Key shorter than {MinKeyLength} characters; use a long random key (e.g. `openssl rand -hex 32`).");
            }

            return SHA256.HashData(Encoding.UTF8.GetBytes(setting.Key));
        }

        var text = setting.KeyHash!.Trim();
        if (!text.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase)
            || text.Length != HashPrefix.Length + (SHA256.HashSizeInBytes * 2)
            || !text[HashPrefix.Length..].All(char.IsAsciiHexDigit))
        {
            throw new SilkSettingsException($"{at} has a KeyHash that is not \"{HashPrefix}\" followed by 64 hex digits (the SHA-256 of the key).");
        }

        return Convert.FromHexString(text.AsSpan(HashPrefix.Length));
    }
}
