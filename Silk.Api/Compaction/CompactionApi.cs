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
public sealed record CompactionSafety(bool Safe, IReadOnlyList<string> Reasons);

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
            .WithSummary("Is compaction safe now?");

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
            StoreLog.Compacted(logger, before, after, hash, safe ?? true, elapsedMs);
            return TypedResults.Ok(new CompactionResult(hash, after));
        }
        catch (InvalidOperationException) when (safe ?? true)
        {
            // Became unsafe between the check and the compaction.
            return Unsafe(store.VerifyCompactionSafe().Reasons);
        }
    }

    internal static Ok<CompactionSafety> GetSafety(StoreHost host)
    {
        var (safe, reasons) = host.Store.VerifyCompactionSafe();
        return TypedResults.Ok(new CompactionSafety(safe, reasons));
    }

    private static ConflictProblem Unsafe(IReadOnlyList<string> reasons)
    {
        var conflict = ApiProblems.Conflict($"compaction is unsafe: {string.Join("; ", reasons)}. Pass safe=false to force.", "unsafe_compaction");
        conflict.Value.Extensions["reasons"] = reasons.ToArray();
        return conflict;
    }
}
