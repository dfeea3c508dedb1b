using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// SSE fan-out (issue 18) with every party in its own process: the server (<see cref="ServerProcess"/>, a fresh LiteDB
/// store, durability fsync), the subscribers (<see cref="SseSubscriberProcess"/>, started from this executable), and
/// one writer here, posting durable <c>POST /nodes</c> one after another as fast as it can. Each round writes for
/// the same time without subscribers and then with them, and reports: the writer's throughput both ways and their
/// ratio, the server's CPU time (utime + stime from <c>/proc/PID/stat</c>, from the first write to the last delivery)
/// divided by the events delivered to all subscribers, write→event p50/p99/max over every (subscriber, event),
/// whether every subscriber got every event once and in order, and (with stalled streams, which never read) how many of
/// those the server had cut off by the end of the round (only once their socket buffers fill, which takes megabytes).
///   dotnet run -c Release --project Silk.Benchmarks -- sse-fanout [subscribers, default 1000] [seconds per phase, default 10] [rounds, default 3] [stalled, default 0]
/// </summary>
internal static class SseFanoutReport
{
    private static long _nextNode;

    public static async Task<int> Run(string[] args)
    {
        var subscribers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
        var stalled = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
        using var workspace = await ReportWorkspace.CreateAsync("silk-sse-fanout-");
        using var server = ServerProcess.Start(workspace.Root, "server", workspace.OntologyPath, null,
            "--Silk:Durability=fsync", "--Silk:Limits:RequestsPerSecond=0", "--Silk:Limits:MaxStreamsPerCaller=0", "--Silk:Tail:SlowConsumerSeconds=5");
        using var writer = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { Timeout = TimeSpan.FromSeconds(60) };
        await server.WaitReadyAsync(writer);
        var baseUri = new Uri(server.Url);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {Environment.ProcessorCount} cores; server, {subscribers:N0} subscribers (+{stalled} that never read) and one writer in three processes; durable POST /nodes (fsync) one at a time, {seconds} s per phase, {rounds} rounds; load average {LoadAverage()}"));

        await WriteFor(writer, baseUri, TimeSpan.FromSeconds(3)); // warm-up: JIT, store, connection
        Console.WriteLine();
        Console.WriteLine("| round | writes/s without | writes/s with | kept | events delivered | server CPU s (user + system) | CPU per event | of which fan-out | events per receive | write→event p50 | p99 | max | in order, once | stalled cut off | subscribers' CPU | machine idle | load average |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---|");
        var failures = 0;
        var (kept, perEvent, p99) = (new List<double>(), new List<double>(), new List<double>());
        for (var round = 1; round <= rounds; round++)
        {
            var idleBefore = ServerCpuSeconds(server.ProcessId);
            var without = await WriteFor(writer, baseUri, TimeSpan.FromSeconds(seconds));
            var idleAfter = ServerCpuSeconds(server.ProcessId);
            var perWrite = (idleAfter.User + idleAfter.System - idleBefore.User - idleBefore.System) * 1e6 / without.Writes;
            using var children = await SubscriberChild.StartAsync(server.Url, subscribers, stalled);
            var cpuBefore = ServerCpuSeconds(server.ProcessId);
            var childBefore = ServerCpuSeconds(children.ProcessId);
            var machineBefore = MachineTicks();
            var with = await WriteFor(writer, baseUri, TimeSpan.FromSeconds(seconds));
            var result = await children.DrainAsync(with.Writes);
            var cpuAfter = ServerCpuSeconds(server.ProcessId);
            var childAfter = ServerCpuSeconds(children.ProcessId);
            var machineAfter = MachineTicks();
            var childCpu = childAfter.User + childAfter.System - childBefore.User - childBefore.System;
            var idle = (machineAfter.Idle - machineBefore.Idle) / (double)Math.Max(1, machineAfter.Total - machineBefore.Total);
            var (user, system) = (cpuAfter.User - cpuBefore.User, cpuAfter.System - cpuBefore.System);
            var cpu = user + system;
            var expected = with.Writes * subscribers;
            var complete = result.Events == expected && result.Min == with.Writes && result.Max == with.Writes && result.OutOfOrder == 0;
            if (!complete) failures++;
            kept.Add(with.PerSecond / without.PerSecond);
            perEvent.Add(cpu * 1e6 / Math.Max(1, result.Events));
            p99.Add(result.P99Us / 1000.0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {round} | {without.PerSecond:N0} ({perWrite:F0} µs CPU each) | {with.PerSecond:N0} | {with.PerSecond / without.PerSecond:P0} | {result.Events:N0} of {expected:N0} | {cpu:F2} ({user:F2} + {system:F2}) | {cpu * 1e6 / Math.Max(1, result.Events):F2} µs | {(cpu - with.Writes * perWrite / 1e6) * 1e6 / Math.Max(1, result.Events):F2} µs | {result.Events / (double)Math.Max(1, result.Receives):F1} | "
                + $"{result.P50Us / 1000.0:F1} ms | {result.P99Us / 1000.0:F1} ms | {result.MaxUs / 1000.0:F1} ms | {(complete ? "yes" : $"NO (per stream {result.Min}-{result.Max}, {result.OutOfOrder} out of order)")} | {result.StalledCut} | {childCpu:F2} s | {idle:P0} | {LoadAverage()} |"));
            await children.QuitAsync();
            await Task.Delay(1000); // the server notices the streams end
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Medians of {rounds} rounds: writer kept {Median(kept):P0} (target ≥ 50 %), server CPU per delivered event {Median(perEvent):F2} µs (target ≤ 1.5 µs), write→event p99 {Median(p99):F1} ms (target ≤ 50 ms); load average {LoadAverage()}"));
        return failures == 0 ? 0 : 1;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed record WriteRun(long Writes, double Seconds)
    {
        public double PerSecond => Writes / Seconds;
    }

    /// <summary>One writer, one request at a time, for <paramref name="duration"/>; each node id carries its send time.</summary>
    private static async Task<WriteRun> WriteFor(HttpClient http, Uri baseUri, TimeSpan duration)
    {
        var nodes = new Uri(baseUri, "/nodes");
        var writes = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var node = ++_nextNode;
            var sentAt = Stopwatch.GetTimestamp();
            using var content = new StringContent(
                $$$"""{"node_id":"n{{{node}}}-{{{sentAt}}}","node_type":"item","label":"n","properties":{"name":"n{{{node}}}","n":{{{node}}}}}""", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(nodes, content);
            response.EnsureSuccessStatusCode();
            writes++;
        }

        return new WriteRun(writes, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The server's user + system CPU time so far (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s).</summary>
    private static (double User, double System) ServerCpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) / 100.0, long.Parse(fields[12], CultureInfo.InvariantCulture) / 100.0);
    }

    /// <summary>The machine's idle and total CPU time so far (the first line of /proc/stat, in clock ticks).</summary>
    private static (long Idle, long Total) MachineTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields[3] + fields[4], fields.Take(8).Sum());
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private sealed record DrainResult(long Events, long Min, long Max, long P50Us, long P99Us, long MaxUs, long OutOfOrder, long Receives, string StalledCut);

    /// <summary>The subscriber process: started, told to drain, told to quit.</summary>
    private sealed class SubscriberChild : IDisposable
    {
        private readonly Process _process;

        private SubscriberChild(Process process) => _process = process;

        public int ProcessId => _process.Id;

        public static async Task<SubscriberChild> StartAsync(string url, int count, int stalled)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Silk.Benchmarks.dll"));
            start.ArgumentList.Add(SseSubscriberProcess.Command);
            start.ArgumentList.Add(url);
            start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add(stalled.ToString(CultureInfo.InvariantCulture));
            var child = new SubscriberChild(Process.Start(start)!);
            var line = await child.ReadLineAsync(TimeSpan.FromMinutes(2));
            if (line != "ready") throw new InvalidOperationException($"subscriber process: {line ?? "exited"}");
            return child;
        }

        public async Task<DrainResult> DrainAsync(long expectedPerStream)
        {
            await _process.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"drain {expectedPerStream}"));
            await _process.StandardInput.FlushAsync();
            var line = await ReadLineAsync(TimeSpan.FromMinutes(3));
            if (line is null || !line.StartsWith("result ", StringComparison.Ordinal)) throw new InvalidOperationException($"subscriber process: {line ?? "exited"}");
            var values = line[7..].Split(' ').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            long Number(string key) => long.Parse(values[key], CultureInfo.InvariantCulture);
            return new DrainResult(Number("events"), Number("min"), Number("max"), Number("p50us"), Number("p99us"), Number("maxus"), Number("out_of_order"), Number("receives"), values["stalled_cut"]);
        }

        public async Task QuitAsync()
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(exited.Token);
        }

        private async Task<string?> ReadLineAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            return await _process.StandardOutput.ReadLineAsync(cancel.Token);
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
            _process.Dispose();
        }
    }
}
