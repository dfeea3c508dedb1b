using System.Globalization;

namespace Silk.Api.Compaction;

/// <summary>When the server compacts on its own.</summary>
public enum CompactionPolicy
{
    /// <summary>Never: only <c>POST /compact</c> compacts.</summary>
    None,

    /// <summary>When the log has more than <see cref="CompactionOptions.MaxEntries"/> entries.</summary>
    Threshold,

    /// <summary>At most once every <see cref="CompactionOptions.IntervalSeconds"/>, when the log has grown since.</summary>
    Interval,
}

/// <summary>
/// The <c>Silk:Compaction</c> settings: an automatic compaction policy. Unlike the original's policies, which
/// leave safety to the application, these compact only when <c>GET /compact/safety</c> would say it is safe.
/// </summary>
public sealed class CompactionOptions
{
    public const string SectionName = "Silk:Compaction";

    /// <summary><c>none</c> (the default), <c>threshold</c> or <c>interval</c>.</summary>
    public string Policy { get; set; } = "none";

    /// <summary>With <c>threshold</c>: compact once the log holds more entries than this (required, at least 1).</summary>
    public int? MaxEntries { get; set; }

    /// <summary>With <c>interval</c>: seconds between compactions (required, 1 to 2592000, 30 days).</summary>
    public double? IntervalSeconds { get; set; }

    /// <summary>After a compaction was due but unsafe (or failed), seconds until the policy checks again even without writes.</summary>
    public double RetrySeconds { get; set; } = 5;

    // 30 days: a single timer (Task.Delay) cannot wait much longer than 49 days.
    private const double MaxSeconds = 2_592_000;

    /// <summary>The policy named by <see cref="Policy"/>, or null when it names none.</summary>
    public static CompactionPolicy? ParsePolicy(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "" or "none" => CompactionPolicy.None,
        "threshold" => CompactionPolicy.Threshold,
        "interval" => CompactionPolicy.Interval,
        _ => null,
    };

    /// <summary>The policy's name as settings and responses spell it.</summary>
    public static string Name(CompactionPolicy policy) => policy.ToString().ToLowerInvariant();

    /// <summary>Why these settings cannot work, each naming its setting; empty when they can.</summary>
    internal IEnumerable<string> Problems()
    {
        var policy = ParsePolicy(Policy);
        if (policy is null) yield return $"Setting {SectionName}:Policy is \"{Policy}\"; it must be \"none\", \"threshold\" (with {SectionName}:MaxEntries) or \"interval\" (with {SectionName}:IntervalSeconds).";
        if (MaxEntries is < 1) yield return Bad(nameof(MaxEntries), MaxEntries, "must be at least 1");
        else if (policy == CompactionPolicy.Threshold && MaxEntries is null) yield return $"Setting {SectionName}:MaxEntries is missing; {SectionName}:Policy \"threshold\" needs it (the entry count above which the log is compacted).";
        if (IntervalSeconds is { } interval && !(interval is >= 1 and <= MaxSeconds)) yield return Bad(nameof(IntervalSeconds), interval, $"must be between 1 and {MaxSeconds}");
        else if (policy == CompactionPolicy.Interval && IntervalSeconds is null) yield return $"Setting {SectionName}:IntervalSeconds is missing; {SectionName}:Policy \"interval\" needs it (the seconds between compactions).";
        if (!(RetrySeconds is >= 0.1 and <= 3600)) yield return Bad(nameof(RetrySeconds), RetrySeconds, "must be between 0.1 and 3600");
    }

    private static string Bad(string name, object? value, string rule) =>
        string.Create(CultureInfo.InvariantCulture, $"Setting {SectionName}:{name} is {value}; it {rule}.");
}
