using System.Diagnostics.Metrics;
using Silk.Core.Diagnostics;

namespace Silk.Api.Peers;

/// <summary>
/// Sync with peers on the <c>Silk</c> meter, tagged by <c>peer</c> (its id): exchanges (and <c>outcome</c> ok or
/// error), their duration, and the body bytes sent and received.
/// </summary>
public sealed class PeerMetrics
{
    private static readonly KeyValuePair<string, object?> Ok = new("outcome", "ok");
    private static readonly KeyValuePair<string, object?> Error = new("outcome", "error");
    private static readonly KeyValuePair<string, object?> Sent = new("direction", "sent");
    private static readonly KeyValuePair<string, object?> Received = new("direction", "received");

    private readonly Counter<long> _exchanges;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _bytes;

    public PeerMetrics(SilkMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var meter = metrics.Meter;
        _exchanges = meter.CreateCounter<long>("silk.sync.exchanges", "{exchange}", "Sync exchanges with a peer (one per peer per gossip round or POST /peers/{id}/sync), by peer and outcome.");
        _duration = meter.CreateHistogram<double>("silk.sync.duration", "s", "Duration of one sync exchange with a peer, by peer.");
        _bytes = meter.CreateCounter<long>("silk.sync.bytes", "By", "Sync message body bytes exchanged with a peer, by peer and direction (sent, received).");
    }

    internal void Exchanged(string peerId, bool ok, TimeSpan elapsed, long sent, long received)
    {
        var peer = new KeyValuePair<string, object?>("peer", peerId);
        _exchanges.Add(1, peer, ok ? Ok : Error);
        _duration.Record(elapsed.TotalSeconds, peer);
        if (sent > 0) _bytes.Add(sent, peer, Sent);
        if (received > 0) _bytes.Add(received, peer, Received);
    }
}
