using System.Buffers;
using BenchmarkDotNet.Attributes;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Benchmarks.Wire;

/// <summary>
/// Issue 2 targets for a typical add_node entry (3 properties, one parent):
/// create+hash ≤ 1 µs, encode ≤ 0.6 µs, decode ≤ 1 µs, verify ≤ 0.3 µs; no allocation on encode and verify.
/// </summary>
[MemoryDiagnoser]
public class EntryBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private AddNode _op = null!;
    private Hash[] _parents = null!;
    private ClockStamp _clock;
    private Entry _entry = null!;
    private byte[] _bytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _op = new AddNode("n4242", "item", null, "n4242", ValueMap.Of(("name", "node-4242"), ("n", 4242L), ("score", 2121.0)));
        _parents = [Hash.Compute("parent"u8)];
        _clock = new ClockStamp("bench-a", 1_764_000_000_000, 3);
        _entry = Entry.Create(_op, _parents, _clock, "bench-a");
        _bytes = _entry.ToBytes();
    }

    [Benchmark]
    public Entry CreateAndHash() => Entry.Create(_op, _parents, _clock, "bench-a");

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        _entry.WriteTo(_output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public Entry Decode() => Entry.Decode(_bytes);

    [Benchmark]
    public bool Verify() => _entry.VerifyHash();
}
