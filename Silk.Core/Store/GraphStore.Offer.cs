using Silk.Core.Sync;

namespace Silk.Core.Store;

/// <summary>
/// This store's sync offer, built once per state of the log and clock. Peers and monitors ask for it every few
/// seconds, and building it hashes every entry into a bloom filter whose size follows the entry count (so it cannot
/// be grown in place and stay the original's bytes); between changes the same offer, and its encoding, are served again.
/// </summary>
public sealed partial class GraphStore
{
    private readonly Lock _offerBuild = new();
    private CachedOffer? _offer;

    /// <summary>An offer with its encoding, valid while the log's next sequence and the clock are what they were.</summary>
    private sealed record CachedOffer(long NextSequence, ulong PhysicalMs, uint Logical, SyncOffer Offer, byte[] Bytes);

    /// <summary>This store's offer: its heads, a bloom filter over every entry hash, its clock. The caller may change it.</summary>
    public SyncOffer GenerateOffer() => Read(() =>
    {
        var offer = CurrentOffer().Offer;
        return offer with { Heads = offer.Heads.ToArray(), Bloom = offer.Bloom.Copy() };
    });

    /// <summary>The MessagePack bytes of <see cref="GenerateOffer"/>, shared between callers: do not change them.</summary>
    public ReadOnlyMemory<byte> GenerateOfferBytes() => Read(() => CurrentOffer().Bytes);

    /// <summary>Under the read lock (the log cannot change): the cached offer, or a new one when the log or clock moved.</summary>
    private CachedOffer CurrentOffer()
    {
        // The log's next sequence grows with every append and with a checkpoint replacing the log, so it names its state.
        var next = _log.NextSequence;
        var clock = _clock.Current;
        if (Volatile.Read(ref _offer) is { } cached && cached.NextSequence == next && cached.PhysicalMs == clock.PhysicalMs && cached.Logical == clock.Logical) return cached;
        lock (_offerBuild)
        {
            if (_offer is { } built && built.NextSequence == next && built.PhysicalMs == clock.PhysicalMs && built.Logical == clock.Logical) return built;
            var bloom = BloomFilter.Build(Math.Max((ulong)_log.Count, SyncLimits.BloomMinimumItems), SyncLimits.BloomFalsePositiveRate, _log.Count, _log.HashAt);
            var offer = new SyncOffer(SyncLimits.ProtocolVersion, _log.Heads, bloom, clock.PhysicalMs, clock.Logical);
            var fresh = new CachedOffer(next, clock.PhysicalMs, clock.Logical, offer, offer.ToBytes());
            Volatile.Write(ref _offer, fresh);
            return fresh;
        }
    }
}
