using Microsoft.Extensions.Time.Testing;
using Silk.Core.Entries;
using Silk.Core.Persistence;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;
using Silk.Storage;

namespace Silk.Tests.Convergence;

/// <summary>The signing set-up of one run: which peers sign (with deterministic keys) and whether peers are strict.</summary>
internal sealed record SigningSetup(IReadOnlyList<(string PeerId, string SeedHex, string PublicKeyHex)> Signers, bool Strict)
{
    public static SigningSetup None { get; } = new([], false);
}

/// <summary>
/// One simulated peer: a persistent GraphStore in its own LiteDB folder behind a fault-injecting
/// entry store, a fake wall clock with its own skew, and what it has acknowledged. Open, close
/// (restart) and crash (drop the process: nothing else is flushed, the store is simply abandoned)
/// all go through here; signing keys, trusted authors and the peer registry are in-memory state
/// and are set up again on every open, as a server would from its configuration.
/// </summary>
internal sealed class SimPeer : IDisposable
{
    private readonly string _root;
    private readonly SigningSetup _signing;
    private readonly IReadOnlyList<string> _allPeerIds;

    public SimPeer(int index, string root, SigningSetup signing, IReadOnlyList<string> allPeerIds, long startMs)
    {
        Index = index;
        _root = root;
        _signing = signing;
        _allPeerIds = allPeerIds;
        Time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(startMs));
    }

    public int Index { get; }

    public string Id => $"p{Index}";

    public FakeTimeProvider Time { get; }

    /// <summary>This peer's wall clock runs this far ahead of (or behind) simulated time.</summary>
    public long SkewMs { get; set; }

    /// <summary>Bumped when the peer is re-bootstrapped into a fresh folder.</summary>
    public int Generation { get; private set; }

    public string Folder => Path.Combine(_root, $"{Id}-g{Generation}");

    public GraphStore? Store { get; private set; }

    public FaultyEntryStore? Storage { get; private set; }

    public bool IsUp => Store is not null;

    /// <summary>The step at which a peer that is down comes back.</summary>
    public int DownUntilStep { get; set; }

    /// <summary>Every hash this peer acknowledged (a write that returned, a merge that reported it) since the last compaction.</summary>
    public HashSet<Hash> Acknowledged { get; } = [];

    /// <summary>A tail consumer's persisted cursor (the frontier of what it has seen) ...</summary>
    public IReadOnlyList<Hash> TailCursor { get; set; } = [];

    /// <summary>... and every entry it was handed since its cursor was last reset (compaction, re-bootstrap).</summary>
    public HashSet<Hash> TailDelivered { get; } = [];

    /// <summary>Whether the armed storage fault kills the process (else it is an I/O error the process survives).</summary>
    public bool FaultKills { get; set; }

    /// <summary>Whether the simulation has already reacted to the current storage's tripped fault.</summary>
    public bool TripHandled { get; set; }

    public GraphStore S => Store ?? throw new InvalidOperationException($"{Id} is down");

    public int MaxPendingEntries { get; init; } = 100_000;

    /// <summary>Change events the peer's subscriber received.</summary>
    public long EventsSeen { get; private set; }

    /// <summary>Use the async write and merge paths (awaited at once: the simulation stays single-threaded).</summary>
    public bool UseAsync { get; set; }

    public GraphStoreOptions Options => new() { Time = Time, MaxPendingEntries = MaxPendingEntries };

    /// <summary>Moves the wall clock to simulated time plus skew; it never runs backwards.</summary>
    public void SyncClock(long nowMs)
    {
        var target = DateTimeOffset.FromUnixTimeMilliseconds(nowMs + SkewMs);
        if (target > Time.GetUtcNow()) Time.SetUtcNow(target);
    }

    /// <summary>Opens the peer's folder (creating a store with its own genesis when it is empty).</summary>
    public void Open()
    {
        if (IsUp) throw new InvalidOperationException($"{Id} is already up");
        Storage = new FaultyEntryStore(new LiteDbEntryStore(Folder, DurabilityMode.Process));
        TripHandled = false;
        try
        {
            Store = GraphStore.Open(Storage, FuzzSchema.Ontology, Id, Options);
        }
        catch
        {
            Storage.Dispose();
            Storage = null;
            throw;
        }

        Configure();
    }

    /// <summary>
    /// A new folder seeded with a snapshot's entries, then opened: the persistent form of
    /// <see cref="GraphStore.FromSnapshot"/> (the store re-verifies everything on open).
    /// </summary>
    public void OpenFromSnapshot(Snapshot snapshot)
    {
        if (IsUp) throw new InvalidOperationException($"{Id} is already up");
        Generation++;
        ResetTail();
        using (var seed = new LiteDbEntryStore(Folder, DurabilityMode.Process))
        {
            seed.SetMetadata(GraphStore.InstanceIdKey, Id);
            seed.Append(snapshot.Entries.Select((e, i) => new StoredEntry(i, e.Hash, e.ToBytes())).ToList());
        }

        Open();
    }

    /// <summary>A fresh folder whose store has its own genesis, then merges the snapshot (adopting a checkpoint, or adding a second root).</summary>
    public MergeResult OpenFreshAndMerge(Snapshot snapshot)
    {
        if (IsUp) throw new InvalidOperationException($"{Id} is already up");
        Generation++;
        ResetTail();
        Open();
        return S.Merge(snapshot.Entries);
    }

    /// <summary>The log was replaced: the consumer starts again from the beginning.</summary>
    public void ResetTail()
    {
        TailCursor = [];
        TailDelivered.Clear();
    }

    private void Configure()
    {
        var store = S;
        if (_signing.Signers.FirstOrDefault(s => s.PeerId == Id) is { SeedHex: { } seed }) store.SetSigningKey(seed);
        foreach (var (peerId, _, publicKey) in _signing.Signers) store.RegisterTrustedAuthor(peerId, publicKey);
        store.RequireSignatures = _signing.Strict;

        // A careless subscriber: it throws now and then, which must never affect a write or a merge.
        store.Subscribe(e =>
        {
            if (++EventsSeen % 5 == 0) throw new InvalidOperationException($"subscriber fails on {e.Hash.ToHex()}");
        });
        foreach (var peer in _allPeerIds)
        {
            if (peer != Id) store.Peers.Register(peer, $"sim://{peer}");
        }
    }

    /// <summary>Clean shutdown.</summary>
    public void Close()
    {
        Store?.Dispose();
        Store = null;
        Storage = null;
    }

    /// <summary>
    /// The process dies. Writes are synchronous, so nothing acknowledged is in flight; whatever a
    /// failed commit left in memory is lost with the process.
    /// </summary>
    public void Crash() => Close();

    /// <summary>Everything this peer acknowledged that it no longer has.</summary>
    public IReadOnlyList<Hash> LostAcknowledged() => Acknowledged.Where(h => S.GetEntry(h) is null).Order().ToList();

    public Entry? Root => Store?.EntriesSince(null) is { Count: > 0 } all ? all[0] : null;

    public void Dispose() => Close();
}
