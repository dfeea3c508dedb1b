using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Silk.Benchmarks.Reports;

/// <summary>A server process started from a snapshot file, killed on dispose.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    /// <summary>The process id (for its resident memory in /proc).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts a server over a new folder; from <paramref name="snapshotFile"/> when given, else an empty store.</summary>
    public static ServerProcess Start(string root, string name, string ontology, string? snapshotFile, params string[] extra)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
        }

        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = folder,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Silk.Api.dll"), "--urls", $"http://127.0.0.1:{port}",
            $"--Silk:DataPath={Path.Combine(folder, "data")}", $"--Silk:OntologyPath={ontology}",
            "--Silk:Gossip:IntervalSeconds=0", "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(arg);
        }

        if (snapshotFile is not null) start.ArgumentList.Add($"--Silk:BootstrapFrom={snapshotFile}");

        foreach (var arg in extra) start.ArgumentList.Add(arg);

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, $"http://127.0.0.1:{port}");
    }

    /// <summary>A field of the process's /proc status in bytes: <c>VmRSS</c> (resident now) or <c>VmHWM</c> (its peak).</summary>
    public long ResidentBytes(string field = "VmRSS")
    {
        var line = File.ReadLines($"/proc/{ProcessId}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>CPU time the process has used so far (user + system, /proc/&lt;pid&gt;/stat).</summary>
    public TimeSpan CpuTime()
    {
        // The command (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var stat = File.ReadAllText($"/proc/{ProcessId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    /// <summary>Waits until the process uses under 5 % of a core over a second (at most <paramref name="limit"/>); returns how long that took.</summary>
    public async Task<TimeSpan> WaitIdleAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var before = CpuTime();
        while (clock.Elapsed < limit)
        {
            await Task.Delay(1000);
            var now = CpuTime();
            if (now - before < TimeSpan.FromMilliseconds(50)) break;
            before = now;
        }

        return clock.Elapsed;
    }

    /// <summary>Stops the server as a service manager does (SIGTERM: a graceful shutdown) and waits until it has exited.</summary>
    public void Stop(TimeSpan timeout)
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!)
        {
            kill.WaitForExit();
        }

        if (!_process.WaitForExit(timeout)) throw new TimeoutException($"server did not stop within {timeout.TotalSeconds:F0} s of SIGTERM");
    }

    /// <summary>Ends the server at once (SIGKILL, as a crash or kill -9) and waits until it is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public Task WaitReadyAsync(HttpClient client) => WaitReadyAsync(client, TimeSpan.FromMilliseconds(100));

    /// <summary>Polls <c>/readyz</c> every <paramref name="poll"/> until it answers 200 (at most 5 minutes).</summary>
    public async Task WaitReadyAsync(HttpClient client, TimeSpan poll)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (_process.HasExited) throw new InvalidOperationException($"server exited with {_process.ExitCode}");
            try
            {
                using var response = await client.GetAsync(new Uri($"{Url}/readyz"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(poll);
        }

        throw new TimeoutException("server not ready");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
