using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Silk.Core.Diagnostics;

/// <summary>
/// The store's instruments on the <see cref="MeterName"/> meter (read by dotnet-counters, a
/// <see cref="MeterListener"/> or OpenTelemetry). The tags are static pairs and every call is a counter add
/// or a histogram record: nothing is allocated per write, so the write path pays a few nanoseconds.
/// </summary>
public sealed class SilkMetrics
{
    public const string MeterName = "Silk";

    private static readonly KeyValuePair<string, object?> Local = new("source", "local");
    private static readonly KeyValuePair<string, object?> Merged = new("source", "merged");

    private readonly Counter<long> _appended;
    private readonly Counter<long> _quarantined;
    private readonly Histogram<double> _writeDuration;
    private readonly Histogram<int> _commitBatch;
    private readonly Counter<long> _compactions;

    public SilkMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        Meter = meter;
        _appended = meter.CreateCounter<long>("silk.entries.appended", "{entry}", "Entries added to the log, by source: local (written here) or merged (from a peer).");
        _quarantined = meter.CreateCounter<long>("silk.entries.quarantined", "{entry}", "Merged entries that arrived in quarantine (valid, but refused by this store's schema).");
        _writeDuration = meter.CreateHistogram<double>("silk.write.duration", "s", "Time from a write call (one node, edge or property write, a batch, a merge) to its durable acknowledgement, by source.");
        _commitBatch = meter.CreateHistogram<int>("silk.commit.batch_size", "{entry}", "Entries persisted by one durable group commit.");
        _compactions = meter.CreateCounter<long>("silk.compaction.runs", "{run}", "Completed compactions (the log replaced by a checkpoint).");
    }

    /// <summary>The meter the instruments live on (the API adds its own instruments to it).</summary>
    public Meter Meter { get; }

    internal void Appended(bool local, int count)
    {
        if (count > 0) _appended.Add(count, local ? Local : Merged);
    }

    internal void Quarantined(int count)
    {
        if (count > 0) _quarantined.Add(count);
    }

    internal void WriteDone(bool local, long startTimestamp) =>
        _writeDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, local ? Local : Merged);

    internal void Committed(int entries) => _commitBatch.Record(entries);

    internal void Compacted() => _compactions.Add(1);
}
