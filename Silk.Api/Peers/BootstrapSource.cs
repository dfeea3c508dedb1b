using Silk.Api.Hosting;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Api.Peers;

/// <summary>
/// <c>Silk:BootstrapFrom</c>: where a new server's first state comes from instead of a fresh genesis:
/// a peer's base URL (its <c>GET /sync/snapshot</c>) or the path of a snapshot file (MessagePack
/// <c>[entries]</c>, as that route serves it). Used only when the store is empty.
/// </summary>
public static class BootstrapSource
{
    public static bool IsUrl(string source) =>
        Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    /// <summary>The snapshot, or a <see cref="SilkSettingsException"/> naming the setting and the cause.</summary>
    public static Snapshot Load(string source, TimeSpan? timeout = null, string? apiKey = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        try
        {
            if (IsUrl(source))
            {
                using var client = new HttpClient(PeersSetup.NewPeerHandler()) { Timeout = timeout ?? TimeSpan.FromMinutes(5) };
                return new HttpSyncPeer(client, new Uri(source), apiKey).GetSnapshotAsync(CancellationToken.None).GetAwaiter().GetResult();
            }

            var path = Path.GetFullPath(source);
            var length = new FileInfo(path).Length;
            if (length > SyncLimits.MaxMessageBytes) throw new WireFormatException($"snapshot file of {length} bytes exceeds the {SyncLimits.MaxMessageBytes}-byte limit");
            return Snapshot.Decode(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or UnauthorizedAccessException or WireFormatException or SyncRejectedException)
        {
            throw new SilkSettingsException($"Setting Silk:BootstrapFrom is \"{source}\", but no snapshot could be loaded from it: {ex.Message}", ex);
        }
    }
}
