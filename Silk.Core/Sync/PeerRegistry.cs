namespace Silk.Core.Sync;

public sealed record PeerInfo(string PeerId, string Address, ulong LastSeenMs);

/// <summary>
/// The gossip peer registry (SPEC §16): known peers with the wall time of their last successful
/// sync, and the original's choice of ⌈ln N + 1⌉ distinct pseudo-random targets per round. Thread-safe.
/// </summary>
public sealed class PeerRegistry(string instanceId, TimeProvider? time = null)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, PeerInfo> _peers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Adds or replaces a peer; replacing resets its last sync time.</summary>
    public void Register(string peerId, string address)
    {
        ArgumentException.ThrowIfNullOrEmpty(peerId);
        ArgumentNullException.ThrowIfNull(address);
        lock (_lock) _peers[peerId] = new PeerInfo(peerId, address, 0);
    }

    public bool Unregister(string peerId)
    {
        lock (_lock) return _peers.Remove(peerId);
    }

    /// <summary>Peers in id order.</summary>
    public IReadOnlyList<PeerInfo> List()
    {
        lock (_lock) return _peers.Values.ToList();
    }

    /// <summary>Marks a successful sync with the peer now; an unknown peer is ignored.</summary>
    public void RecordSync(string peerId)
    {
        lock (_lock)
        {
            if (_peers.TryGetValue(peerId, out var peer)) _peers[peerId] = peer with { LastSeenMs = NowMs };
        }
    }

    /// <summary>
    /// Peers to sync this round: all of them when there are at most two, else ⌈ln N + 1⌉ distinct
    /// ones chosen by the original's generator (seed = now_ms XOR FNV-1a(instance id), then an LCG),
    /// so that two calls in the same millisecond choose alike.
    /// </summary>
    public IReadOnlyList<string> SelectSyncTargets()
    {
        string[] ids;
        lock (_lock) ids = _peers.Keys.ToArray();
        return SelectTargets(ids, NowMs ^ Fnv1a64(instanceId));
    }

    internal static IReadOnlyList<string> SelectTargets(string[] sortedIds, ulong seed)
    {
        var n = sortedIds.Length;
        if (n <= 2) return sortedIds;
        var k = Math.Min(n, (int)Math.Ceiling(Math.Log(n) + 1));
        var chosen = new List<string>(k);
        var taken = new HashSet<int>();
        var state = seed;
        while (chosen.Count < k)
        {
            state = unchecked((state * 6364136223846793005UL) + 1442695040888963407UL);
            var index = (int)((state >> 33) % (ulong)n);
            if (taken.Add(index)) chosen.Add(sortedIds[index]);
        }

        return chosen;
    }

    internal static ulong Fnv1a64(string text)
    {
        var hash = 0xcbf29ce484222325UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash = unchecked(hash * 0x100000001b3UL);
        }

        return hash;
    }

    private ulong NowMs => (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();
}
