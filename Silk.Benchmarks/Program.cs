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
//   dotnet run -c Release --project Silk.Benchmarks -- sync-http      (peer sync over HTTP against real servers)
//   dotnet run -c Release --project Silk.Benchmarks -- sync-compression (wire bytes and time of sync, plain / gzip / br)
//   dotnet run -c Release --project Silk.Benchmarks -- import         (POST /import of 1,000,000 NDJSON lines: lines/s, server memory)
//   dotnet run -c Release --project Silk.Benchmarks -- query          (indexed vs scanned queries at 10,000 / 100,000 / 1,000,000 nodes)
//   dotnet run -c Release --project Silk.Benchmarks -- --filter '*IndexedWriteWorkloads*'  (W1 and W4 with two indexes declared)
return args.FirstOrDefault() switch
{
    "http-load" => await HttpLoadReport.Run(args),
    "sse-load" => await SseLoadReport.Run(args),
    "rss" => MemoryReport.Run(),
    "payload-sizes" => PayloadSizeReport.Run(),
    "storage" => StorageReport.Run(args),
    "sync-http" => SyncHttpReport.Run(),
    "sync-compression" => SyncCompressionReport.Run(),
    "import" => ImportReport.Run(args),
    "query" => QueryReport.Run(args),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(MemoryReport).Assembly).Run(args);
    return 0;
}
