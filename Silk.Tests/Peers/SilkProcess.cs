using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Silk.Tests.Peers;

/// <summary>
/// A real Silk server process: <c>dotnet Silk.Api.dll --urls http://127.0.0.1:PORT</c> with settings on the
/// command line, its working directory (and so its content root, with no appsettings.json) a folder of
/// its own. Its output is kept for failure messages. Killed on dispose.
/// </summary>
internal sealed class SilkProcess : IDisposable
{
    private readonly string[] _settings;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public SilkProcess(string name, int port, string workFolder, IEnumerable<string> settings)
    {
        Name = name;
        Port = port;
        WorkFolder = workFolder;
        _settings = [.. settings];
        Directory.CreateDirectory(workFolder);
    }

    public string Name { get; }

    public int Port { get; }

    public string WorkFolder { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Silk.Api.dll next to the test binaries (Silk.Tests references Silk.Api), else under Silk.Api/bin of this configuration.</summary>
    public static string ApiDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "Silk.Api.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "Silk.Api.runtimeconfig.json"))) return beside;
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent?.Name ?? "Debug";
        var bin = Path.Combine(RepoRoot.Path, "Silk.Api", "bin");
        var preferred = Path.Combine(bin, configuration, testBin.Name, "Silk.Api.dll");
        if (File.Exists(preferred)) return preferred;
        return Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, "Silk.Api.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
              ?? throw new FileNotFoundException($"Silk.Api.dll not found under {bin}: build the solution first")
            : throw new FileNotFoundException($"Silk.Api.dll not found beside the tests or under {bin}: build the solution first");
    }

    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Distinct ports where nothing listens right now.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }

    public void Start()
    {
        if (IsRunning) throw new InvalidOperationException($"{Name} is already running");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = WorkFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ApiDll());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Url);
        foreach (var setting in _settings) start.ArgumentList.Add(setting);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Silk.Api"] = "Information";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("DOTNET_URLS");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Append($"--- started pid {process.Id}");
    }

    /// <summary>Waits until GET /readyz answers 200.</summary>
    public async Task WaitReadyAsync(HttpClient client, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process is { HasExited: true }) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} while starting:\n{Output}");
            try
            {
                using var response = await client.GetAsync(new Uri($"{Url}/readyz"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (clock.Elapsed > timeout) throw new TimeoutException($"{Name} not ready after {timeout}:\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill(entireProcessTree: true);
        WaitForExitAndOutput(process);
        Append("--- killed (SIGKILL)");
    }

    /// <summary>SIGTERM: the host shuts down gracefully; waits for the exit.</summary>
    public void Stop()
    {
        if (_process is not { HasExited: false } process) return;
        SendSigterm();
        if (!process.WaitForExit(15_000)) process.Kill(entireProcessTree: true);
        WaitForExitAndOutput(process);
        Append($"--- stopped (SIGTERM), exit code {process.ExitCode}");
    }

    // WaitForExit with a timeout returns before the redirected output is read to its end (its last log lines, such as
    // a shutdown's, could still be missing from Output); the call without one waits for that too.
    private static void WaitForExitAndOutput(Process process)
    {
        if (process.WaitForExit(10_000)) process.WaitForExit();
    }

    /// <summary>Waits for the process to end by itself (and for its output to be read); returns its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} was not started");
        if (!process.WaitForExit(timeout)) throw new TimeoutException($"{Name} still runs after {timeout}:\n{Output}");
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Sends SIGTERM and returns at once.</summary>
    public void SendSigterm()
    {
        if (_process is not { HasExited: false } process) return;
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit(5_000);
        Append("--- SIGTERM sent");
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                var text = _output.ToString();
                return text.Length > 6000 ? "…" + text[^6000..] : text;
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine($"[{Name}] {line}");
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }
}
