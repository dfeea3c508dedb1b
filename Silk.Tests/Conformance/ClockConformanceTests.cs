using System.Buffers;
using System.Text.Json;
using MessagePack;
using Silk.Core.Clock;
using Silk.Core.Wire;
using static Silk.Tests.Conformance.Vectors;

namespace Silk.Tests.Conformance;

/// <summary>A wall clock pinned to one millisecond value.</summary>
internal sealed class FixedTime(long unixMs) : TimeProvider
{
    public long UnixMs { get; set; } = unixMs;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(UnixMs);
}

/// <summary>clock.json: HLC tick and merge rules, the LWW order, and the clock's msgpack form.</summary>
public sealed class ClockConformanceTests
{
    private const string File = "clock.json";
    private const string WallNow = "WALL_CLOCK_NOW";

    // Below 2^62, so the deterministic cases (physical ≥ 2^62) never see the wall clock win; above the
    // WALL_CLOCK_NOW cases' physical values, so those do.
    private const long PinnedWallMs = 1_750_000_000_000;

    public static TheoryData<int, string> TickCases => Indexed(File, "tick");

    public static TheoryData<int, string> MergeCases => Indexed(File, "merge");

    public static TheoryData<int, string> OrderCases => Indexed(File, "cmp_order");

    public static TheoryData<int, string> EncodingCases => Indexed(File, "encoding");

    private static (ulong Physical, uint Logical, bool IsWallNow) Reading(JsonElement e)
    {
        var p = Prop(e, "physical_ms");
        var logical = Prop(e, "logical").GetUInt32();
        return p.ValueKind == JsonValueKind.String && p.GetString() == WallNow
            ? (0, logical, true)
            : (p.GetUInt64(), logical, false);
    }

    [Theory]
    [MemberData(nameof(TickCases))]
    public void Tick(int index, string label)
    {
        _ = label;
        var c = At(File, ["tick"], index);
        var before = Reading(Prop(c, "before"));
        var after = Reading(Prop(c, "after"));
        var expectedPhysical = after.IsWallNow ? (ulong)PinnedWallMs : after.Physical;
        if (!after.IsWallNow) Assert.True(before.Physical > PinnedWallMs, "deterministic tick cases must be ahead of the wall clock");

        Assert.Equal((expectedPhysical, after.Logical), HybridClock.TickRule(before.Physical, before.Logical, PinnedWallMs));

        var clock = new HybridClock("tick-node", new FixedTime(PinnedWallMs), before.Physical, before.Logical);
        var stamp = clock.Tick();
        Assert.Equal(new ClockStamp("tick-node", expectedPhysical, after.Logical), stamp);
        Assert.Equal(stamp, clock.Current);
    }

    [Theory]
    [MemberData(nameof(MergeCases))]
    public void Merge(int index, string label)
    {
        _ = label;
        var c = At(File, ["merge"], index);
        var local = Reading(Prop(c, "local"));
        var remote = Reading(Prop(c, "remote"));
        var after = Reading(Prop(c, "after"));
        var expectedPhysical = after.IsWallNow ? (ulong)PinnedWallMs : after.Physical;

        Assert.Equal(
            (expectedPhysical, after.Logical),
            HybridClock.MergeRule(local.Physical, local.Logical, remote.Physical, remote.Logical, PinnedWallMs));

        // The id never changes: the merged stamp carries the local id.
        var clock = new HybridClock("local-id", new FixedTime(PinnedWallMs), local.Physical, local.Logical);
        var stamp = clock.Merge(new ClockStamp("remote-id", remote.Physical, remote.Logical));
        Assert.Equal(new ClockStamp("local-id", expectedPhysical, after.Logical), stamp);
    }

    [Theory]
    [MemberData(nameof(OrderCases))]
    public void Lww_order(int index, string label)
    {
        _ = label;
        var c = At(File, ["cmp_order"], index);
        var a = Clock(Prop(c, "a"));
        var b = Clock(Prop(c, "b"));
        var expected = Str(c, "a_cmp_order_b") switch
        {
            "greater" => 1,
            "less" => -1,
            "equal" => 0,
            var other => throw new InvalidOperationException($"unknown ordering '{other}'"),
        };

        Assert.Equal(expected, Math.Sign(a.CompareLww(b)));
        Assert.Equal(-expected, Math.Sign(b.CompareLww(a)));
        Assert.Equal(Prop(c, "a_wins_lww_over_b").GetBoolean(), a.WinsOver(b));
    }

    [Theory]
    [MemberData(nameof(EncodingCases))]
    public void Encoding_round_trips(int index, string label)
    {
        _ = label;
        var c = At(File, ["encoding"], index);
        var clock = Clock(Prop(c, "clock"));
        Assert.Equal(Str(c, "msgpack_hex"), ToHex(Encode(clock)));
        Assert.Equal(clock, Decode(HexOf(c, "msgpack_hex")));
    }

    internal static byte[] Encode(ClockStamp clock)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        clock.Write(ref w);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>ClockStamp has no whole-buffer decoder of its own; this is the wrapper the wire code would use.</summary>
    internal static ClockStamp Decode(ReadOnlyMemory<byte> bytes) =>
        MsgPack.DecodeWhole(bytes, "invalid clock", static (ref MessagePackReader r) => ClockStamp.Read(ref r));
}
