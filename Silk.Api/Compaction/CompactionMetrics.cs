using System.Diagnostics.Metrics;
using Silk.Core.Diagnostics;
using Silk.Core.Store;

namespace Silk.Api.Compaction;

/// <summary>
/// The automatic compaction policy on the <c>Silk</c> meter: compactions it ran (tag <c>policy</c>) and the times it
/// found a compaction due but unsafe (tags <c>policy</c> and <c>reason</c>, one count per kind of reason present).
/// Every compaction, automatic or not, is also counted by <c>silk.compaction.runs</c>.
/// </summary>
public sealed class CompactionMetrics
{
    private readonly Counter<long> _compactions;
    private readonly Counter<long> _skips;

    public CompactionMetrics(SilkMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var meter = metrics.Meter;
        _compactions = meter.CreateCounter<long>("silk.compaction.automatic", "{run}", "Compactions run by the automatic policy (Silk:Compaction:Policy), by policy.");
        _skips = meter.CreateCounter<long>("silk.compaction.skipped", "{check}", "Checks of the automatic policy that found a compaction due but unsafe, by policy and kind of reason (a check with two kinds counts under both).");
    }

    internal void Compacted(CompactionPolicy policy) => _compactions.Add(1, PolicyTag(policy));

    internal void Skipped(CompactionPolicy policy, IEnumerable<CompactionBlockerKind> kinds)
    {
        var tag = PolicyTag(policy);
        foreach (var kind in kinds.Distinct()) _skips.Add(1, tag, new KeyValuePair<string, object?>("reason", ReasonName(kind)));
    }

    /// <summary>A kind of reason as the <c>reason</c> tag spells it: <c>peer_never_synced</c>, <c>peer_behind</c>, <c>lossy_checkpoint</c>, <c>cursor_unknown</c>, <c>cursor_behind</c>, <c>compaction_running</c>.</summary>
    public static string ReasonName(CompactionBlockerKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    private static KeyValuePair<string, object?> PolicyTag(CompactionPolicy policy) => new("policy", CompactionOptions.Name(policy));
}
