using Microsoft.Extensions.Options;
using Silk.Api.Hosting;

namespace Silk.Api.Compaction;

/// <summary>
/// The configured automatic compaction policy and what it last did since this server started: what
/// <c>GET /compact/safety</c> shows under <c>automatic</c>. Written by <see cref="CompactionPolicyService"/>.
/// </summary>
public sealed class CompactionPolicyState
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private long _lastCompactionMs;
    private string? _lastCheckpoint;
    private long _lastSkipMs;
    private IReadOnlyList<string> _lastSkipReasons = [];

    public CompactionPolicyState(IOptions<SilkOptions> options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        Options = options.Value.Compaction ?? new CompactionOptions();
        // The settings were validated at startup, so the name parses.
        Policy = CompactionOptions.ParsePolicy(Options.Policy) ?? CompactionPolicy.None;
    }

    public CompactionPolicy Policy { get; }

    public CompactionOptions Options { get; }

    internal void RecordCompaction(string checkpoint)
    {
        lock (_lock)
        {
            _lastCompactionMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            _lastCheckpoint = checkpoint;
        }
    }

    internal void RecordSkip(IReadOnlyList<string> reasons)
    {
        lock (_lock)
        {
            _lastSkipMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            _lastSkipReasons = reasons;
        }
    }

    public CompactionPolicyStatus Status()
    {
        lock (_lock)
        {
            return new CompactionPolicyStatus(
                CompactionOptions.Name(Policy),
                Policy == CompactionPolicy.Threshold ? Options.MaxEntries : null,
                Policy == CompactionPolicy.Interval ? Options.IntervalSeconds : null,
                _lastCompactionMs,
                _lastCheckpoint,
                _lastSkipMs,
                _lastSkipReasons);
        }
    }
}
