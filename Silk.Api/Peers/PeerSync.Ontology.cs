using Silk.Api.Diagnostics;
using Silk.Api.Ontology;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Api.Peers;

/// <summary>The advisory ontology comparison made before each exchange.</summary>
public sealed partial class PeerSync
{
    /// <summary>
    /// Compares this store's ontology with the peer's as both stand before the exchange (the original's
    /// <c>check_ontology_compatibility</c>: it tells what the exchange is about to reconcile) and keeps the verdict for
    /// <c>GET /peers</c>. Nothing depends on it: the exchange runs whatever it says, as in the original. A peer becoming
    /// divergent is logged once, until its verdict changes. A peer that does not tell (an older server answering 404,
    /// an answer that does not read) leaves the verdict unknown; a peer that cannot be reached fails the exchange as
    /// its first call would.
    /// </summary>
    private async Task<OntologyCompatibility?> CompareOntologiesAsync(string peerId, HttpSyncPeer remote, CancellationToken cancellationToken)
    {
        OntologyFacts? theirs;
        try
        {
            theirs = await remote.GetOntologyFactsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException { StatusCode: not null } or System.Text.Json.JsonException)
        {
            LogOntologyUnknown(logger, peerId, ex.Message);
            return null;
        }

        if (theirs is not { Hash: { } theirHash, Fingerprint: { } facts } || !Hash.TryParseHex(theirHash, out _) || facts.Any(f => f is null))
        {
            LogOntologyUnknown(logger, peerId, "the answer of GET /sync/ontology has no valid hash and fingerprint");
            return null;
        }

        var (ontology, ourHash) = host.Store.ReadGraph(g => (g.Ontology, g.OntologyHash));
        var verdict = OntologyRules.CheckCompatibility(ontology, theirHash, facts);
        var previous = peers.RecordOntology(peerId, theirHash.ToLowerInvariant(), verdict);
        if (verdict == OntologyCompatibility.Divergent && previous != OntologyCompatibility.Divergent)
        {
            LogOntologyDivergent(logger, peerId, theirHash.ToLowerInvariant(), ourHash.ToHex());
        }

        return verdict;
    }

    [LoggerMessage(EventId = LogEvents.OntologyDivergent, Level = LogLevel.Warning,
        Message = "The ontology of peer {PeerId} ({PeerOntologyHash}) and ours ({OntologyHash}) have diverged: each has types or rules the other lacks. Sync goes on; entries our ontology refuses are quarantined here")]
    private static partial void LogOntologyDivergent(ILogger logger, string peerId, string peerOntologyHash, string ontologyHash);

    [LoggerMessage(EventId = LogEvents.SyncExchange, Level = LogLevel.Debug, Message = "Peer {PeerId} did not tell its ontology: {Reason}")]
    private static partial void LogOntologyUnknown(ILogger logger, string peerId, string reason);
}
