using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Silk.Api.Auth;

/// <summary>
/// Short-lived tokens for <c>GET /tail?access_token=</c>, so that a page need not put a long-lived key in a URL:
/// <c>silk1.&lt;key name&gt;.&lt;expiry ms&gt;.&lt;HMAC-SHA256&gt;</c> under a secret drawn at startup (tokens end with the
/// process). A token acts with the role its key has when it is used; it is checked when a request starts, so a
/// stream opened in time runs on after the token expires.
/// </summary>
public sealed class TailTokens(TimeProvider? time = null)
{
    public const string Prefix = "silk1.";

    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>A token for the key's holder, valid for <paramref name="lifetime"/>, and when it expires.</summary>
    public (string Token, DateTimeOffset Expires) Issue(ApiKeyEntry entry, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var expires = _time.GetUtcNow() + lifetime;
        var body = Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(entry.Name)) + "."
            + expires.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return (body + "." + Base64Url.EncodeToString(Sign(body)), expires);
    }

    /// <summary>The key a valid, unexpired token was issued for (if the key is still configured), else null.</summary>
    public ApiKeyEntry? Validate(string token, ApiKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(keys);
        if (!token.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var last = token.LastIndexOf('.');
        if (last <= Prefix.Length) return null;
        var body = token[..last];
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!Base64Url.IsValid(token.AsSpan(last + 1)) || Base64Url.DecodeFromChars(token.AsSpan(last + 1), given, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != given.Length || !CryptographicOperations.FixedTimeEquals(given, Sign(body)))
        {
            return null;
        }

        var parts = body[Prefix.Length..].Split('.');
        if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresMs)) return null;
        if (_time.GetUtcNow().ToUnixTimeMilliseconds() >= expiresMs) return null;
        var name = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0]));
        return keys.Entries.FirstOrDefault(e => e.Name == name);
    }

    private byte[] Sign(string body) => HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(body));
}
