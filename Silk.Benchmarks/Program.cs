using BenchmarkDotNet.Running;
using Silk.Benchmarks.Reports;

// Runs the benchmarks chosen on the command line, e.g.
//   dotnet run -c Release --project Silk.Benchmarks -- --filter '*'
// Measurements that are not BenchmarkDotNet runs:
//   dotnet run -c Release --project Silk.Benchmarks -- rss            (peak memory for 100,000 nodes)
//   dotnet run -c Release --project Silk.Benchmarks -- payload-sizes  (sync payload bytes by overlap)
//   dotnet run -c Release --project Silk.Benchmarks -- http-load      (HTTP API requests/s and p99, 64 connections)
//   dotnet run -c Release --project Silk.Benchmarks -- storage        (durable writes/s, latency, open time, bytes/entry)
//   dotnet run -c Release --project Silk.Benchmarks -- sse-load       (GET /tail: SSE subscribers, long-poll wake-up, 100,000-entry log)
//   dotnet run -c Release --project Silk.Benchmarks -- sse-fanout     (1,000 SSE subscribers in a process of their own: server CPU per event, writer kept)
//   dotnet run -c Release --project Silk.Benchmarks -- sync-http      (peer sync over HTTP against real servers)
//   dotnet run -c Release --project Silk.Benchmarks -- sync-compression (wire bytes and time of sync, plain / gzip / br)
//   dotnet run -c Release --project Silk.Benchmarks -- baseline [ID ...] [--runs N]  (W1-W10 timed as ../shared/oracle/silk-bench times them)
//   dotnet run -c Release --project Silk.Benchmarks -- import         (POST /import of 1,000,000 NDJSON lines: lines/s, server memory)
//   dotnet run -c Release --project Silk.Benchmarks -- query [SIZE ...] (indexed vs scanned queries at 10,000 / 100,000 / 1,000,000 nodes)
//   dotnet run -c Release --project Silk.Benchmarks -- --filter '*IndexedWriteWorkloads*'  (W1 and W4 with two indexes declared)
// Each report ends by itself within the bound it prints (minutes).
var bounds = new Dictionary<string, double>
{
    ["http-load"] = 10, ["sse-load"] = 15, ["sse-fanout"] = 15, ["rss"] = 10, ["payload-sizes"] = 5, ["storage"] = 20,
    ["sync-http"] = 15, ["sync-compression"] = 15, ["import"] = 30, ["baseline"] = 20, ["query"] = 30,
};
if (args.FirstOrDefault() is { } report && bounds.TryGetValue(report, out var minutes))
{
    RunBound.Arm(report, TimeSpan.FromMinutes(minutes), args);
}

return args.FirstOrDefault() switch
{
    "http-load" => await HttpLoadReport.Run(args),
    "sse-load" => await SseLoadReport.Run(args),
    "sse-fanout" => await SseFanoutReport.Run(args),
    SseSubscriberProcess.Command => await SseSubscriberProcess.Run(args), // the child process of sse-fanout
    "rss" => MemoryReport.Run(args),
    "payload-sizes" => PayloadSizeReport.Run(),
    "storage" => StorageReport.Run(args),
    "sync-http" => SyncHttpReport.Run(),
    "sync-compression" => SyncCompressionReport.Run(),
    "import" => ImportReport.Run(args),
    "baseline" => BaselineReport.Run(args),
    "query" => QueryReport.Run(args),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(MemoryReport).Assembly).Run(args);
    return 0;
}
