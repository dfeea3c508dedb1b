using Silk.Core.Sync;

namespace Silk.Api.Limits;

/// <summary>
/// The <c>Silk:Limits</c> settings: request rate and open event streams per caller (per key, or per client address
/// for callers without one), the sync body limit, and Kestrel's limits for slow or numerous clients. 0 turns a limit off.
/// </summary>
public sealed class SilkLimitsOptions
{
    public const string SectionName = "Silk:Limits";

    /// <summary>Requests per second a caller may make on average (token bucket refill); 0 for no rate limit.</summary>
    public int RequestsPerSecond { get; set; } = 1000;

    /// <summary>Requests a caller may make at once before the average applies (token bucket size).</summary>
    public int RequestBurst { get; set; } = 2000;

    /// <summary>Event streams (<c>GET /tail</c> with <c>Accept: text/event-stream</c>) a caller may hold open at once; 0 for no cap.</summary>
    public int MaxStreamsPerCaller { get; set; } = 100;

    /// <summary>
    /// Whether callers without a key on this machine (loopback) are limited too. Off by default: without keys the
    /// server listens on loopback only, all local clients share one address, and one budget would throttle them together.
    /// </summary>
    public bool LimitLoopback { get; set; }

    /// <summary>Largest sync message body (<c>/sync/*</c>), in bytes; at most the protocol's 64 MiB.</summary>
    public long MaxSyncBodyBytes { get; set; } = SyncLimits.MaxMessageBytes;

    /// <summary>Open connections Kestrel accepts at once (more wait in the listen backlog); 0 for no limit.</summary>
    public long MaxConcurrentConnections { get; set; } = 10_000;

    /// <summary>Time a client has to send the request headers.</summary>
    public double RequestHeadersTimeoutSeconds { get; set; } = 30;

    /// <summary>Slowest accepted request body upload, after a 5 s grace period; 0 for none.</summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>Why these settings cannot work (naming the setting), or null when they can.</summary>
    internal string? Problem() =>
        RequestsPerSecond < 0 ? Bad(nameof(RequestsPerSecond), RequestsPerSecond, "must not be negative (0 turns the rate limit off)")
        : RequestsPerSecond > 0 && RequestBurst < 1 ? Bad(nameof(RequestBurst), RequestBurst, "must be at least 1 while RequestsPerSecond is set")
        : MaxStreamsPerCaller < 0 ? Bad(nameof(MaxStreamsPerCaller), MaxStreamsPerCaller, "must not be negative (0 turns the cap off)")
        : MaxSyncBodyBytes is < 1024 or > SyncLimits.MaxMessageBytes ? Bad(nameof(MaxSyncBodyBytes), MaxSyncBodyBytes, $"must be between 1024 and {SyncLimits.MaxMessageBytes} (64 MiB, the protocol's limit)")
        : MaxConcurrentConnections < 0 ? Bad(nameof(MaxConcurrentConnections), MaxConcurrentConnections, "must not be negative (0 turns the limit off)")
        : RequestHeadersTimeoutSeconds is <= 0 or > 3600 || double.IsNaN(RequestHeadersTimeoutSeconds) ? Bad(nameof(RequestHeadersTimeoutSeconds), RequestHeadersTimeoutSeconds, "must be above 0 and at most 3600")
        : MinRequestBodyBytesPerSecond < 0 || double.IsNaN(MinRequestBodyBytesPerSecond) ? Bad(nameof(MinRequestBodyBytesPerSecond), MinRequestBodyBytesPerSecond, "must not be negative (0 turns it off)")
        : null;

    private static string Bad(string name, object value, string rule) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Setting {SectionName}:{name} is {value}; it {rule}.");
}
