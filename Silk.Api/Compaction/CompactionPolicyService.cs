using System.Diagnostics;
using Silk.Api.Diagnostics;
using Silk.Api.Hosting;
using Silk.Core.Store;

namespace Silk.Api.Compaction;

/// <summary>
/// Runs the automatic compaction policy of <c>Silk:Compaction</c> in the background, never on a writer's
/// thread. <c>threshold</c> wakes on the store's bell (which rings after every durable write), lets a burst of
/// writes settle for <see cref="Debounce"/> and checks once; it also checks once at start, so a store already
/// over the threshold is compacted as soon as it is safe. <c>interval</c> checks every <c>IntervalSeconds</c>.
/// A due compaction runs only through <see cref="GraphStore.TryCompact"/>: only when it is safe and no other
/// compaction is running, so it holds writers up no longer than a manual <c>POST /compact</c>. A due but unsafe
/// compaction is a skip: counted every time, logged once per distinct set of reasons, checked again after
/// <c>RetrySeconds</c>.
/// </summary>
public sealed partial class CompactionPolicyService(StoreHost host, CompactionPolicyState state, CompactionMetrics metrics, ILoggerFactory logs) : BackgroundService
{
    /// <summary>How long the threshold policy lets writes go on after a ring before it checks.</summary>
    internal static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(250);

    private readonly ILogger _logger = logs.CreateLogger(StoreLog.Category);

    /// <summary>The reasons of the last logged skip (kinds and subjects), so that a repeated skip is not logged again.</summary>
    private string? _loggedSkip;

    private enum Outcome
    {
        NotDue,
        Compacted,
        Skipped,
    }

    private CompactionOptions Options => state.Options;

    private TimeSpan Retry => TimeSpan.FromSeconds(Options.RetrySeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (state.Policy == CompactionPolicy.None) return;
        await Task.Yield(); // off the host's startup thread: a first compaction may take a while
        try
        {
            if (state.Policy == CompactionPolicy.Threshold) await RunThresholdAsync(stoppingToken);
            else await RunIntervalAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunThresholdAsync(CancellationToken ct)
    {
        var bell = host.Store.Bell;
        while (true)
        {
            // Read before the check: a write during the check rings past it and is looked at next round.
            var seen = bell.Version;
            var maxEntries = Options.MaxEntries ?? int.MaxValue;
            if (Check(CompactionPolicy.Threshold, store => store.EntryCount > maxEntries) == Outcome.Skipped)
            {
                await Task.Delay(Retry, ct);
                continue;
            }

            await bell.WaitAsync(seen, Timeout.InfiniteTimeSpan, ct);
            await Task.Delay(Debounce, ct);
        }
    }

    private async Task RunIntervalAsync(CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(Options.IntervalSeconds ?? 3600);
        var wait = interval;
        while (true)
        {
            await Task.Delay(wait, ct);
            // Once the interval has passed, the policy compacts at the first safe check (retried meanwhile).
            wait = Check(CompactionPolicy.Interval, _ => true) == Outcome.Skipped && Retry < interval ? Retry : interval;
        }
    }

    /// <summary>One check: compacts when <paramref name="due"/> and the log can shrink, if it is safe.</summary>
    private Outcome Check(CompactionPolicy policy, Func<GraphStore, bool> due)
    {
        var store = host.Store;
        if (!host.IsReady || !due(store) || store.CompactableEntries == 0)
        {
            _loggedSkip = null;
            return Outcome.NotDue;
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            var attempt = store.TryCompact();
            if (!attempt.Compacted)
            {
                Skip(policy, attempt.Blockers);
                return Outcome.Skipped;
            }

            var checkpoint = attempt.Checkpoint!.Value.ToHex();
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            _loggedSkip = null;
            var trigger = CompactionOptions.Name(policy) + " policy";
            StoreLog.Compacted(_logger, trigger, attempt.EntriesBefore, attempt.EntriesAfter, checkpoint, true, elapsedMs);
            metrics.Compacted(policy);
            state.RecordCompaction(checkpoint); // last: once an operator sees it, the log line and the count are out too
            return Outcome.Compacted;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A store that cannot persist (faulted) or is closing: retried later, like a skip.
            LogFailed(_logger, CompactionOptions.Name(policy), ex);
            return Outcome.Skipped;
        }
    }

    private void Skip(CompactionPolicy policy, IReadOnlyList<CompactionBlocker> blockers)
    {
        var reasons = blockers.Select(b => b.Reason).ToList();

        // The reasons' wording changes with every write (the newest entry's time); their kinds and subjects do not.
        var key = string.Join("|", blockers.Select(b => $"{b.Kind}:{b.Subject}").Order(StringComparer.Ordinal));
        if (key != _loggedSkip)
        {
            _loggedSkip = key;
            var (name, text) = (CompactionOptions.Name(policy), string.Join("; ", reasons));
            LogSkipped(_logger, name, text, Options.RetrySeconds);
        }

        metrics.Skipped(policy, blockers.Select(b => b.Kind));
        state.RecordSkip(reasons);
    }

    [LoggerMessage(EventId = LogEvents.CompactionSkipped, Level = LogLevel.Information,
        Message = "Automatic compaction ({Policy} policy) is due but unsafe, skipped: {Reasons}. Checked again every {RetrySeconds} s; logged again when the reasons change")]
    private static partial void LogSkipped(ILogger logger, string policy, string reasons, double retrySeconds);

    [LoggerMessage(EventId = LogEvents.CompactionFailed, Level = LogLevel.Warning, Message = "Automatic compaction ({Policy} policy) failed")]
    private static partial void LogFailed(ILogger logger, string policy, Exception exception);
}
