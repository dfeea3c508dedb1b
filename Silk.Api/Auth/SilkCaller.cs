using System.Net;

namespace Silk.Api.Auth;

/// <summary>
/// Who is calling, as the request feature the auth middleware sets once a key is accepted: the key's name and role.
/// Absent when authentication is off or the route is anonymous.
/// </summary>
public sealed record SilkCaller(string Name, SilkRole Role)
{
    /// <summary>
    /// The bucket a request counts against for rate limits and stream caps: <c>key:&lt;name&gt;</c> for a caller with a
    /// key, else <c>ip:&lt;address&gt;</c>; null for an anonymous caller on this machine (loopback, or the in-process test
    /// server, which has no address) unless <paramref name="limitLoopback"/>: without keys the server listens on loopback
    /// only, every local client shares one address, and one budget for all of them would throttle the local tools together.
    /// </summary>
    public static string? PartitionOf(HttpContext context, bool limitLoopback)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<SilkCaller>() is { } caller) return "key:" + caller.Name;
        var address = context.Connection.RemoteIpAddress;
        if (address is null || IPAddress.IsLoopback(address)) return limitLoopback ? "ip:" + (address?.ToString() ?? "local") : null;
        return "ip:" + (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }
}
