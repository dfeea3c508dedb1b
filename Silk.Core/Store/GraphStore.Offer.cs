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

    // Once offers are asked for: every entry's bloom probe seeds (the two little-endian words of its hash) in arrival
    // order, kept up to date at each build, so that a build reads one contiguous array instead of one entry after another.
    private ulong[] _probeSeeds = [];
    private int _seededEntries;
    private long _seededFirstSequence = -1;

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
            UpdateProbeSeeds();
            var bloom = BloomFilter.Build(Math.Max((ulong)_log.Count, SyncLimits.BloomMinimumItems), SyncLimits.BloomFalsePositiveRate, _probeSeeds, _log.Count);
            var offer = new SyncOffer(SyncLimits.ProtocolVersion, _log.Heads, bloom, clock.PhysicalMs, clock.Logical);
            var fresh = new CachedOffer(next, clock.PhysicalMs, clock.Logical, offer, offer.ToBytes());
            Volatile.Write(ref _offer, fresh);
            return fresh;
        }
    }

    /// <summary>Holding the offer lock, under the read lock: seeds for the entries appended since the last build (all of them after a checkpoint replaced the log).</summary>
    private void UpdateProbeSeeds()
    {
        var count = _log.Count;
        if (_seededFirstSequence != _log.FirstSequence || _probeSeeds.Length > 8L * Math.Max(count, 1024))
        {
            _seededFirstSequence = _log.FirstSequence;
            _seededEntries = 0;
            _probeSeeds = [];
        }

        if (_probeSeeds.Length < 2L * count) Array.Resize(ref _probeSeeds, (int)Math.Min(Array.MaxLength, Math.Max(2L * count, _probeSeeds.Length * 3L / 2)));
        for (var i = _seededEntries; i < count; i++)
        {
            var hash = _log.HashAt(i);
            _probeSeeds[2 * i] = hash.LittleEndianWord0;
            _probeSeeds[(2 * i) + 1] = hash.LittleEndianWord1;
        }

        _seededEntries = count;
    }
}
