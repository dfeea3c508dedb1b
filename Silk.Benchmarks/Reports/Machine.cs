namespace Silk.Benchmarks.Reports;

/// <summary>What the shared machine was doing while a report ran.</summary>
internal static class Machine
{
    /// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg), or n/a.</summary>
    public static string LoadAverage()
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
}
