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
    [InlineData(DurabilityMode.Fsync, 8 << 20, 0)]
    [InlineData(DurabilityMode.Process, 8 << 20, 0)]
    [InlineData(DurabilityMode.Fsync, 16 << 10, 40)] // folds into LiteDB every ~40 entries, compacts every 40 writes of writer 0
    public async Task Acknowledged_writes_survive_kill_9(DurabilityMode mode, long journalFoldBytes, int compactEvery)
    {
        using var dir = new TempFolder();
        var random = new Random();
        var acknowledged = new HashSet<string>(StringComparer.Ordinal); // since the last completed compaction
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            var target = random.Next(1, 400);
            var lines = await RunAndKill(dir.Path, [mode == DurabilityMode.Fsync ? "fsync" : "process", "4", $"{journalFoldBytes}", $"{compactEvery}"], target, random);
            var interrupted = false;
            foreach (var line in lines)
            {
                if (line.StartsWith("compacted ", StringComparison.Ordinal))
                {
                    acknowledged.Clear();
                    acknowledged.Add(line["compacted ".Length..]);
                    interrupted = false;
                }
                else if (line == "compacting")
                {
                    interrupted = true;
                }
                else
                {
                    acknowledged.Add(line);
                }
            }

            using var store = LiteDbEntryStoreTests.Open(dir.Path, mode);
            Assert.Empty(store.VerifyIntegrity());
            var missing = acknowledged.Where(h => store.GetEntry(Hash.ParseHex(h)) is null).ToList();
            if (interrupted && missing.Count == acknowledged.Count)
            {
                // Killed during a compaction, which completed on disk: the whole log is the new checkpoint
                // (and the entries carried after it), none of the old one. Old or new, never a mix.
                var root = store.EntriesSince(null)[0];
                Assert.IsType<Silk.Core.Entries.Checkpoint>(root.Payload);
                acknowledged.Clear();
                acknowledged.Add(root.Hash.ToHex());
            }
            else
            {
                Assert.True(missing.Count == 0, $"round {round}: {missing.Count} of {acknowledged.Count} acknowledged writes missing after kill -9, e.g. {missing.FirstOrDefault()}");
            }

            output.WriteLine($"round {round}: killed after {lines.Count} lines (target {target}{(interrupted ? ", during a compaction" : "")}); store holds {store.EntryCount} entries; {clock.ElapsedMilliseconds} ms");
        }
    }

    [Fact]
    public async Task A_store_held_by_another_process_is_refused_with_a_clear_message()
    {
        using var dir = new TempFolder();
        var start = new ProcessStartInfo(DotnetHost(), [CrashWriterDll(), dir.Path, "process", "1"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash writer");
        try
        {
            Assert.Equal("ready", await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            var ex = Assert.Throws<IOException>(() => new Silk.Storage.LiteDbEntryStore(dir.Path));
            Assert.Contains("in use by another process", ex.Message);
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        using var store = LiteDbEntryStoreTests.Open(dir.Path); // free again once it is gone
        Assert.Empty(store.VerifyIntegrity());
    }

    /// <summary>Starts the writer, kills it once it has printed <paramref name="target"/> lines (plus a random delay), returns every line it printed.</summary>
    private static async Task<List<string>> RunAndKill(string folder, string[] arguments, int target, Random random)
    {
        var start = new ProcessStartInfo(DotnetHost(), [CrashWriterDll(), folder, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash writer");
        var stderr = child.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        var reachedTarget = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "ready") continue;
                lock (lines)
                {
                    lines.Add(line);
                    if (lines.Count >= target) reachedTarget.TrySetResult();
                }
            }

            reachedTarget.TrySetResult(); // the child ended on its own: it failed
        });

        var timeout = Task.Delay(TimeSpan.FromSeconds(60));
        if (await Task.WhenAny(reachedTarget.Task, timeout) == timeout)
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"the crash writer printed {lines.Count} of {target} lines in 60 s: {await stderr}");
        }

        await Task.Delay(random.Next(0, 15));
        if (child.HasExited) throw new InvalidOperationException($"the crash writer exited by itself: {await stderr}");
        child.Kill(entireProcessTree: true); // SIGKILL on Unix
        await child.WaitForExitAsync();
        await reader; // lines written before the kill are still in the pipe: they were acknowledged too
        lock (lines) return [.. lines];
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
