using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Core.Sync;

/// <summary>What a peer reports after merging a payload: how many entries were new and which parents it still lacks.</summary>
public sealed record PeerMergeReport(int Inserted, IReadOnlyList<Hash> MissingParents);

/// <summary>
/// The far side of a sync exchange, however it is reached (HTTP, in process). Each call is one
/// message of the protocol; <see cref="SyncExchange"/> drives a whole bidirectional exchange.
/// </summary>
public interface ISyncPeer
{
    /// <summary>The peer's offer (its heads and bloom filter).</summary>
    Task<SyncOffer> GetOfferAsync(CancellationToken cancellationToken);

    /// <summary>What the peer has that the sender of <paramref name="offer"/> lacks.</summary>
    Task<SyncPayload> RequestPayloadAsync(SyncOffer offer, PayloadMode mode, CancellationToken cancellationToken);

    /// <summary>Hands the peer entries to merge (holding back those whose parents are missing).</summary>
    Task<PeerMergeReport> PushPayloadAsync(SyncPayload payload, CancellationToken cancellationToken);

    /// <summary>Specific entries by hash (parents a bloom false positive left out).</summary>
    Task<SyncPayload> RequestEntriesAsync(IReadOnlyList<Hash> hashes, CancellationToken cancellationToken);
}
