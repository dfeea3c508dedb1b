using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>
/// A peer in the same process. Every message still travels as the protocol's bytes, so exchanges
/// through it exercise the same encoding a network peer sees.
/// </summary>
public sealed class LocalSyncPeer(GraphStore store) : ISyncPeer
{
    public Task<SyncOffer> GetOfferAsync(CancellationToken cancellationToken) =>
        Task.FromResult(SyncOffer.Decode(store.GenerateOffer().ToBytes()));

    public Task<SyncPayload> RequestPayloadAsync(SyncOffer offer, PayloadMode mode, CancellationToken cancellationToken)
    {
        var received = SyncOffer.Decode(offer.ToBytes());
        return Task.FromResult(SyncPayload.Decode(store.ComputePayload(received, mode).ToBytes(received.EntryFormForReply)));
    }

    public async Task<PeerMergeReport> PushPayloadAsync(SyncPayload payload, CancellationToken cancellationToken)
    {
        var result = await store.MergeAsync(SyncPayload.Decode(payload.ToBytes()), holdUnresolved: true, cancellationToken).ConfigureAwait(false);
        return new PeerMergeReport(result.Inserted, result.MissingParents);
    }

    public Task<SyncPayload> RequestEntriesAsync(IReadOnlyList<Hash> hashes, CancellationToken cancellationToken) =>
        Task.FromResult(SyncPayload.Decode(store.EntriesFor(hashes).ToBytes()));
}
