using System.Diagnostics;
using System.Globalization;
using Silk.Benchmarks.Workloads;
using Silk.Core.Persistence;
using Silk.Core.Store;
using Silk.Storage;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// Issue 5's storage figures: durable writes per second through GraphStore.Open on a LiteDbEntryStore
/// (async AddNodeAsync; 1 writer and 16 concurrent writers; Fsync and Process modes), write latency
/// p50/p99, open time at 10,000 and 100,000 entries, and bytes on disk per entry.
///   dotnet run -c Release --project Silk.Benchmarks -- storage [writes-per-run]
///   dotnet run -c Release --project Silk.Benchmarks -- storage options   (LiteDB durability options alone)
///   dotnet run -c Release --project Silk.Benchmarks -- storage probe     (1 writer: the store alone vs. through GraphStore)
/// </summary>
internal static class StorageReport
{
    public static int Run(string[] args)
    {
        var writes = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var n) ? n : 20_000;
        Console.WriteLine($"Silk storage report: {Environment.ProcessorCount} cores, {writes} writes per run, node entries as BASELINE.md's (name, n, score)");
        if (args.Contains("probe"))
        {
            Probe(5000);
            return 0;
        }

        if (args.Contains("options"))
        {
            DurabilityOptions(3000);
            return 0;
        }

        Warmup();
        foreach (var mode in new[] { DurabilityMode.Fsync, DurabilityMode.Process })
        {
            foreach (var writers in new[] { 1, 16 })
            {
                WriteRun(mode, writers, writes);
            }
        }

        // Long enough that LiteDB's catching up (writers wait once it lags 50,000 entries) sets the pace.
        Console.Write("sustained: ");
        WriteRun(DurabilityMode.Fsync, 16, 160_000);

        foreach (var entries in new[] { 10_000, 100_000 })
        {
            OpenRun(entries);
        }

        return 0;
    }

    private static void Warmup()
    {
        var folder = NewFolder();
        try
        {
            using var store = GraphStore.Open(new LiteDbEntryStore(folder, DurabilityMode.Process), BaselineWorkloads.Ontology, BaselineWorkloads.InstanceId);
            Parallel.For(0, 2000, i => store.AddNodeAsync($"w{i}", "item", "w", BaselineWorkloads.NodeProperties(i)).GetAwaiter().GetResult());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void WriteRun(DurabilityMode mode, int writers, int writes)
    {
        var folder = NewFolder();
        try
        {
            var latencies = new double[writes];
            double seconds, drainSeconds;
            using (var store = GraphStore.Open(new LiteDbEntryStore(folder, mode), BaselineWorkloads.Ontology, BaselineWorkloads.InstanceId))
            {
                var perWriter = writes / writers;
                var clock = Stopwatch.StartNew();
                var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
                {
                    for (var k = 0; k < perWriter; k++)
                    {
                        var i = (w * perWriter) + k;
                        var start = Stopwatch.GetTimestamp();
                        await store.AddNodeAsync($"n{i}", "item", $"n{i}", BaselineWorkloads.NodeProperties(i)).ConfigureAwait(false);
                        latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    }
                })).ToArray();
                Task.WaitAll(tasks);
                seconds = clock.Elapsed.TotalSeconds;
                clock.Restart();
                store.Dispose(); // LiteDB catches up with the journal and checkpoints
                drainSeconds = clock.Elapsed.TotalSeconds;
            }

            Array.Sort(latencies);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{mode,-7} {writers,2} writer(s): {writes / seconds,8:F0} acknowledged writes/s; latency p50 {Percentile(latencies, 0.50),7:F0} µs, p99 {Percentile(latencies, 0.99),7:F0} µs; " +
                $"LiteDB caught up {drainSeconds * 1000:F0} ms later (incl. close) => {writes / (seconds + drainSeconds):F0} writes/s all in LiteDB"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void OpenRun(int entries)
    {
        var folder = NewFolder();
        try
        {
            using (var store = GraphStore.Open(new LiteDbEntryStore(folder, DurabilityMode.Process), BaselineWorkloads.Ontology, BaselineWorkloads.InstanceId))
            {
                Parallel.For(0, 16, w =>
                {
                    for (var i = w; i < entries - 1; i += 16)
                    {
                        store.AddNodeAsync($"n{i}", "item", $"n{i}", BaselineWorkloads.NodeProperties(i)).GetAwaiter().GetResult();
                    }
                });
            }

            var bytes = Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
            var dbBytes = new FileInfo(Path.Combine(folder, LiteDbEntryStore.FileName)).Length;
            var times = new List<double>();
            var loads = new List<double>();
            var count = 0;
            for (var run = 0; run < 3; run++)
            {
                GC.Collect();
                var clock = Stopwatch.StartNew();
                using var storage = new LiteDbEntryStore(folder);
                var loaded = storage.LoadEntries();
                loads.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                storage.Dispose();
                clock.Restart();
                using var store = GraphStore.Open(new LiteDbEntryStore(folder), BaselineWorkloads.Ontology);
                times.Add(clock.Elapsed.TotalMilliseconds);
                count = store.EntryCount;
                if (loaded.Count != count) throw new InvalidOperationException("load and open disagree");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"open {count,7} entries: GraphStore.Open median {times.Order().ElementAt(1),6:F0} ms (LiteDB load alone {loads.Order().ElementAt(1),5:F0} ms); " +
                $"on disk {bytes,11:N0} bytes = {(double)bytes / count:F0} bytes/entry (silk.db {(double)dbBytes / count:F0})"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// One writer, one entry per durable commit, measured twice back to back: LiteDbEntryStore.Append alone
    /// and through GraphStore.AddNodeAsync. Tells the disk's fsync latency of the moment apart from the engine's
    /// own cost (the shared VM's fsync latency moves between ~80 µs and several ms).
    /// </summary>
    private static void Probe(int writes)
    {
        for (var round = 0; round < 2; round++)
        {
            var folder = NewFolder();
            try
            {
                using (var storage = new LiteDbEntryStore(folder))
                {
                    Report("LiteDbEntryStore.Append (1 entry, Fsync)", writes, i =>
                    {
                        var bytes = BitConverter.GetBytes((long)i);
                        storage.Append([new StoredEntry(i, Silk.Core.Wire.Hash.Compute(bytes), bytes)]);
                    });
                }

                Directory.Delete(folder, recursive: true);
                Directory.CreateDirectory(folder);
                using var store = GraphStore.Open(new LiteDbEntryStore(folder), BaselineWorkloads.Ontology, BaselineWorkloads.InstanceId);
                Report("GraphStore.AddNodeAsync (1 writer, Fsync)", writes, i =>
                    store.AddNodeAsync($"n{i}", "item", $"n{i}", BaselineWorkloads.NodeProperties(i)).GetAwaiter().GetResult());
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        static void Report(string what, int writes, Action<int> write)
        {
            var latencies = new double[writes];
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < writes; i++)
            {
                var start = Stopwatch.GetTimestamp();
                write(i);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            Array.Sort(latencies);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what,-44}: {writes / seconds,6:F0} writes/s, p50 {Percentile(latencies, 0.5),6:F0} µs, p99 {Percentile(latencies, 0.99),6:F0} µs"));
        }
    }

    /// <summary>
    /// The three ways ARCHITECTURE.md lists to make a LiteDB commit durable, measured on LiteDB alone: one
    /// ~300-byte document per commit, then (1) Checkpoint(), (2) an fsync of LiteDB's log given as our
    /// own stream, (3) the same bytes appended to a preallocated journal file and fsynced (LiteDB's commit
    /// then leaves the acknowledgement path: the "journal only" line is what a write waits for).
    /// </summary>
    private static void DurabilityOptions(int commits)
    {
        foreach (var option in new[] { "none", "checkpoint", "log-stream-fsync", "journal-fsync+commit", "journal-fsync-only" })
        {
            var folder = NewFolder();
            try
            {
                var path = Path.Combine(folder, "x.db");
                using var logFile = new FileStream(Path.Combine(folder, "x-log.db"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
                using var journal = new FileStream(Path.Combine(folder, "journal"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
                journal.Write(new byte[commits * 400]);
                journal.Flush(flushToDisk: true);
                using var db = new LiteDB.LiteDatabase(new LiteDB.Engine.LiteEngine(new LiteDB.Engine.EngineSettings { Filename = path, LogStream = logFile }));
                var collection = db.GetCollection("entries");
                collection.EnsureIndex("seq", unique: true);
                var random = new Random(1);
                var latencies = new double[commits];
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < commits; i++)
                {
                    var payload = new byte[300];
                    random.NextBytes(payload);
                    var id = new byte[32];
                    random.NextBytes(id);
                    var start = Stopwatch.GetTimestamp();
                    if (option != "journal-fsync-only")
                    {
                        collection.Insert(new LiteDB.BsonDocument { ["_id"] = id, ["seq"] = i, ["b"] = payload });
                    }

                    switch (option)
                    {
                        case "checkpoint":
                            db.Checkpoint();
                            break;
                        case "log-stream-fsync":
                            logFile.Flush(flushToDisk: true);
                            break;
                        case "journal-fsync+commit" or "journal-fsync-only":
                            RandomAccess.Write(journal.SafeFileHandle, payload, (long)i * 400);
                            journal.Flush(flushToDisk: true);
                            break;
                    }

                    latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }

                var seconds = clock.Elapsed.TotalSeconds;
                Array.Sort(latencies);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{option,-22}: {commits / seconds,6:F0} commits/s, p50 {Percentile(latencies, 0.5),6:F0} µs, p99 {Percentile(latencies, 0.99),6:F0} µs"));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "silk-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
