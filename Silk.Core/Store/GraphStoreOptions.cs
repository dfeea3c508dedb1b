namespace Silk.Core.Store;

public sealed record GraphStoreOptions
{
    /// <summary>The wall clock behind the store's hybrid clock (tests pin it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Remote entries whose clock is further ahead than this of max(our clock, wall clock) are dropped.</summary>
    public ulong MaxClockDriftMs { get; init; } = 1_000_000;

    /// <summary>Entries held back because their parents have not arrived yet (delta sync); beyond this the oldest are let go.</summary>
    public int MaxPendingEntries { get; init; } = 100_000;

    /// <summary>Called when a change subscriber throws; the write itself is never affected.</summary>
    public Action<Exception>? OnSubscriberError { get; init; }

    /// <summary>Where the store counts its work (entries appended, write latency, commit batches, compactions); null counts nothing.</summary>
    public Diagnostics.SilkMetrics? Metrics { get; init; }

    /// <summary>Where the store reports long operations (open, bootstrap, compaction) as they progress; null reports nothing.</summary>
    public Diagnostics.OperationTracker? Operations { get; init; }
}
