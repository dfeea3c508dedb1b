namespace Silk.Core.Clock;

/// <summary>
/// A hybrid logical clock (tick on local events, merge on remote ones). Thread-safe. The wall clock
/// comes from a <see cref="TimeProvider"/> so tests can pin it.
/// </summary>
public sealed class HybridClock
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private ulong _physical;
    private uint _logical;

    public HybridClock(string id, TimeProvider? time = null, ulong physicalMs = 0, uint logical = 0)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
        _time = time ?? TimeProvider.System;
        _physical = physicalMs;
        _logical = logical;
    }

    public string Id { get; }

    public ClockStamp Current
    {
        get
        {
            lock (_lock) return new ClockStamp(Id, _physical, _logical);
        }
    }

    public ulong WallMs => (ulong)Math.Max(0, _time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Advances for a local event and returns the new stamp.</summary>
    public ClockStamp Tick()
    {
        var wall = WallMs;
        lock (_lock)
        {
            (_physical, _logical) = TickRule(_physical, _logical, wall);
            return new ClockStamp(Id, _physical, _logical);
        }
    }

    /// <summary>Folds in a remote stamp so that later local stamps order after it.</summary>
    public ClockStamp Merge(ClockStamp remote)
    {
        var wall = WallMs;
        lock (_lock)
        {
            (_physical, _logical) = MergeRule(_physical, _logical, remote.PhysicalMs, remote.Logical, wall);
            return new ClockStamp(Id, _physical, _logical);
        }
    }

    public static (ulong Physical, uint Logical) TickRule(ulong physical, uint logical, ulong wall) =>
        wall > physical ? (wall, 0u) : (physical, SaturatingIncrement(logical));

    public static (ulong Physical, uint Logical) MergeRule(ulong localPhysical, uint localLogical, ulong remotePhysical, uint remoteLogical, ulong wall)
    {
        var p = Math.Max(Math.Max(localPhysical, remotePhysical), wall);
        uint l;
        if (p > localPhysical && p > remotePhysical) l = 0;
        else if (p == localPhysical && p == remotePhysical) l = SaturatingIncrement(Math.Max(localLogical, remoteLogical));
        else if (p == localPhysical) l = SaturatingIncrement(localLogical);
        else l = SaturatingIncrement(remoteLogical);
        return (p, l);
    }

    private static uint SaturatingIncrement(uint value) => value == uint.MaxValue ? value : value + 1;
}
