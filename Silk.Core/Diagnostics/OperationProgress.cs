using System.Diagnostics;

namespace Silk.Core.Diagnostics;

/// <summary>A snapshot of one long operation (opening a store, bootstrap from a snapshot, compaction).</summary>
/// <param name="Name">What runs: <c>open</c>, <c>bootstrap</c>, <c>compaction</c>.</param>
/// <param name="Done">Units done (entries).</param>
/// <param name="Total">Units in all.</param>
/// <param name="Running">Still running.</param>
/// <param name="Elapsed">Time since it started (until it finished, once it has).</param>
/// <param name="StartedAt">When it started.</param>
public sealed record OperationStatus(string Name, long Done, long Total, bool Running, TimeSpan Elapsed, DateTimeOffset StartedAt)
{
    /// <summary>Done out of total, 0-100 (100 once finished).</summary>
    public double Percent => !Running ? 100 : Total <= 0 ? 0 : Math.Min(100, 100.0 * Done / Total);

    /// <summary>Units per second so far.</summary>
    public double RatePerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Where a store reports its long operations. <see cref="Reported"/> is called at the start, at most every
/// <see cref="ReportInterval"/> while one runs, and at its end (the server logs these); <see cref="Current"/>
/// lists the running ones and the last of each kind (the server's <c>/info</c>). Advancing costs an increment
/// and, once per 4,096 units, a clock read.
/// </summary>
public sealed class OperationTracker(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Operation> _latest = new(StringComparer.Ordinal);

    /// <summary>Called with a status when an operation starts, every <see cref="ReportInterval"/> while it runs, and when it ends.</summary>
    public Action<OperationStatus>? Reported { get; init; }

    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The running operations and the last finished one of each kind, by name.</summary>
    public IReadOnlyList<OperationStatus> Current()
    {
        lock (_lock) return _latest.Values.Select(o => o.Status()).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Starts tracking; dispose the operation when it ends (finished or failed).</summary>
    public Operation Start(string name, long total)
    {
        var operation = new Operation(this, name, total);
        lock (_lock) _latest[name] = operation;
        Reported?.Invoke(operation.Status());
        return operation;
    }

    /// <summary>One running operation.</summary>
    public sealed class Operation : IDisposable
    {
        private const long CheckEvery = 4096;
        private readonly OperationTracker _owner;
        private readonly long _started;
        private readonly DateTimeOffset _startedAt;
        private long _done;
        private long _lastReport;
        private long _ended;

        internal Operation(OperationTracker owner, string name, long total)
        {
            _owner = owner;
            Name = name;
            Total = total;
            _started = Stopwatch.GetTimestamp();
            _lastReport = _started;
            _startedAt = owner._time.GetUtcNow();
        }

        public string Name { get; }

        public long Total { get; private set; }

        public void Advance(long units = 1)
        {
            var done = Interlocked.Add(ref _done, units);
            if (done % CheckEvery >= units && units < CheckEvery) return;
            var now = Stopwatch.GetTimestamp();
            if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastReport), now) < _owner.ReportInterval) return;
            Interlocked.Exchange(ref _lastReport, now);
            _owner.Reported?.Invoke(Status());
        }

        public OperationStatus Status()
        {
            var ended = Interlocked.Read(ref _ended);
            var elapsed = Stopwatch.GetElapsedTime(_started, ended == 0 ? Stopwatch.GetTimestamp() : ended);
            return new OperationStatus(Name, Interlocked.Read(ref _done), Total, ended == 0, elapsed, _startedAt);
        }

        public void Dispose()
        {
            if (Interlocked.CompareExchange(ref _ended, Stopwatch.GetTimestamp(), 0) != 0) return;
            _owner.Reported?.Invoke(Status());
        }
    }
}
