using MessagePack;
using Silk.Core.Wire;

namespace Silk.Core.Clock;

/// <summary>
/// One reading of a hybrid logical clock: the writer's id, wall milliseconds and a logical counter.
/// Wire form <c>[id, physical_ms, logical]</c>.
/// </summary>
public readonly record struct ClockStamp(string Id, ulong PhysicalMs, uint Logical)
{
    /// <summary>
    /// Last-writer-wins order: higher physical, then higher logical, then the ordinally LOWER id wins.
    /// Positive when this stamp wins over <paramref name="other"/>.
    /// </summary>
    public int CompareLww(ClockStamp other)
    {
        var c = CompareTime(other);
        return c != 0 ? c : Utf8Order.CompareStrings(other.Id, Id);
    }

    public bool WinsOver(ClockStamp other) => CompareLww(other) > 0;

    /// <summary>(physical, logical) only: the order of topological tie-breaks and as_of cut-offs.</summary>
    public int CompareTime(ClockStamp other)
    {
        var c = PhysicalMs.CompareTo(other.PhysicalMs);
        return c != 0 ? c : Logical.CompareTo(other.Logical);
    }

    public bool IsAtOrBefore(ulong physicalMs, uint logical) =>
        PhysicalMs < physicalMs || (PhysicalMs == physicalMs && Logical <= logical);

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(3);
        writer.Write(Id);
        writer.Write(PhysicalMs);
        writer.Write(Logical);
    }

    public static ClockStamp Read(ref MessagePackReader reader)
    {
        MsgPack.ReadArrayHeaderExactly(ref reader, 3, "a HybridClock");
        var id = MsgPack.ReadName(ref reader);
        var physical = MsgPack.ReadU64(ref reader);
        var logical = MsgPack.ReadU32(ref reader);
        return new ClockStamp(id, physical, logical);
    }

    public override string ToString() => $"{Id}@{PhysicalMs}.{Logical}";
}
