using Silk.Core.Sync;

namespace Silk.Core.Store;

/// <summary>The outcome of one bidirectional exchange.</summary>
public sealed record ExchangeResult(int Pulled, int Pushed, int Rounds, IReadOnlyList<DroppedEntry> Dropped)
{
    /// <summary>Of the pulled entries, those that landed in quarantine here.</summary>
    public int Quarantined { get; init; }
}

/// <summary>
/// One bidirectional exchange between a local store and a peer: pull (send our offer, merge their
/// payload) and push (fetch their offer, send our payload), each followed by extra rounds for any
/// parents still missing — in delta mode a bloom false positive can leave one out. Stops after
/// <see cref="MaxNeedRounds"/> rounds so a misbehaving peer cannot keep it busy.
/// </summary>
public static class SyncExchange
{
    public const int MaxNeedRounds = 16;

    public static async Task<ExchangeResult> RunAsync(GraphStore local, ISyncPeer peer, PayloadMode mode = PayloadMode.Delta, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(peer);
        var hold = mode == PayloadMode.Delta;
        var rounds = 0;

        var pulledPayload = await peer.RequestPayloadAsync(local.GenerateOffer(), mode, cancellationToken).ConfigureAwait(false);
        var merged = await local.MergeAsync(pulledPayload, hold, cancellationToken).ConfigureAwait(false);
        var pulled = merged.Inserted;
        var quarantined = merged.Quarantined;
        var dropped = new List<DroppedEntry>(merged.Dropped);
        rounds++;
        while (merged.MissingParents.Count > 0 && rounds < MaxNeedRounds)
        {
            var more = await peer.RequestEntriesAsync(merged.MissingParents, cancellationToken).ConfigureAwait(false);
            if (more.Entries.Count == 0) break;
            merged = await local.MergeAsync(more, hold, cancellationToken).ConfigureAwait(false);
            pulled += merged.Inserted;
            quarantined += merged.Quarantined;
            dropped.AddRange(merged.Dropped);
            rounds++;
        }

        var theirOffer = await peer.GetOfferAsync(cancellationToken).ConfigureAwait(false);
        var pushedPayload = local.ComputePayload(theirOffer, mode);
        var pushed = 0;
        if (pushedPayload.Entries.Count > 0)
        {
            var report = await peer.PushPayloadAsync(pushedPayload, cancellationToken).ConfigureAwait(false);
            pushed += report.Inserted;
            rounds++;
            var pushRounds = 0;
            while (report.MissingParents.Count > 0 && pushRounds++ < MaxNeedRounds)
            {
                var more = local.EntriesFor(report.MissingParents);
                if (more.Entries.Count == 0) break;
                report = await peer.PushPayloadAsync(more, cancellationToken).ConfigureAwait(false);
                pushed += report.Inserted;
                rounds++;
            }
        }

        return new ExchangeResult(pulled, pushed, rounds, dropped) { Quarantined = quarantined };
    }
}
