using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Silk.Api.Peers;
using Silk.Benchmarks.Workloads;
using Silk.Core.Persistence;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Storage;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// Peer sync over HTTP against real server processes (<c>dotnet Silk.Api.dll</c>, durability fsync):
/// bootstrapping a new peer from a server's snapshot (fetch + decode + verify + persist, as
/// Silk:BootstrapFrom does at startup), and incremental bidirectional exchanges (SyncExchange through
/// HttpSyncPeer, delta mode, as a gossip round does) with the bytes they move.
/// </summary>
internal static class SyncHttpReport
{
    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        using var workspace = await ReportWorkspace.CreateAsync("silk-sync-http-");
        var (root, ontology) = (workspace.Root, workspace.OntologyPath);
        Console.WriteLine("## Bootstrap a new peer over HTTP (GET /sync/snapshot, decode, verify, persist in LiteDB, fsync)");
        Console.WriteLine();
        Console.WriteLine("| entries | snapshot bytes | best | median of 3 | entries/s |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var count in new[] { 10_000, 100_000 })
        {
            await Bootstrap(root, ontology, count);
        }

        Console.WriteLine();
        Console.WriteLine("## The same exchange's steps in process (no HTTP; in-memory stores, so no fsync)");
        Console.WriteLine();
        Steps();
        Console.WriteLine();
        foreach (var durability in new[] { DurabilityMode.Fsync, DurabilityMode.Process })
        {
            Console.WriteLine($"## Incremental bidirectional sync on a 10,000-entry store (SyncExchange over HttpSyncPeer, delta), durability {durability.ToString().ToLowerInvariant()} on both sides");
            Console.WriteLine();
            await Incremental(root, ontology, durability);
            Console.WriteLine();
        }
        return 0;
    }

    private static Snapshot SourceSnapshot(int entries)
    {
        using var source = BaselineWorkloads.NewStore();
        BaselineWorkloads.AddNodes(source, entries - 1);
        return source.ExportSnapshot();
    }

    private static async Task Bootstrap(string root, string ontology, int count)
    {
        var snapshot = SourceSnapshot(count);
        var file = Path.Combine(root, $"snapshot-{count}.msgpack");
        await File.WriteAllBytesAsync(file, snapshot.ToBytes());
        using var server = ServerProcess.Start(root, $"source-{count}", ontology, file);
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        await server.WaitReadyAsync(client);

        var times = new List<double>();
        long bytes = 0;
        for (var run = 0; run < 3; run++)
        {
            var folder = Path.Combine(root, $"peer-{count}-{run}");
            var clock = Stopwatch.StartNew();
            var peer = new HttpSyncPeer(client, new Uri(server.Url));
            var fetched = await peer.GetSnapshotAsync(CancellationToken.None);
            using (var store = GraphStore.Open(new LiteDbEntryStore(folder, DurabilityMode.Fsync), () => fetched))
            {
                clock.Stop();
                if (store.EntryCount != count) throw new InvalidOperationException($"bootstrapped {store.EntryCount} entries, expected {count}");
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
            bytes = peer.BytesReceived;
            Directory.Delete(folder, recursive: true);
        }

        times.Sort();
        Console.WriteLine($"| {count:N0} | {bytes:N0} | {times[0]:N0} ms | {times[1]:N0} ms | {count / (times[1] / 1000):N0} |");
    }

    private static async Task Incremental(string root, string ontology, DurabilityMode durability)
    {
        var name = durability.ToString().ToLowerInvariant();
        var snapshot = SourceSnapshot(10_000);
        var file = Path.Combine(root, "snapshot-inc.msgpack");
        await File.WriteAllBytesAsync(file, snapshot.ToBytes());
        using var server = ServerProcess.Start(root, $"inc-server-{name}", ontology, file, $"--Silk:Durability={name}");
        using var client = new HttpClient();
        await server.WaitReadyAsync(client);
        using var local = GraphStore.Open(new LiteDbEntryStore(Path.Combine(root, $"inc-local-{name}"), durability), () => snapshot, "bench-local");
        var peer = new HttpSyncPeer(client, new Uri(server.Url));

        Console.WriteLine("| new entries (here + there) | runs | median | p90 | max | bytes moved (median) | bytes of the new entries | ratio |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var (here, there) in new[] { (50, 50), (100, 0), (0, 100) })
        {
            var times = new List<double>();
            var moved = new List<long>();
            var own = new List<long>();
            for (var run = -3; run < 20; run++)
            {
                var hashes = new List<Silk.Core.Wire.Hash>();
                for (var i = 0; i < here; i++)
                {
                    var id = $"local-{here}-{run}-{i}";
                    hashes.Add(local.AddNode(id, "item", id, BaselineWorkloads.NodeProperties(i)));
                }

                if (there > 0) hashes.AddRange(await ServerBatch(client, server.Url, $"server-{there}-{run}", there));
                var before = peer.BytesSent + peer.BytesReceived;
                var clock = Stopwatch.StartNew();
                var result = await SyncExchange.RunAsync(local, peer);
                clock.Stop();
                if (result.Pulled != there || result.Pushed != here) throw new InvalidOperationException($"exchange moved {result.Pulled}/{result.Pushed}, expected {there}/{here}");
                if (run < 0) continue; // warm-up
                times.Add(clock.Elapsed.TotalMilliseconds);
                moved.Add(peer.BytesSent + peer.BytesReceived - before);
                own.Add(hashes.Sum(h => (long)local.GetEntry(h)!.EncodedLength()));
            }

            times.Sort();
            moved.Sort();
            var newBytes = own.Order().ElementAt(own.Count / 2);
            var median = moved[moved.Count / 2];
            Console.WriteLine($"| {here + there} ({here} + {there}) | {times.Count} | {times[times.Count / 2]:F1} ms | {times[(int)(times.Count * 0.9)]:F1} ms | {times[^1]:F1} ms | {median:N0} | {newBytes:N0} | {(double)median / newBytes:F2}× |");
        }

        var idle = new List<double>();
        long idleBytes = 0;
        for (var run = 0; run < 20; run++)
        {
            var before = peer.BytesSent + peer.BytesReceived;
            var clock = Stopwatch.StartNew();
            await SyncExchange.RunAsync(local, peer);
            idle.Add(clock.Elapsed.TotalMilliseconds);
            idleBytes = peer.BytesSent + peer.BytesReceived - before;
        }

        idle.Sort();
        Console.WriteLine($"| 0 (nothing new) | {idle.Count} | {idle[idle.Count / 2]:F1} ms | {idle[(int)(idle.Count * 0.9)]:F1} ms | {idle[^1]:F1} ms | {idleBytes:N0} | 0 | – |");
    }

    /// <summary>Median time of each step of a 50 + 50 exchange between two in-memory 10,000-entry stores.</summary>
    private static void Steps()
    {
        var snapshot = SourceSnapshot(10_000);
        using var a = GraphStore.FromSnapshot("a", snapshot);
        using var b = GraphStore.FromSnapshot("b", snapshot);
        var steps = new Dictionary<string, List<double>>();
        void Time(string name, Action action)
        {
            var clock = Stopwatch.StartNew();
            action();
            if (!steps.TryGetValue(name, out var list)) steps[name] = list = [];
            list.Add(clock.Elapsed.TotalMilliseconds);
        }

        for (var run = 0; run < 23; run++)
        {
            for (var i = 0; i < 50; i++)
            {
                a.AddNode($"a-{run}-{i}", "item", "x", BaselineWorkloads.NodeProperties(i));
                b.AddNode($"b-{run}-{i}", "item", "x", BaselineWorkloads.NodeProperties(i));
            }

            SyncOffer offerA = null!, offerB = null!;
            SyncPayload forA = null!, forB = null!;
            Time("generate offer", () => offerA = SyncOffer.Decode(a.GenerateOffer().ToBytes()));
            Time("compute delta payload (50 missing)", () => forA = SyncPayload.Decode(b.ComputePayload(offerA, PayloadMode.Delta).ToBytes()));
            Time("merge 50 entries", () => a.Merge(forA, holdUnresolved: true));
            offerB = SyncOffer.Decode(b.GenerateOffer().ToBytes());
            forB = a.ComputePayload(offerB, PayloadMode.Delta);
            b.Merge(forB, holdUnresolved: true);
        }

        foreach (var (name, list) in steps)
        {
            list.Sort();
            Console.WriteLine($"- {name}: median {list[list.Count / 2]:F2} ms");
        }
    }

    private static async Task<IReadOnlyList<Silk.Core.Wire.Hash>> ServerBatch(HttpClient client, string url, string prefix, int count)
    {
        var ops = Enumerable.Range(0, count).Select(i => $$$"""{"op":"add_node","node_id":"{{{prefix}}}-{{{i}}}","node_type":"item","label":"x","properties":{"name":"{{{prefix}}}-{{{i}}}","n":{{{i}}},"score":0.5}}""");
        using var content = new StringContent("[" + string.Join(",", ops) + "]", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"{url}/batch"), content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /batch: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("hashes").EnumerateArray().Select(h => Silk.Core.Wire.Hash.ParseHex(h.GetString()!)).ToList();
    }
}
