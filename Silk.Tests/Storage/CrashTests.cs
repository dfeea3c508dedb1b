using System.Diagnostics;
using Silk.Core.Persistence;
using Silk.Core.Wire;
using Xunit.Abstractions;

namespace Silk.Tests.Storage;

/// <summary>
/// The crash test (issue 5): a child process (tools/Silk.CrashWriter) writes without end through
/// GraphStore.Open(new LiteDbEntryStore(folder)) and prints each acknowledged hash; it is killed with
/// SIGKILL at a random moment, the store is reopened here, and every printed hash must be there and
/// the store must verify. Rounds continue on the same folder, so later rounds also replay journals
/// and LiteDB logs left by earlier kills.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Rounds = 10;

    [Theory]
    [InlineData(DurabilityMode.Fsync)]
    [InlineData(DurabilityMode.Process)]
    public async Task Acknowledged_writes_survive_kill_9(DurabilityMode mode)
    {
        using var dir = new TempFolder();
        var random = new Random();
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            var target = random.Next(1, 600);
            var printed = await RunAndKill(dir.Path, mode, target, random);
            acknowledged.UnionWith(printed);

            using var store = LiteDbEntryStoreTests.Open(dir.Path, mode);
            var missing = acknowledged.Where(h => store.GetEntry(Hash.ParseHex(h)) is null).ToList();
            Assert.True(missing.Count == 0, $"round {round}: {missing.Count} acknowledged writes missing after kill -9, e.g. {missing.FirstOrDefault()}");
            Assert.Empty(store.VerifyIntegrity());
            output.WriteLine($"round {round}: killed after {printed.Count} acknowledged (target {target}); store holds {store.EntryCount} entries; {clock.ElapsedMilliseconds} ms");
        }
    }

    /// <summary>Starts the writer, kills it once it has printed <paramref name="target"/> hashes (plus a random delay), returns every hash it printed.</summary>
    private static async Task<List<string>> RunAndKill(string folder, DurabilityMode mode, int target, Random random)
    {
        var start = new ProcessStartInfo(DotnetHost(), [CrashWriterDll(), folder, mode == DurabilityMode.Fsync ? "fsync" : "process", "4"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash writer");
        var stderr = child.StandardError.ReadToEndAsync();
        var hashes = new List<string>();
        var reachedTarget = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.Length != 64) continue; // "ready"
                lock (hashes)
                {
                    hashes.Add(line);
                    if (hashes.Count >= target) reachedTarget.TrySetResult();
                }
            }

            reachedTarget.TrySetResult(); // the child ended on its own: it failed
        });
        var timeout = Task.Delay(TimeSpan.FromSeconds(30));
        if (await Task.WhenAny(reachedTarget.Task, timeout) == timeout)
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"the crash writer printed {hashes.Count} of {target} hashes in 30 s: {await stderr}");
        }
        await Task.Delay(random.Next(0, 15));
        if (child.HasExited) throw new InvalidOperationException($"the crash writer exited by itself: {await stderr}");
        child.Kill(entireProcessTree: true); // SIGKILL on Unix
        await child.WaitForExitAsync();
        await reader; // lines written before the kill are still in the pipe: they were acknowledged too
        lock (hashes) return [.. hashes];
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>The crash writer is built with the tests (a non-referencing ProjectReference); same configuration as these binaries.</summary>
    private static string CrashWriterDll()
    {
        var testBin = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = testBin.Parent?.Name ?? "Debug";
        var bin = Path.Combine(RepoRoot.Path, "tools", "Silk.CrashWriter", "bin");
        var preferred = Path.Combine(bin, configuration, testBin.Name, "Silk.CrashWriter.dll");
        if (File.Exists(preferred)) return preferred;
        return Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, "Silk.CrashWriter.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
              ?? throw new FileNotFoundException($"Silk.CrashWriter.dll not found under {bin}: build the solution first")
            : throw new FileNotFoundException($"{bin} does not exist: build the solution first");
    }
}
