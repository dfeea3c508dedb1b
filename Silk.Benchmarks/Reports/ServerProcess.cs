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

    public async Task WaitReadyAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
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

            await Task.Delay(100);
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
