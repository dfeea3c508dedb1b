namespace Silk.Api.Auth;

/// <summary>Endpoint metadata: the role a route needs (<see cref="SilkRoleMetadata"/>) or that it is open to anyone (<see cref="SilkAnonymousMetadata"/>).</summary>
public sealed record SilkRoleMetadata(SilkRole Role);

/// <summary>Endpoint metadata: open without a key (health probes, the OpenAPI document, the explorer page).</summary>
public sealed class SilkAnonymousMetadata
{
    public static SilkAnonymousMetadata Instance { get; } = new();
}

/// <summary>
/// Endpoint metadata: the key may also come as the <c>access_token</c> query parameter, for browsers'
/// <c>EventSource</c>, which cannot set headers, and a token of <c>POST /auth/tail-token</c> is accepted in place of a key.
/// Only <c>GET /tail</c> has it: query strings end up in proxy logs.
/// </summary>
public sealed class QueryAccessTokenMetadata
{
    public const string ParameterName = "access_token";

    public static QueryAccessTokenMetadata Instance { get; } = new();
}
