using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Silk.Api.Auth;
using Silk.Api.Diagnostics;
using Silk.Api.Hosting;
using Silk.Api.Problems;

namespace Silk.Api.Compaction;

/// <summary>Whether compaction is safe now.</summary>
/// <param name="Safe">True when no known peer or registered cursor would be left behind.</param>
/// <param name="Reasons">Why it is not safe, when it is not.</param>
/// <param name="Automatic">The automatic compaction policy (<c>Silk:Compaction</c>) and what it last did.</param>
public sealed record CompactionSafety(bool Safe, IReadOnlyList<string> Reasons, CompactionPolicyStatus Automatic);

/// <summary>The automatic compaction policy and what it last did since this server started.</summary>
/// <param name="Policy"><c>none</c>, <c>threshold</c> or <c>interval</c> (<c>Silk:Compaction:Policy</c>).</param>
/// <param name="MaxEntries">With <c>threshold</c>: the log is compacted once it holds more entries than this; null otherwise.</param>
/// <param name="IntervalSeconds">With <c>interval</c>: seconds between compactions; null otherwise.</param>
/// <param name="LastCompactionMs">Wall time (ms) of the policy's last compaction, 0 if none yet.</param>
/// <param name="LastCheckpoint">The checkpoint that compaction wrote, null if none yet.</param>
/// <param name="LastSkipMs">Wall time (ms) of the last check that found a compaction due but unsafe, 0 if none.</param>
/// <param name="LastSkipReasons">Why that check did not compact (compare <c>last_skip_ms</c> with <c>last_compaction_ms</c> to see whether it still holds).</param>
public sealed record CompactionPolicyStatus(
    string Policy, int? MaxEntries, double? IntervalSeconds, long LastCompactionMs, string? LastCheckpoint, long LastSkipMs, IReadOnlyList<string> LastSkipReasons);

/// <summary>The outcome of a compaction.</summary>
/// <param name="Hash">The checkpoint entry that now starts the log.</param>
/// <param name="EntryCount">Entries in the log afterwards (the checkpoint and carried-over quarantined entries).</param>
public sealed record CompactionResult(string Hash, int EntryCount);

/// <summary>Compaction: replace the log by a checkpoint of the live state (SPEC §9).</summary>
public static class CompactionApi
{
    public static IEndpointRouteBuilder MapCompactionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/compact").WithTags("Compaction").RequireSilkRole(SilkRole.Admin);

        group.MapPost("", Compact)
            .WithName("Compact")
            .WithSummary("Compact the log")
            .WithDescription("Replaces the whole log by one checkpoint entry holding the live state. History before it is gone (time travel sees the checkpoint state). With safe=true (the default) it is refused with 409 and the reasons while a known peer or a registered tail cursor would be left behind.")
            .WithQueryProblems();

        group.MapGet("/safety", GetSafety)
            .WithName("GetCompactionSafety")
            .WithSummary("Is compaction safe now?")
            .WithDescription("Whether compaction would leave a known peer or a registered tail cursor behind, with the reasons, and the automatic compaction policy (Silk:Compaction) with its last compaction and last skip.");

        return app;
    }

    internal static Results<Ok<CompactionResult>, ConflictProblem> Compact(
        StoreHost host, ILoggerFactory logs, [FromQuery, Description("Refuse when compaction would strand a peer or cursor (default true).")] bool? safe)
    {
        var store = host.Store;
        if (safe ?? true)
        {
            var (ok, reasons) = store.VerifyCompactionSafe();
            if (!ok) return Unsafe(reasons);
        }

        try
        {
            var before = store.EntryCount;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var hash = store.Compact(safe ?? true).ToHex();
            var elapsedMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var after = store.EntryCount;
            var logger = logs.CreateLogger(StoreLog.Category);
            StoreLog.Compacted(logger, "POST /compact", before, after, hash, safe ?? true, elapsedMs);
            return TypedResults.Ok(new CompactionResult(hash, after));
        }
        catch (InvalidOperationException) when (safe ?? true)
        {
            // Became unsafe between the check and the compaction.
            return Unsafe(store.VerifyCompactionSafe().Reasons);
        }
    }

    internal static Ok<CompactionSafety> GetSafety(StoreHost host, CompactionPolicyState policy)
    {
        var (safe, reasons) = host.Store.VerifyCompactionSafe();
        return TypedResults.Ok(new CompactionSafety(safe, reasons, policy.Status()));
    }

    private static ConflictProblem Unsafe(IReadOnlyList<string> reasons)
    {
        var conflict = ApiProblems.Conflict($"compaction is unsafe: {string.Join("; ", reasons)}. Pass safe=false to force.", "unsafe_compaction");
        conflict.Value.Extensions["reasons"] = reasons.ToArray();
        return conflict;
    }
}
