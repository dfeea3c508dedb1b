using System.Diagnostics;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Silk.Api.Diagnostics;
using Silk.Api.Hosting;
using Silk.Core.Persistence;
using Silk.Core.Schema;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Api.Peers;

/// <summary>The outcome of one exchange with one peer.</summary>
/// <param name="PeerId">The peer.</param>
/// <param name="Ok">Whether the exchange completed.</param>
/// <param name="Pulled">Entries received and new here.</param>
/// <param name="Pushed">Entries sent and new at the peer.</param>
/// <param name="Rounds">Messages exchanged that carried entries (need rounds included).</param>
/// <param name="Dropped">Received entries left out by a filter.</param>
/// <param name="ElapsedMs">Duration of the exchange.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="BytesReceived">Sync message bytes received from the peer in this exchange.</param>
/// <param name="BytesSent">Sync message bytes sent to the peer in this exchange.</param>
/// <param name="NodeTypes">The node types pulled (a partial replica's peer), null when everything is.</param>
/// <param name="OntologyCompatibility">This store's ontology against the peer's, compared before the exchange (null when the peer does not tell, or the exchange failed).</param>
public sealed record PeerSyncOutcome(
    string PeerId, bool Ok, int Pulled, int Pushed, int Rounds, int Dropped, double ElapsedMs, string? Error,
    long BytesReceived, long BytesSent, IReadOnlyList<string>? NodeTypes, OntologyCompatibility? OntologyCompatibility = null);

/// <summary>The outcome of one gossip round.</summary>
/// <param name="Targets">One outcome per peer chosen for the round (⌈ln N + 1⌉ of N peers; all when N ≤ 2).</param>
public sealed record GossipRoundResult(IReadOnlyList<PeerSyncOutcome> Targets);

/// <summary>
/// Runs exchanges with peers: one <see cref="SyncExchange"/> (pull, push, need rounds, in delta mode)
/// through an <see cref="HttpSyncPeer"/> on the named client <see cref="HttpClientName"/>, whose
/// resilience pipeline (timeouts, retries, a circuit breaker per peer) is set up in <see cref="PeersSetup"/>.
/// From a peer with node types (<c>Silk:Peers:&lt;i&gt;:NodeTypes</c>) only those are pulled.
/// Success is recorded in the store's peer registry (compaction safety) and in the peer's counters. Before each
/// exchange the two ontologies are compared (advisory, see <see cref="CompareOntologiesAsync"/>).
/// </summary>
public sealed partial class PeerSync(StoreHost host, PeerDirectory peers, IHttpClientFactory clients, PeerMetrics metrics, ILogger<PeerSync> logger)
{
    public const string HttpClientName = "silk-peers";

    /// <summary>A peer that keeps failing is logged at most this often (with the count of failures in between).</summary>
    internal static readonly TimeSpan FailureLogInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _failureLock = new();
    private readonly Dictionary<string, (long LoggedAt, int Suppressed)> _failureLog = new(StringComparer.Ordinal);

    /// <summary>One exchange with a known peer; null when the peer is unknown.</summary>
    public async Task<PeerSyncOutcome?> SyncAsync(string peerId, CancellationToken cancellationToken)
    {
        if (peers.Get(peerId) is not { } peer) return null;
        var clock = Stopwatch.StartNew();
        var nodeTypes = peers.NodeTypesOf(peerId);
        var remote = new HttpSyncPeer(clients.CreateClient(HttpClientName), new Uri(peer.Address), peers.ApiKeyOf(peerId), nodeTypes);
        try
        {
            var compatibility = await CompareOntologiesAsync(peerId, remote, cancellationToken);
            var result = await SyncExchange.RunAsync(host.Store, remote, PayloadMode.Delta, cancellationToken);
            var failuresBefore = peer.ConsecutiveFailures;
            peers.RecordSuccess(peerId, result, remote.BytesSent, remote.BytesReceived);
            metrics.Exchanged(peerId, ok: true, clock.Elapsed, remote.BytesSent, remote.BytesReceived);
            LogExchanged(logger, peerId, result.Pulled, result.Pushed, remote.BytesSent, remote.BytesReceived, clock.Elapsed.TotalMilliseconds);
            if (failuresBefore > 0) Recovered(peerId, failuresBefore);
            if (result.Dropped.Count > 0) LogEntriesDropped(logger, peerId, result.Dropped.Count, result.Dropped[0].Reason);
            if (result.Quarantined > 0)
            {
                var source = $"peer {peerId}";
                StoreLog.Quarantined(logger, result.Quarantined, result.Pulled, source);
            }

            return new PeerSyncOutcome(peerId, true, result.Pulled, result.Pushed, result.Rounds, result.Dropped.Count, clock.Elapsed.TotalMilliseconds, null,
                remote.BytesReceived, remote.BytesSent, nodeTypes, compatibility);
        }
        catch (Exception ex) when (IsPeerFailure(ex, cancellationToken))
        {
            var error = Describe(ex);
            peers.RecordFailure(peerId, error, remote.BytesSent, remote.BytesReceived);
            metrics.Exchanged(peerId, ok: false, clock.Elapsed, remote.BytesSent, remote.BytesReceived);
            Failed(peerId, error);
            return new PeerSyncOutcome(peerId, false, 0, 0, 0, 0, clock.Elapsed.TotalMilliseconds, error, remote.BytesReceived, remote.BytesSent, nodeTypes);
        }
    }

    /// <summary>
    /// A dead peer fails every gossip round (every few seconds, for hours): the first failure is logged, then at
    /// most one line per <see cref="FailureLogInterval"/> saying how many failures it stands for.
    /// </summary>
    private void Failed(string peerId, string error)
    {
        var now = Stopwatch.GetTimestamp();
        int suppressed;
        lock (_failureLock)
        {
            if (_failureLog.TryGetValue(peerId, out var last) && Stopwatch.GetElapsedTime(last.LoggedAt, now) < FailureLogInterval)
            {
                _failureLog[peerId] = last with { Suppressed = last.Suppressed + 1 };
                return;
            }

            suppressed = last.Suppressed;
            _failureLog[peerId] = (now, 0);
        }

        LogExchangeFailed(logger, peerId, error, suppressed);
    }

    private void Recovered(string peerId, int failures)
    {
        lock (_failureLock) _failureLog.Remove(peerId);
        LogRecovered(logger, peerId, failures);
    }

    /// <summary>One gossip round: the registry's pick of targets, synced concurrently.</summary>
    public async Task<GossipRoundResult> RunRoundAsync(CancellationToken cancellationToken)
    {
        var targets = host.Store.Peers.SelectSyncTargets();
        var outcomes = await Task.WhenAll(targets.Select(t => SyncAsync(t, cancellationToken)));
        return new GossipRoundResult(outcomes.OfType<PeerSyncOutcome>().ToList());
    }

    /// <summary>What a peer (or the way to it) can do wrong; our own shutdown is not its failure.</summary>
    private static bool IsPeerFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or WireFormatException or SyncRejectedException or BrokenCircuitException or TimeoutRejectedException
            or System.Text.Json.JsonException or StoreFaultedException or IOException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static string Describe(Exception ex) => ex switch
    {
        BrokenCircuitException => $"circuit open: the peer failed repeatedly and is not called for a while ({ex.Message})",
        TimeoutRejectedException => $"timed out: {ex.Message}",
        HttpRequestException { InnerException: { } inner } http when http.StatusCode is null => $"{http.Message} ({inner.Message})",
        _ => ex.Message,
    };

    // Strict mode or a bad signature: the operator should see that a peer's entries are being refused, and why.
    [LoggerMessage(EventId = LogEvents.EntriesDropped, Level = LogLevel.Warning, Message = "Sync with peer {PeerId} dropped {Count} received entries; the first: {Reason}")]
    private static partial void LogEntriesDropped(ILogger logger, string peerId, int count, string reason);

    [LoggerMessage(EventId = LogEvents.PeerFailed, Level = LogLevel.Warning,
        Message = "Sync with peer {PeerId} failed: {Error} ({Suppressed} earlier failures not logged)")]
    private static partial void LogExchangeFailed(ILogger logger, string peerId, string error, int suppressed);

    [LoggerMessage(EventId = LogEvents.PeerRecovered, Level = LogLevel.Information, Message = "Sync with peer {PeerId} works again after {Failures} failed exchanges")]
    private static partial void LogRecovered(ILogger logger, string peerId, int failures);

    [LoggerMessage(EventId = LogEvents.SyncExchange, Level = LogLevel.Debug,
        Message = "Synced with peer {PeerId}: {Pulled} entries pulled, {Pushed} pushed, {BytesSent} bytes sent, {BytesReceived} received, {ElapsedMs:F1} ms")]
    private static partial void LogExchanged(ILogger logger, string peerId, int pulled, int pushed, long bytesSent, long bytesReceived, double elapsedMs);
}
