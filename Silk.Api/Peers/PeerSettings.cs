namespace Silk.Api.Peers;

/// <summary>One peer of the <c>Silk:Peers</c> setting: <c>{"Id": "n2", "Address": "http://127.0.0.1:5081", "ApiKey": "…", "NodeTypes": ["server"]}</c>.</summary>
public sealed class PeerSeed
{
    public string Id { get; set; } = "";

    public string Address { get; set; } = "";

    /// <summary>
    /// The key this server sends (as <c>Authorization: Bearer</c>) on its sync calls to the peer: one the peer knows with
    /// role <c>peer</c> (or admin). Empty when the peer has authentication off. Kept in memory only, never stored or shown.
    /// </summary>
    public string ApiKey { get; set; } = "";

    /// <summary>
    /// Node types to pull from this peer (exact names, no subtypes): set, this server is a partial replica of them
    /// (filtered sync, <c>POST /sync/offer?node_types=…</c>); empty or absent, everything is pulled.
    /// </summary>
    public List<string>? NodeTypes { get; set; }
}

/// <summary>The <c>Silk:Gossip</c> settings: how often and how patiently this server syncs with its peers.</summary>
public sealed class GossipOptions
{
    public const string SectionName = "Silk:Gossip";

    /// <summary>Seconds between gossip rounds (each jittered by ±25 %); 0 or less turns the background rounds off.</summary>
    public double IntervalSeconds { get; set; } = 5;

    /// <summary>Timeout of one HTTP attempt to a peer.</summary>
    public double AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>Timeout of one HTTP call to a peer, retries included.</summary>
    public double CallTimeoutSeconds { get; set; } = 30;

    /// <summary>Retries of a failed call (exponential backoff with jitter); 0 for none.</summary>
    public int RetryAttempts { get; set; } = 2;

    /// <summary>Delay before the first retry; later ones double it (with jitter).</summary>
    public double RetryDelaySeconds { get; set; } = 0.1;

    /// <summary>How long a peer's circuit stays open (calls fail at once) after it failed repeatedly.</summary>
    public double BreakSeconds { get; set; } = 5;

    /// <summary>Seconds of history the circuit breaker judges a peer's failure ratio over.</summary>
    public double SamplingSeconds { get; set; } = 30;
}
