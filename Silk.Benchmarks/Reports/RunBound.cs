using System.Globalization;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// Every report ends by itself: a watchdog on its own thread (not the pool, which a hung report may have
/// starved) ends the process with exit code 3 once the bound it printed at the start has passed.
/// </summary>
internal static class RunBound
{
    public const int ExceededExitCode = 3;

    /// <summary>Prints the bound and arms the watchdog; <c>--bound-minutes N</c> on the command line overrides it.</summary>
    public static void Arm(string report, TimeSpan bound, string[] args)
    {
        var index = Array.IndexOf(args, "--bound-minutes");
        if (index >= 0 && index + 1 < args.Length && double.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var minutes) && minutes > 0)
        {
            bound = TimeSpan.FromMinutes(minutes);
        }

        Console.WriteLine($"# {report}: bounded at {bound.TotalMinutes:0.#} min (--bound-minutes N to change)");
        var watchdog = new Thread(() =>
        {
            Thread.Sleep(bound);
            Console.Out.Flush();
            Console.Error.WriteLine($"# {report}: exceeded its bound of {bound.TotalMinutes:0.#} min; stopped (exit code {ExceededExitCode})");
            Environment.Exit(ExceededExitCode);
        })
        { IsBackground = true, Name = "report bound" };
        watchdog.Start();
    }
}
