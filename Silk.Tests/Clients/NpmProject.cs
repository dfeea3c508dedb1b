using System.Diagnostics;
using System.Text;

namespace Silk.Tests.Clients;

/// <summary>
/// The npm project in <c>clients/typescript/</c> (the OpenAPI linter, the TypeScript generator and compiler, pinned by
/// its lock file). Tests that need it call <see cref="EnsureInstalledAsync"/>, which runs <c>npm ci</c> once when
/// <c>node_modules</c> is missing or older than the lock file, so <c>dotnet test</c> alone is enough where Node.js is.
/// </summary>
internal static class NpmProject
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string Folder => Path.Combine(RepoRoot.Path, "clients", "typescript");

    public static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            var installed = Path.Combine(Folder, "node_modules", ".package-lock.json");
            var lockFile = Path.Combine(Folder, "package-lock.json");
            if (File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(lockFile)) return;
            var result = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(10));
            Assert.True(result.ExitCode == 0, $"npm ci in {Folder} failed ({result.ExitCode}):\n{result.Output}");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>Runs a program in the project folder: its stdout, and stdout and stderr interleaved in <see cref="NpmResult.Output"/>.</summary>
    public static async Task<NpmResult> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"'{program}' could not be started ({ex.Message}): these tests need Node.js 20+ and npm on PATH (`bash .ci/run` installs Debian's nodejs and npm when missing).");
            throw;
        }

        using (process)
        {
            var output = new StringBuilder();
            var stdout = new StringBuilder();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (output)
                {
                    output.AppendLine(e.Data);
                    stdout.AppendLine(e.Data);
                }
            };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                lock (output) Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
            }

            // WaitForExitAsync returns once the redirected streams have ended too.
            lock (output) return new NpmResult(process.ExitCode, stdout.ToString(), output.ToString());
        }
    }
}

internal sealed record NpmResult(int ExitCode, string Stdout, string Output);
