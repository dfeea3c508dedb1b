namespace Silk.Api.Auth;

/// <summary>
/// One entry of <c>Silk:Auth:Keys</c>: <c>{"Name": "dashboard", "Role": "read", "Key": "…"}</c>, or with
/// <c>"KeyHash": "sha256:&lt;hex&gt;"</c> (the SHA-256 of the key's UTF-8 bytes) instead of the key itself.
/// </summary>
public sealed class ApiKeySetting
{
    /// <summary>Who holds the key; names the caller in rate limits and problems, never the key.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>read</c>, <c>write</c>, <c>peer</c> or <c>admin</c>.</summary>
    public string Role { get; set; } = "";

    /// <summary>The key itself (at least <see cref="ApiKeyRing.MinKeyLength"/> characters).</summary>
    public string? Key { get; set; }

    /// <summary>Instead of <see cref="Key"/>: <c>sha256:</c> and the 64 hex digits of the key's SHA-256.</summary>
    public string? KeyHash { get; set; }
}
