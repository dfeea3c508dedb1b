using System.Net;

namespace Silk.Api.Auth;

/// <summary>
/// Without keys the server must not be reachable from other machines: every address it is configured to listen on
/// (<c>Urls</c>, <c>HTTP_PORTS</c>/<c>HTTPS_PORTS</c>, <c>Kestrel:Endpoints:*:Url</c>) must be loopback or a Unix socket.
/// </summary>
public static class LoopbackGuard
{
    /// <summary>The configured listen addresses that are not loopback.</summary>
    public static IReadOnlyList<string> NonLoopbackAddresses(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var addresses = new List<string>();
        addresses.AddRange(Split(configuration[WebHostDefaults.ServerUrlsKey]));
        if (addresses.Count == 0)
        {
            // Kestrel binds HTTP_PORTS / HTTPS_PORTS on every interface when no Urls are set.
            addresses.AddRange(Split(configuration[WebHostDefaults.HttpPortsKey]).Select(p => $"http://*:{p}"));
            addresses.AddRange(Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(p => $"https://*:{p}"));
        }

        addresses.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return addresses.Where(a => !IsLoopback(a)).ToList();
    }

    /// <summary>Whether a listen address (e.g. <c>http://127.0.0.1:5080</c>, <c>http://localhost:0</c>, <c>http://unix:/run/silk.sock</c>) is loopback.</summary>
    public static bool IsLoopback(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(address.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        if (parsed.IsUnixPipe || parsed.IsNamedPipe) return true;
        var host = parsed.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    private static IEnumerable<string> Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
