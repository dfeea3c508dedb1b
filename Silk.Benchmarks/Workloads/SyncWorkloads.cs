using BenchmarkDotNet.Attributes;
using Silk.Core.Store;
using Silk.Core.Sync;

namespace Silk.Benchmarks.Workloads;

/// <summary>W5, W6, W7 and W8 of ../shared/BASELINE.md on the 10,001-entry store.</summary>
[MacroJob]
[MemoryDiagnoser]
public class SyncWorkloads
{
    private GraphStore _store = null!;
    private SyncOffer _offer0 = null!;
    private SyncOffer _offer90 = null!;
    private byte[] _offer0Bytes = null!;
    private byte[] _offer90Bytes = null!;
    private byte[] _fullPayloadBytes = null!;
    private Snapshot _snapshot = null!;
    private byte[] _snapshotBytes = null!;
    private GraphStore _genesisOnly = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = BaselineWorkloads.Store10k();
        var all = _store.EntriesSince(null);
        using var peer0 = GraphStore.FromSnapshot("bench-b", new Snapshot([all[0]]));
        using var peer90 = GraphStore.FromSnapshot("bench-b", new Snapshot(all.Take(9_001).ToList()));
        _offer0 = peer0.GenerateOffer();
        _offer90 = peer90.GenerateOffer();
        _offer0Bytes = _offer0.ToBytes();
        _offer90Bytes = _offer90.ToBytes();
        _fullPayloadBytes = _store.ComputePayload(_offer0).ToBytes();
        _snapshot = _store.ExportSnapshot();
        _snapshotBytes = _snapshot.ToBytes();
    }

    [IterationSetup(Target = nameof(W7Merge))]
    public void FreshGenesisOnlyPeer() => _genesisOnly = GraphStore.FromSnapshot("bench-b", new Snapshot([_snapshot.Entries[0]]));

    [Benchmark(Description = "W5 generate_sync_offer + encode @10,001")]
    public int W5() => _store.GenerateOffer().ToBytes().Length;

    [Benchmark(Description = "W6 entries_missing 0% overlap")]
    public int W6Missing0() => _store.ComputePayload(_offer0).Entries.Count;

    [Benchmark(Description = "W6 receive_sync_offer 0% overlap (decode+missing+encode)")]
    public int W6Receive0() => _store.ComputePayload(SyncOffer.Decode(_offer0Bytes)).ToBytes().Length;

    [Benchmark(Description = "W6 entries_missing 90% overlap")]
    public int W6Missing90() => _store.ComputePayload(_offer90).Entries.Count;

    [Benchmark(Description = "W6 receive_sync_offer 90% overlap")]
    public int W6Receive90() => _store.ComputePayload(SyncOffer.Decode(_offer90Bytes)).ToBytes().Length;

    [Benchmark(Description = "W7 merge 10,001-entry payload into genesis-only peer")]
    public int W7Merge()
    {
        var result = _genesisOnly.Merge(SyncPayload.Decode(_fullPayloadBytes));
        _genesisOnly.Dispose();
        return result.Inserted;
    }

    [Benchmark(Description = "W8a snapshot serialize @10,001")]
    public int W8aSerialize() => _store.ExportSnapshot().ToBytes().Length;

    [Benchmark(Description = "W8b snapshot deserialize @10,001")]
    public int W8bDeserialize() => Snapshot.Decode(_snapshotBytes).Entries.Count;

    [Benchmark(Description = "W8c from_snapshot load")]
    public int W8cLoad()
    {
        using var store = GraphStore.FromSnapshot("bench-c", Snapshot.Decode(_snapshotBytes));
        return store.NodeCount;
    }
}
