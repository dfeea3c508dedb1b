using System.Globalization;
using Silk.Core.Persistence;
using Silk.Core.Signing;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Tests.Convergence;

/// <summary>A run found a divergence, a lost acknowledged write, or a broken invariant.</summary>
internal sealed class FuzzFailure(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One seeded run: 3-7 persistent peers, a random workload, a hostile network and peer faults;
/// then calm, full exchanges until quiescent, and the convergence checks. Every decision comes
/// from one <see cref="Random"/> seeded with the run's seed and every clock is a fake one, so a
/// seed replays the same run (the only non-seeded thing is the temp folder's name).
/// </summary>
internal sealed partial class ConvergenceSimulation : IDisposable
{
    public const long StartMs = 1_700_000_000_000;
    private const int TraceLines = 300;

    private readonly int _seed;
    private readonly Random _rng;
    private readonly FuzzStats _stats;
    private readonly string _root;
    private readonly List<SimPeer> _peers = [];
    private readonly SimNetwork _net;
    private readonly Queue<string> _trace = new();
    private readonly HashSet<Hash> _mustNeverAppear = [];
    private readonly SigningSetup _signing;
    private readonly int _steps;
    private readonly int _maxPending;
    private readonly List<string>? _fullTrace;
    private long _now = StartMs;
    private int _step;
    private int _epoch;

    public ConvergenceSimulation(int seed, FuzzStats stats, string workRoot, List<string>? fullTrace = null)
    {
        _fullTrace = fullTrace;
        _seed = seed;
        _rng = new Random(seed);
        _stats = stats;
        _root = Path.Combine(workRoot, $"silk-fuzz-{seed}-{Guid.NewGuid():N}");
        _net = new SimNetwork(_rng, stats);
        var peerCount = _rng.Next(3, 8);
        _steps = _rng.Next(10) == 0 ? _rng.Next(150, 260) : _rng.Next(40, 90);
        var ids = Enumerable.Range(0, peerCount).Select(i => $"p{i}").ToList();
        _signing = ChooseSigning(ids);
        // Sometimes a tiny pending buffer, so that held-back entries get evicted and must be fetched again.
        _maxPending = _rng.Next(4) == 0 ? _rng.Next(1, 6) : 100_000;
        for (var i = 0; i < peerCount; i++) _peers.Add(new SimPeer(i, _root, _signing, ids, StartMs) { MaxPendingEntries = _maxPending });
    }

    public static string ReproduceCommand(int seed) =>
        $"SILK_FUZZ_SEED={seed} dotnet test Silk.Web.sln --filter FullyQualifiedName~ConvergenceFuzz";

    /// <summary>Runs the seed; throws <see cref="FuzzFailure"/> (with the seed, a reproduction command and the last events) on any violation.</summary>
    public static void Run(int seed, FuzzStats stats, string workRoot, List<string>? fullTrace = null)
    {
        using var sim = new ConvergenceSimulation(seed, stats, workRoot, fullTrace);
        sim.Execute();
    }

    private void Execute()
    {
        try
        {
            Setup();
            for (_step = 1; _step <= _steps; _step++) Tick();
            Calm();
            FinalChecks();
            _stats.Add(FuzzCounter.Runs);
            _stats.Add(FuzzCounter.Steps, _steps);
        }
        catch (FuzzFailure ex)
        {
            throw Fail(ex.Message, ex.InnerException);
        }
        catch (Exception ex)
        {
            throw Fail($"unexpected {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    private SigningSetup ChooseSigning(List<string> ids)
    {
        var roll = _rng.Next(100);
        if (roll < 50) return SigningSetup.None;
        var strict = roll >= 85;
        var signers = new List<(string, string, string)>();
        foreach (var id in ids)
        {
            if (!strict && _rng.Next(2) == 0) continue;
            var seed = new byte[32];
            _rng.NextBytes(seed);
            var seedHex = Convert.ToHexStringLower(seed);
            using var key = SigningKey.FromSeedHex(seedHex);
            signers.Add((id, seedHex, key.PublicKeyHex));
        }

        _stats.Add(FuzzCounter.SignedRuns);
        if (strict) _stats.Add(FuzzCounter.StrictSignatureRuns);
        return new SigningSetup(signers, strict);
    }

    private void Setup()
    {
        _stats.Add(FuzzCounter.Peers, _peers.Count);
        if (_maxPending < 100_000) _stats.Add(FuzzCounter.SmallPendingBufferRuns);
        var first = _peers[0];
        first.Open();
        var multiRoot = _rng.Next(4) == 0;
        if (multiRoot) _stats.Add(FuzzCounter.MultiRootRuns);
        var snapshot = Snapshot.Decode(first.S.ExportSnapshot().ToBytes());
        foreach (var peer in _peers.Skip(1))
        {
            if (multiRoot && _rng.Next(2) == 0)
            {
                // Its own genesis plus the first peer's: a log with two roots, as independently created peers get.
                var result = peer.OpenFreshAndMerge(snapshot);
                AcknowledgeMerged(peer, snapshot.Entries.Select(e => e.Hash));
                Trace($"{peer.Id} bootstrapped with its own genesis + snapshot ({result.Inserted} merged)");
            }
            else
            {
                peer.OpenFromSnapshot(snapshot);
                Trace($"{peer.Id} bootstrapped from snapshot of {first.Id}");
            }
        }

        Trace($"seed {_seed}: {_peers.Count} peers, {_steps} steps, signing {(_signing.Signers.Count == 0 ? "off" : $"{_signing.Signers.Count} signers{(_signing.Strict ? " strict" : "")}")}, multi-root {multiRoot}, pending buffer {_maxPending}");
    }

    private void Tick()
    {
        _now += _rng.Next(1, 60);
        foreach (var peer in _peers) peer.SyncClock(_now);
        foreach (var peer in _peers)
        {
            if (!peer.IsUp && peer.DownUntilStep <= _step) Reopen(peer, "comes back");
        }

        foreach (var message in _net.TakeDue(_step)) Deliver(message);
        if (_rng.Next(4) == 0 && RandomUpPeer() is { } consumer) ReadTail(consumer, _rng.Next(1, 9));
        if (_rng.Next(40) == 0 && RandomUpPeer() is { } judge) Revalidate(judge);
        if (_rng.Next(10) == 0) _peers[_rng.Next(_peers.Count)].UseAsync ^= true;
        var roll = _rng.Next(100);
        switch (roll)
        {
            case < 36:
                if (RandomUpPeer() is { } writer) LocalWrite(writer);
                break;
            case < 62:
                StartRandomSync();
                break;
            case < 65:
                PartitionOrHeal();
                break;
            case < 68:
                Restart();
                break;
            case < 71:
                ArmStorageFault();
                break;
            case < 74:
                ChangeSkew();
                break;
            case < 78:
                InjectInvalid();
                break;
            case < 80:
                if (_rng.Next(2) == 0) InjectForged();
                else InjectOrphan();
                break;
            case < 81:
                InjectFuture();
                break;
            case < 85:
                if (RandomUpPeer() is { } extender) Extend(extender);
                break;
            case < 89:
                ConflictBurst();
                break;
            case < 92:
                CompactionAttempt();
                break;
            default:
                StartRandomSync();
                break;
        }
    }

    private SimPeer? RandomUpPeer()
    {
        var up = _peers.Where(p => p.IsUp).ToList();
        return up.Count == 0 ? null : up[_rng.Next(up.Count)];
    }

    // ---------------------------------------------------------------- faults

    private void PartitionOrHeal()
    {
        if (_net.Groups is not null && _rng.Next(10) < 7)
        {
            _net.Groups = null;
            _stats.Add(FuzzCounter.PartitionHeals);
            Trace("partition healed");
            return;
        }

        var groupCount = _rng.Next(2, Math.Min(3, _peers.Count) + 1);
        var groups = new int[_peers.Count];
        for (var i = 0; i < groups.Length; i++) groups[i] = _rng.Next(groupCount);
        groups[_rng.Next(groups.Length)] = (groups[0] + 1) % groupCount; // at least two groups
        _net.Groups = groups;
        _stats.Add(FuzzCounter.Partitions);
        Trace($"partition [{string.Join(",", groups)}]");
    }

    private void Restart()
    {
        if (RandomUpPeer() is not { } peer) return;
        var crash = _rng.Next(2) == 0;
        if (crash) peer.Crash();
        else peer.Close();
        _stats.Add(FuzzCounter.Restarts);
        peer.DownUntilStep = _step + _rng.Next(0, 7);
        Trace($"{peer.Id} {(crash ? "crashes" : "shuts down")} until step {peer.DownUntilStep}");
        if (peer.DownUntilStep == _step) Reopen(peer, "restarts at once");
    }

    private void ArmStorageFault()
    {
        if (RandomUpPeer() is not { Storage: { } storage } peer || storage.Tripped) return;
        storage.Armed = _rng.Next(2) == 0 ? StorageFault.LoseBatch : StorageFault.PersistThenFail;
        peer.FaultKills = _rng.Next(2) == 0;
        Trace($"{peer.Id}: next commit fails ({storage.Armed}, {(peer.FaultKills ? "process dies" : "I/O error, process lives")})");
    }

    private void ChangeSkew()
    {
        var peer = _peers[_rng.Next(_peers.Count)];
        peer.SkewMs = _rng.Next(100) < 85 ? _rng.Next(-3000, 3000) : _rng.Next(1_050_000, 1_400_000);
        peer.SyncClock(_now);
        _stats.Add(FuzzCounter.ClockSkewChanges);
        Trace($"{peer.Id} clock skew {peer.SkewMs} ms");
    }

    /// <summary>Brings a peer back and checks that everything it acknowledged survived.</summary>
    private void Reopen(SimPeer peer, string why)
    {
        peer.Close();
        peer.Open();
        peer.SyncClock(_now);
        Trace($"{peer.Id} {why}: {peer.S.EntryCount} entries");
        var lost = peer.LostAcknowledged();
        if (lost.Count > 0)
        {
            throw new FuzzFailure($"{peer.Id} lost {lost.Count} acknowledged entries across a restart: {string.Join(", ", lost.Take(5).Select(Short))}");
        }

        ExpectIntegrity(peer);
    }

    /// <summary>
    /// The peer's tail consumer reads past its cursor (decision D4): every entry exactly once, parents
    /// before children, only what was acknowledged, and a cursor that stays valid across restarts.
    /// </summary>
    private int ReadTail(SimPeer peer, int maxCount)
    {
        Silk.Core.Log.TailRead read;
        try
        {
            read = peer.S.Read(peer.TailCursor, maxCount);
        }
        catch (Silk.Core.Log.TailCursorStaleException ex)
        {
            throw new FuzzFailure($"{peer.Id}: the tail cursor went stale without a compaction: {ex.Message}", ex);
        }

        foreach (var entry in read.Entries)
        {
            if (!peer.TailDelivered.Add(entry.Hash)) throw new FuzzFailure($"{peer.Id}: the tail delivered {Short(entry.Hash)} twice");
            foreach (var parent in entry.Next)
            {
                if (!peer.TailDelivered.Contains(parent)) throw new FuzzFailure($"{peer.Id}: the tail delivered {Short(entry.Hash)} before its parent {Short(parent)}");
            }
        }

        peer.TailCursor = read.Cursor;
        _stats.Add(FuzzCounter.TailEntriesDelivered, read.Entries.Count);
        return read.Entries.Count;
    }

    /// <summary>Quarantine is a function of the log: judging everything again changes nothing.</summary>
    private void Revalidate(SimPeer peer)
    {
        var before = State(peer);
        if (Call(peer, s => s.Revalidate(), out var released, out var error) == Outcome.Failed && error is not StoreFaultedException)
        {
            throw new FuzzFailure($"{peer.Id} revalidate threw {error!.GetType().Name}: {error.Message}", error);
        }

        _stats.Add(FuzzCounter.Revalidations);
        if (peer.IsUp && (released != 0 || State(peer) != before)) throw new FuzzFailure($"{peer.Id}: revalidate released {released} entries / changed the graph");
    }

    private void ExpectIntegrity(SimPeer peer)
    {
        var errors = peer.S.VerifyIntegrity();
        if (errors.Count > 0) throw new FuzzFailure($"{peer.Id} integrity: {string.Join("; ", errors)}");
    }

    // ---------------------------------------------------------------- store calls under injected faults

    private enum Outcome
    {
        Ok,
        Failed,
        Died,
    }

    /// <summary>
    /// Calls into a peer's store. An injected storage fault either kills the process (the call's
    /// result is void, the peer restarts later) or is an I/O error the process survives (the
    /// result stands as returned; the store is faulted and restarted when it refuses a call).
    /// </summary>
    private Outcome Call<T>(SimPeer peer, Func<GraphStore, T> call, out T? result, out Exception? error)
    {
        result = default;
        error = null;
        try
        {
            result = call(peer.S);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        if (peer.Storage is { Tripped: true } && !peer.TripHandled)
        {
            peer.TripHandled = true;
            if (peer.FaultKills)
            {
                _stats.Add(FuzzCounter.CrashesDuringCommit);
                peer.Crash();
                peer.DownUntilStep = _step + _rng.Next(0, 4);
                Trace($"{peer.Id} died during a commit ({error?.GetType().Name ?? "call returned"}); down until {peer.DownUntilStep}");
                if (peer.DownUntilStep == _step) Reopen(peer, "restarts after the crash");
                result = default;
                error = null;
                return Outcome.Died;
            }

            _stats.Add(FuzzCounter.IoFailuresDuringCommit);
            Trace($"{peer.Id} I/O failure during a commit ({error?.GetType().Name ?? "the call returned normally"})");

            // The process lives on, so the caller must learn that its write or merge did not commit.
            if (error is not StoreFaultedException) throw new FuzzFailure($"{peer.Id}: a call whose commit failed did not throw StoreFaultedException but {error?.GetType().Name ?? "returned normally"}", error);
        }

        if (error is StoreFaultedException)
        {
            Trace($"{peer.Id} refuses: {error.Message}");
            Reopen(peer, "restarted after its store faulted");
            return Outcome.Failed;
        }

        return error is null ? Outcome.Ok : Outcome.Failed;
    }

    private void AcknowledgeMerged(SimPeer peer, IEnumerable<Hash> candidates)
    {
        foreach (var hash in candidates)
        {
            if (peer.S.GetEntry(hash) is not null) peer.Acknowledged.Add(hash);
        }
    }

    // ---------------------------------------------------------------- reporting

    private void Trace(string line)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"[{_step,3}] {line}");
        _fullTrace?.Add(text);
        _trace.Enqueue(text);
        while (_trace.Count > TraceLines) _trace.Dequeue();
    }

    private static string Short(Hash hash) => hash.ToHex()[..10];

    private FuzzFailure Fail(string what, Exception? inner) => new(
        $"convergence fuzz seed {_seed} failed: {what}\nreproduce: {ReproduceCommand(_seed)}\n--- last {_trace.Count} events ---\n{string.Join("\n", _trace)}"
        + (inner is null or FuzzFailure ? "" : $"\n--- exception ---\n{inner}"),
        inner);

    public void Dispose()
    {
        foreach (var peer in _peers) peer.Dispose();
        try
        {
            if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
