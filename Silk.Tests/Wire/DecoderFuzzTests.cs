using System.Diagnostics;
using System.Globalization;
using System.Text;
using Silk.Core.Entries;
using Silk.Core.Schema;
using Silk.Core.Sync;
using Silk.Core.Wire;
using Silk.Tests.Conformance;
using Xunit.Abstractions;

namespace Silk.Tests.Wire;

/// <summary>
/// Bad input for every decoder: random bytes, every truncation of every valid vector, single-byte mutations,
/// valid msgpack/JSON of the wrong shape, oversized and deeply nested input. Every decoder must either
/// succeed or throw exactly its one format exception (<see cref="WireFormatException"/>, or
/// <see cref="OntologyFormatException"/> for ontology JSON); never another type, never a hang.
/// Deterministic: the seed is fixed (override with SILK_FUZZ_SEED) and printed with every failure.
/// </summary>
public sealed class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 0x51_1C_2024;
    // Catches a decoder that blows up (super-linear work, a hang); wide enough for a GC pause on a loaded machine.
    private static readonly TimeSpan PerCaseBudget = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BatchBudget = TimeSpan.FromMinutes(3);

    private static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("SILK_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;

    /// <summary>Thrown by the post-decode checks: a decoder accepted input it cannot then re-encode stably.</summary>
    private sealed class InvariantViolation(string message, Exception? inner = null) : Exception(message, inner);

    private sealed record Decoder<T>(string Name, Type Allowed, Action<T> Run);

    private static readonly string[] Tags =
        ["define_ontology", "add_node", "add_edge", "update_property", "remove_node", "remove_edge", "extend_ontology", "define_lens", "checkpoint", "op"];

    private static readonly Hash Probe = Hash.Compute("probe"u8);

    private static readonly Decoder<ReadOnlyMemory<byte>>[] BinaryDecoders =
    [
        new("ValueCodec.Decode", typeof(WireFormatException), b =>
        {
            var bytes = ValueCodec.Encode(ValueCodec.Decode(b));
            Check(bytes.AsSpan().SequenceEqual(ValueCodec.Encode(ValueCodec.Decode(bytes))), "value re-encoding is not stable");
        }),
        new("GraphOpCodec.Decode", typeof(WireFormatException), b =>
        {
            var op = GraphOpCodec.Decode(b);
            var bytes = GraphOpCodec.Encode(op);
            Check(bytes.AsSpan().SequenceEqual(GraphOpCodec.Encode(GraphOpCodec.Decode(bytes))), "op re-encoding is not stable");
            _ = GraphOpJson.ToJson(op);
        }),
        new("Entry.Decode", typeof(WireFormatException), b =>
        {
            var entry = Entry.Decode(b);
            var bytes = entry.ToBytes();
            Check(bytes.Length == entry.EncodedLength(), "EncodedLength differs from the bytes written");
            var again = Entry.Decode(bytes);
            Check(again.Hash == entry.Hash && again.VerifyHash() == entry.VerifyHash(), "entry changed hash or verification on re-encoding");
            Check(again.SignableBytes.SequenceEqual(entry.SignableBytes), "signable bytes changed on re-encoding");
            Check(Entry.Decode(entry.ToBytes(EntryForm.Legacy8)).Hash == entry.Hash, "legacy form changed the hash");
        }),
        new("BloomFilter.Decode", typeof(WireFormatException), b =>
        {
            var bloom = BloomFilter.Decode(b);
            _ = bloom.MightContain(Probe);
            var copy = BloomFilter.Decode(bloom.ToBytes());
            copy.Insert(Probe);
            Check(copy.MightContain(Probe), "inserted hash not found");
        }),
        new("SyncOffer.Decode", typeof(WireFormatException), b =>
        {
            var offer = SyncOffer.Decode(b);
            _ = offer.Bloom.MightContain(Probe);
            Check(offer.ToBytes().AsSpan().SequenceEqual(SyncOffer.Decode(offer.ToBytes()).ToBytes()), "offer re-encoding is not stable");
        }),
        new("SyncPayload.Decode", typeof(WireFormatException), b =>
        {
            var payload = SyncPayload.Decode(b);
            var again = SyncPayload.Decode(payload.ToBytes());
            Check(again.Entries.Select(e => e.Hash).SequenceEqual(payload.Entries.Select(e => e.Hash)), "payload changed on re-encoding");
            _ = SyncPayload.Decode(payload.ToBytes(EntryForm.Legacy8));
        }),
        new("SyncPayload.DecodeEntryList", typeof(WireFormatException), b =>
        {
            var entries = SyncPayload.DecodeEntryList(b);
            Check(SyncPayload.DecodeEntryList(SyncConformanceTests.EntryList(entries)).Count == entries.Count, "entry list changed on re-encoding");
        }),
        new("Snapshot.Decode", typeof(WireFormatException), b =>
        {
            var snapshot = Snapshot.Decode(b);
            Check(Snapshot.Decode(snapshot.ToBytes()).Entries.Count == snapshot.Entries.Count, "snapshot changed on re-encoding");
        }),
        new("ClockStamp (DecodeWhole wrapper)", typeof(WireFormatException), b =>
        {
            var clock = ClockConformanceTests.Decode(b);
            Check(ClockConformanceTests.Decode(ClockConformanceTests.Encode(clock)) == clock, "clock changed on re-encoding");
        }),
    ];

    private static readonly Decoder<string>[] TextDecoders =
    [
        new("OntologyJson.Parse", typeof(OntologyFormatException), s =>
        {
            var ontology = OntologyJson.Parse(s);
            var canonical = OntologyJson.ToCanonicalJson(ontology);
            Check(Invariant(() => OntologyJson.ToCanonicalJson(OntologyJson.Parse(canonical))) == canonical, "canonical JSON does not re-parse to itself");
            _ = ontology.ContentHash();
        }),
        new("OntologyJson.ParseExtension", typeof(OntologyFormatException), s =>
        {
            var json = OntologyJson.ToJson(OntologyJson.ParseExtension(s));
            Check(Invariant(() => OntologyJson.ToJson(OntologyJson.ParseExtension(json))) == json, "extension JSON does not re-parse to itself");
        }),
        new("ValueJson.Parse", typeof(WireFormatException), s =>
        {
            var json = ValueJson.ToJson(ValueJson.Parse(s));
            Check(Invariant(() => ValueJson.ToJson(ValueJson.Parse(json))) == json, "value JSON does not re-parse to itself");
        }),
        new("GraphOpJson.Parse", typeof(WireFormatException), s =>
        {
            var op = GraphOpJson.Parse(s);
            _ = GraphOpCodec.Encode(op);
            var json = GraphOpJson.ToJson(op);
            Check(Invariant(() => GraphOpJson.ToJson(GraphOpJson.Parse(json))) == json, "op JSON does not re-parse to itself");
        }),
    ];

    private static void Check(bool condition, string what)
    {
        if (!condition) throw new InvariantViolation(what);
    }

    private static T Invariant<T>(Func<T> f)
    {
        try
        {
            return f();
        }
        catch (Exception ex)
        {
            throw new InvariantViolation($"re-reading our own output failed: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Corpus

    private static readonly Lazy<byte[][]> BinaryCorpus = new(() =>
        Vectors.AllHexBlobs("values.json", "clock.json", "entries.json", "bloom.json", "sync.json", "v024_compat.json")
            .Select(x => x.Bytes)
            .Where(b => b.Length > 0)
            .DistinctBy(Convert.ToHexString)
            .ToArray());

    private static readonly Lazy<string[]> TextCorpus = new(BuildTextCorpus);

    private static string[] BuildTextCorpus()
    {
        var texts = new List<string>
        {
            Vectors.Get("entries.json", "rich_ontology").GetRawText(),
            Vectors.Get("entries.json", "rich_ontology_canonical_json").GetString()!,
        };
        foreach (var e in Vectors.Get("entries.json", "entries").EnumerateArray())
        {
            var op = Vectors.ToGraphOp(Vectors.Prop(e, "payload"));
            texts.Add(GraphOpJson.ToJson(op));
            if (op is ExtendOntology x) texts.Add(OntologyJson.ToJson(x.Extension));
        }

        foreach (var v in Vectors.Get("values.json", "values").EnumerateArray())
        {
            // JSON has no literal for NaN or ±inf: their JSON form is null, a seed that is not the vector's value.
            var value = Vectors.ToValue(Vectors.Prop(v, "value"));
            if (value.Kind != ValueKind.Float || double.IsFinite(value.AsFloat)) texts.Add(ValueJson.ToJson(value));
        }

        return texts.Distinct(StringComparer.Ordinal).ToArray();
    }

    // ---------------------------------------------------------------------------------------------
    // Runner

    private sealed class Runner(int seed)
    {
        private readonly List<string> _failures = [];
        private volatile string _current = "(not started)";

        public int Seed { get; } = seed;

        public int Cases { get; private set; }

        public int DecoderRuns { get; private set; }

        public string Current => _current;

        public IReadOnlyList<string> Failures => _failures;

        /// <summary>How many inputs each decoder accepted (so a batch that never gets past the first byte shows).</summary>
        public SortedDictionary<string, int> Accepted { get; } = new(StringComparer.Ordinal);

        public void Binary(string label, byte[] input)
        {
            Cases++;
            var memory = new ReadOnlyMemory<byte>(input);
            foreach (var d in BinaryDecoders)
            {
                One(d.Name, d.Allowed, label, () => Describe(input), () => d.Run(memory));
            }
        }

        public void Text(string label, string input)
        {
            Cases++;
            foreach (var d in TextDecoders)
            {
                One(d.Name, d.Allowed, label, () => Describe(input), () => d.Run(input));
            }
        }

        private void One(string decoder, Type allowed, string label, Func<string> describe, Action run)
        {
            _current = $"{decoder} on {label}";
            DecoderRuns++;
            var sw = Stopwatch.StartNew();
            try
            {
                run();
                Accepted[decoder] = Accepted.GetValueOrDefault(decoder) + 1;
            }
            catch (Exception ex) when (ex.GetType() == allowed)
            {
                // The one permitted failure.
            }
            catch (Exception ex)
            {
                Fail($"{decoder} on {label} threw {ex.GetType().FullName}: {ex.Message}\n  input: {describe()}\n{ex.StackTrace}");
            }

            if (sw.Elapsed > PerCaseBudget)
            {
                Fail($"{decoder} on {label} took {sw.Elapsed.TotalMilliseconds:F0} ms (budget {PerCaseBudget.TotalMilliseconds} ms)\n  input: {describe()}");
            }
        }

        private void Fail(string message)
        {
            if (_failures.Count < 25) _failures.Add(message);
            else if (_failures.Count == 25) _failures.Add("… more failures left off");
        }

        private static string Describe(byte[] b) =>
            b.Length <= 96 ? $"{b.Length} bytes {Convert.ToHexStringLower(b)}" : $"{b.Length} bytes {Convert.ToHexStringLower(b.AsSpan(0, 96))}…";

        private static string Describe(string s) =>
            s.Length <= 160 ? $"{s.Length} chars {Escape(s)}" : $"{s.Length} chars {Escape(s[..160])}…";

        private static string Escape(string s)
        {
            var sb = new StringBuilder(s.Length + 2).Append('"');
            foreach (var c in s)
            {
                if (c is < ' ' or > '~') sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                else sb.Append(c);
            }

            return sb.Append('"').ToString();
        }
    }

    /// <summary>Runs a batch off the test thread under an overall budget, so a hang fails (naming the stuck case) instead of stalling the run.</summary>
    private async Task Execute(string batch, int minCases, Action<Runner, Random> body)
    {
        var runner = new Runner(Seed);

        // A per-batch stream derived from the seed (string.GetHashCode is randomized per process, so not that).
        var batchSeed = batch.Aggregate(Seed, (h, c) => unchecked((h * 31) + c));
        var task = Task.Factory.StartNew(() => body(runner, new Random(batchSeed)), TaskCreationOptions.LongRunning);
        try
        {
            await task.WaitAsync(BatchBudget);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"seed {Seed}: batch '{batch}' did not finish within {BatchBudget}; stuck on {runner.Current}");
        }

        output.WriteLine($"seed {Seed}: batch '{batch}': {runner.Cases} cases, {runner.DecoderRuns} decoder runs; accepted: "
            + string.Join(", ", runner.Accepted.Select(kv => $"{kv.Key} {kv.Value}")));
        Assert.True(
            runner.Failures.Count == 0,
            $"seed {Seed} (replay with SILK_FUZZ_SEED={Seed}), batch '{batch}': {runner.Failures.Count} failure(s):\n\n" + string.Join("\n\n", runner.Failures));
        Assert.True(runner.Cases >= minCases, $"batch '{batch}' ran only {runner.Cases} cases, expected at least {minCases}");
    }

    // ---------------------------------------------------------------------------------------------
    // Binary batches

    private static readonly byte[] Markers =
    [
        0x00, 0x01, 0x20, 0x7f, 0x80, 0x81, 0x82, 0x84, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9f,
        0xa0, 0xa1, 0xa2, 0xa7, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd,
        0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff,
    ];

    private static byte RandomByte(Random rng) => rng.Next(2) == 0 ? Markers[rng.Next(Markers.Length)] : (byte)rng.Next(256);

    [Fact]
    public Task Random_bytes() => Execute("random bytes", 3_000, (run, rng) =>
    {
        for (var i = 0; i < 3_000; i++)
        {
            var length = rng.Next(4) == 0 ? rng.Next(512) : rng.Next(48);
            var bytes = new byte[length];
            for (var j = 0; j < length; j++) bytes[j] = RandomByte(rng);
            run.Binary($"random #{i}", bytes);
        }
    });

    [Fact]
    public Task Truncations_of_every_vector_at_every_length() => Execute("truncations", 10_000, (run, _) =>
    {
        var corpus = BinaryCorpus.Value;
        for (var v = 0; v < corpus.Length; v++)
        {
            for (var length = 0; length < corpus[v].Length; length++)
            {
                run.Binary($"vector #{v} cut at {length}/{corpus[v].Length}", corpus[v][..length]);
            }
        }
    });

    [Fact]
    public Task Single_byte_mutations_of_vectors() => Execute("byte mutations", 6_000, (run, rng) =>
    {
        var corpus = BinaryCorpus.Value;
        for (var i = 0; i < 6_000; i++)
        {
            var source = corpus[rng.Next(corpus.Length)];
            var pos = rng.Next(source.Length);
            byte[] mutated;
            string how;
            switch (rng.Next(4))
            {
                case 0:
                    mutated = (byte[])source.Clone();
                    mutated[pos] = RandomByte(rng);
                    how = $"byte {pos} := {mutated[pos]:x2}";
                    break;
                case 1:
                    mutated = (byte[])source.Clone();
                    var bit = rng.Next(8);
                    mutated[pos] ^= (byte)(1 << bit);
                    how = $"bit {bit} of byte {pos} flipped";
                    break;
                case 2:
                    mutated = [.. source.AsSpan(0, pos), RandomByte(rng), .. source.AsSpan(pos)];
                    how = $"byte inserted at {pos}";
                    break;
                default:
                    mutated = [.. source.AsSpan(0, pos), .. source.AsSpan(pos + 1)];
                    how = $"byte {pos} deleted";
                    break;
            }

            run.Binary($"mutation #{i} ({how})", mutated);
        }
    });

    [Fact]
    public Task Valid_msgpack_of_the_wrong_shape() => Execute("wrong shapes", 8_000, (run, rng) =>
    {
        // Every vector decodes as a generic msgpack tree; mutate the tree (keeping it valid msgpack) and
        // feed the re-encoded bytes to every decoder, so mutations land deep inside each structure.
        var trees = BinaryCorpus.Value.Select(TryValue).Where(v => v is not null).Select(v => v!.Value).ToArray();
        for (var i = 0; i < 6_000; i++)
        {
            var tree = trees[rng.Next(trees.Length)];
            var steps = 1 + rng.Next(3);
            for (var s = 0; s < steps; s++) tree = Mutate(tree, rng);
            run.Binary($"shape #{i} ({steps} tree mutations)", ValueCodec.Encode(tree));
        }

        for (var i = 0; i < 2_000; i++)
        {
            run.Binary($"random tree #{i}", ValueCodec.Encode(RandomValue(rng, 4)));
        }
    });

    private static Value? TryValue(byte[] bytes)
    {
        try
        {
            return ValueCodec.Decode(bytes);
        }
        catch (WireFormatException)
        {
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Text batches

    [Fact]
    public Task Json_text_truncations_mutations_and_wrong_shapes() => Execute("json text", 10_000, (run, rng) =>
    {
        var corpus = TextCorpus.Value;
        for (var t = 0; t < corpus.Length; t++)
        {
            var text = corpus[t];
            for (var length = 0; length < text.Length; length++)
            {
                run.Text($"text #{t} cut at {length}/{text.Length}", text[..length]);
            }
        }

        const string Alphabet = "{}[]\",:.-+eE0123456789 \\/untrfalsenode_typesopé\u2713\ud83c\udf89";
        string[] snippets = ["\\ud800", "\\udc00", "\\u0000", "\ud800", "\udfff", "1e999", "-0", "18446744073709551616", "null", "[]", "{}", "\"x\"", "-1", "256", "0.5", "\"op\":\"checkpoint\""];
        for (var i = 0; i < 5_000; i++)
        {
            var text = corpus[rng.Next(corpus.Length)];
            var pos = rng.Next(text.Length + 1);
            var mutated = rng.Next(4) switch
            {
                0 => text.Remove(Math.Min(pos, text.Length - 1), text.Length == 0 ? 0 : 1),
                1 => text.Insert(pos, Alphabet[rng.Next(Alphabet.Length)].ToString()),
                2 => text.Insert(pos, snippets[rng.Next(snippets.Length)]),
                _ => pos < text.Length ? text.Remove(pos, 1).Insert(pos, Alphabet[rng.Next(Alphabet.Length)].ToString()) : text,
            };
            run.Text($"text mutation #{i} at {pos}", mutated);
        }

        var trees = corpus.Select(TryJsonValue).Where(v => v is not null).Select(v => v!.Value).ToArray();
        for (var i = 0; i < 5_000; i++)
        {
            var tree = trees[rng.Next(trees.Length)];
            var steps = 1 + rng.Next(3);
            for (var s = 0; s < steps; s++) tree = Mutate(tree, rng);
            run.Text($"json shape #{i} ({steps} tree mutations)", ValueJson.ToJson(tree));
        }
    });

    private static Value? TryJsonValue(string json)
    {
        try
        {
            return ValueJson.Parse(json);
        }
        catch (WireFormatException)
        {
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Oversized and deeply nested input

    private const long SmallAllocation = 512 * 1024;

    private static void AssertRefusedCheaply(string what, Action decode, long maxAllocated = SmallAllocation)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        var ex = Record.Exception(decode);
        sw.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(ex is WireFormatException, $"{what}: expected WireFormatException, got {ex?.GetType().FullName ?? "success"}: {ex?.Message}");
        Assert.True(sw.Elapsed < PerCaseBudget, $"{what}: refusal took {sw.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(allocated < maxAllocated, $"{what}: decoder allocated {allocated:N0} bytes before refusing");
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] Filler(int count, byte value)
    {
        var bytes = new byte[count];
        Array.Fill(bytes, value);
        return bytes;
    }

    [Theory]
    [InlineData(100_001)]
    [InlineData(1_000_000)]
    public void Entry_count_over_the_limit_is_refused_before_allocating(int claimed)
    {
        // An array32 header claiming `claimed` entries, followed by enough bytes that the count is not
        // refused merely for exceeding the remaining data: the 100,000-entry limit must do it.
        var header = new byte[] { 0xdd, (byte)(claimed >> 24), (byte)(claimed >> 16), (byte)(claimed >> 8), (byte)claimed };
        var filler = Filler(claimed + 16, 0xc0);
        var payload = Concat([0x92], header, filler);
        var snapshot = Concat([0x91], header, filler);
        var list = Concat(header, filler);

        AssertRefusedCheaply("SyncPayload.Decode", () => SyncPayload.Decode(payload));
        AssertRefusedCheaply("Snapshot.Decode", () => Snapshot.Decode(snapshot));
        AssertRefusedCheaply("SyncPayload.DecodeEntryList", () => SyncPayload.DecodeEntryList(list));
        var ex = Assert.Throws<WireFormatException>(() => SyncPayload.Decode(payload));
        Assert.Contains("100000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_count_beyond_the_data_is_refused_before_allocating()
    {
        byte[] header = [0xdd, 0xff, 0xff, 0xff, 0xff];
        AssertRefusedCheaply("SyncPayload.Decode", () => SyncPayload.Decode(Concat([0x92], header, [0x90])));
        AssertRefusedCheaply("Snapshot.Decode", () => Snapshot.Decode(Concat([0x91], header)));
        AssertRefusedCheaply("SyncPayload.DecodeEntryList", () => SyncPayload.DecodeEntryList(header));
    }

    [Fact]
    public void Messages_over_64_MiB_are_refused_before_reading()
    {
        var big = new byte[SyncLimits.MaxMessageBytes + 1];
        // Make the prefix look like a real payload / offer so only the size check can refuse it.
        var payload = HexPrefix(Vectors.Get("sync.json", "payload_a_for_offer_b", "bytes_hex").GetString()!, big);
        AssertRefusedCheaply("SyncPayload.Decode", () => SyncPayload.Decode(payload));
        AssertRefusedCheaply("SyncPayload.DecodeEntryList", () => SyncPayload.DecodeEntryList(payload));
        AssertRefusedCheaply("Snapshot.Decode", () => Snapshot.Decode(payload));
        var offer = HexPrefix(Vectors.Get("sync.json", "offer_a", "bytes_hex").GetString()!, big);
        AssertRefusedCheaply("SyncOffer.Decode", () => SyncOffer.Decode(offer));
        Assert.Contains("exceeds", Assert.Throws<WireFormatException>(() => SyncOffer.Decode(offer)).Message, StringComparison.Ordinal);

        static byte[] HexPrefix(string hex, byte[] buffer)
        {
            Convert.FromHexString(hex).CopyTo(buffer, 0);
            return buffer;
        }
    }

    [Theory]
    [InlineData("dd80000000")]
    [InlineData("ddffffffff")]
    [InlineData("df80000000")]
    [InlineData("dfffffffff")]
    [InlineData("dd7fffffff")]
    [InlineData("df7fffffff")]
    [InlineData("db80000000")]
    [InlineData("c6ffffffff")]
    public void Huge_32_bit_headers_inside_a_value_are_refused_quickly(string header)
    {
        var h = Convert.FromHexString(header);
        AssertRefusedCheaply("ValueCodec.Decode", () => ValueCodec.Decode(Concat(h, [0x01, 0x02])));
        AssertRefusedCheaply("ValueCodec.Decode (nested)", () => ValueCodec.Decode(Concat([0x92, 0x01], h, [0xc0])));

        // The same header as an update_property value inside an op, and inside an entry.
        var op = Concat(Convert.FromHexString("94af7570646174655f70726f7065727479a161a16b"), h, [0xc0]);
        AssertRefusedCheaply("GraphOpCodec.Decode", () => GraphOpCodec.Decode(op));
        var entry = Concat(Convert.FromHexString("97dc0020" + string.Concat(Enumerable.Repeat("00", 32))), op);
        AssertRefusedCheaply("Entry.Decode", () => Entry.Decode(entry));
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(1_000_000)]
    public void Deeply_nested_msgpack_is_refused_without_overflowing_the_stack(int depth)
    {
        var arrays = Concat(Filler(depth, 0x91), [0xc0]);
        var maps = Concat(Enumerable.Repeat(new byte[] { 0x81, 0xa1, 0x6b }, depth).SelectMany(x => x).ToArray(), [0xc0]);
        AssertRefusedCheaply("ValueCodec.Decode (arrays)", () => ValueCodec.Decode(arrays), long.MaxValue);
        AssertRefusedCheaply("ValueCodec.Decode (maps)", () => ValueCodec.Decode(maps), long.MaxValue);

        // Inside an op: as an update_property value (refused), and as an unknown field of a map-form op, which
        // serde ignores and we skip (accepted or refused, but never a stack overflow).
        var update = Concat(Convert.FromHexString("94af7570646174655f70726f7065727479a161a16b"), arrays);
        AssertRefusedCheaply("GraphOpCodec.Decode (update_property value)", () => GraphOpCodec.Decode(update), long.MaxValue);
        var mapForm = Concat(Convert.FromHexString("83a26f70ab72656d6f76655f6e6f6465a76e6f64655f6964a161a178"), arrays);
        var mapFormResult = Record.Exception(() => GraphOpCodec.Decode(mapForm));
        Assert.True(mapFormResult is null or WireFormatException, $"map-form op with a deep unknown field: {mapFormResult}");

        // Checkpoints nested in checkpoints.
        var checkpoint = Convert.FromHexString("95aa636865636b706f696e7491");
        var tail = Convert.FromHexString("900000");
        var levels = Math.Min(depth, 100_000);
        var nested = Concat(
            Enumerable.Repeat(checkpoint, levels).SelectMany(x => x).ToArray(),
            [0x92, 0xab],
            "remove_node"u8.ToArray(),
            [0xa1, 0x61],
            Enumerable.Repeat(tail, levels).SelectMany(x => x).ToArray());
        AssertRefusedCheaply("GraphOpCodec.Decode (nested checkpoints)", () => GraphOpCodec.Decode(nested), long.MaxValue);

        // Every other decoder, on the same bytes.
        foreach (var d in BinaryDecoders)
        {
            var ex = Record.Exception(() => d.Run(arrays));
            Assert.True(ex is null or WireFormatException, $"{d.Name} on {depth} nested arrays threw {ex?.GetType().FullName}: {ex?.Message}");
        }
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(200_000)]
    public void Deeply_nested_json_is_refused_without_overflowing_the_stack(int depth)
    {
        var arrays = new string('[', depth) + new string(']', depth);
        var objects = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        var checkpoints = string.Concat(Enumerable.Repeat("{\"op\":\"checkpoint\",\"ops\":[", Math.Min(depth, 10_000)))
            + string.Concat(Enumerable.Repeat("],\"op_clocks\":[],\"compacted_at_physical_ms\":0,\"compacted_at_logical\":0}", Math.Min(depth, 10_000)));
        foreach (var text in new[] { arrays, objects, checkpoints })
        {
            Assert.Throws<WireFormatException>(() => ValueJson.Parse(text));
            Assert.Throws<WireFormatException>(() => GraphOpJson.Parse(text));
            Assert.Throws<OntologyFormatException>(() => OntologyJson.Parse(text));
            Assert.Throws<OntologyFormatException>(() => OntologyJson.ParseExtension(text));
        }
    }

    [Fact]
    public void Bloom_filter_whose_bit_count_overflows_the_word_check_is_refused()
    {
        // num_bits = u64::MAX with no words: (num_bits + 63) / 64 wraps to 0, so a naive check accepts it
        // and the first probe indexes far outside the (empty) word array.
        var bytes = Convert.FromHexString("9490cfffffffffffffffff0100");
        Assert.Throws<WireFormatException>(() => BloomFilter.Decode(bytes));
    }

    [Theory]
    [InlineData("""{"op":"define_lens","transforms":[256]}""")] // GetByte: FormatException
    [InlineData("""{"op":"define_lens","transforms":"00ff"}""")] // EnumerateArray on a string: InvalidOperationException
    [InlineData("""{"op":"checkpoint","ops":[],"op_clocks":[[1]],"compacted_at_physical_ms":0,"compacted_at_logical":0}""")] // p[1]: IndexOutOfRangeException
    [InlineData("""{"op":"checkpoint","ops":[],"op_clocks":[1],"compacted_at_physical_ms":0,"compacted_at_logical":0}""")]
    [InlineData("""{"op":"checkpoint","ops":[],"op_clocks":[],"compacted_at_physical_ms":-1,"compacted_at_logical":0}""")]
    [InlineData("""{"op":"checkpoint","ops":[],"op_clocks":[],"compacted_at_physical_ms":0,"compacted_at_logical":4294967296}""")]
    [InlineData("""{"op":"remove_node","node_id":"\ud800"}""")] // escaped lone surrogate: InvalidOperationException from GetString
    [InlineData("""{"op":"define_ontology","ontology":{"node_types":{"\udc00":{}},"edge_types":{}}}""")] // ... from a property name
    public void Json_op_fields_of_the_wrong_kind_or_range_are_format_errors(string json)
    {
        Assert.Throws<WireFormatException>(() => GraphOpJson.Parse(json));
        Assert.Throws<OntologyFormatException>(() => OntologyJson.ParseExtension(json));
        if (json.Contains("\\ud", StringComparison.Ordinal))
        {
            Assert.Throws<WireFormatException>(() => ValueJson.Parse(json));
            Assert.Throws<OntologyFormatException>(() => OntologyJson.Parse(json));
        }
    }

    [Fact]
    public void Json_text_that_is_not_valid_utf16_is_a_format_error()
    {
        // A raw lone surrogate in the .NET string (not an escape): System.Text.Json's transcoder throws ArgumentException.
        var json = "{\"op\":\"remove_node\",\"node_id\":\"" + (char)0xD800 + "\"}";
        Assert.Throws<WireFormatException>(() => GraphOpJson.Parse(json));
        Assert.Throws<WireFormatException>(() => ValueJson.Parse(json));
        Assert.Throws<OntologyFormatException>(() => OntologyJson.Parse(json));
        Assert.Throws<OntologyFormatException>(() => OntologyJson.ParseExtension(json));
    }

    [Theory]
    [InlineData("a2c328")] // bad continuation byte
    [InlineData("a1ff")]
    [InlineData("a3eda080")] // UTF-8-encoded surrogate (U+D800)
    [InlineData("a2c0af")] // overlong encoding of '/'
    public void Invalid_utf8_in_a_string_is_refused(string hex)
    {
        // The original (serde String from rmp) refuses invalid UTF-8; decoding it leniently would let two
        // different byte strings (different hashes) read as the same id or value.
        var str = Convert.FromHexString(hex);
        Assert.Throws<WireFormatException>(() => ValueCodec.Decode(str));
        Assert.Throws<WireFormatException>(() => ValueCodec.Decode(Concat([0x81], str, [0x01])));
        Assert.Throws<WireFormatException>(() => GraphOpCodec.Decode(Concat(Convert.FromHexString("92ab72656d6f76655f6e6f6465"), str)));
        Assert.Throws<WireFormatException>(() => ClockConformanceTests.Decode(Concat([0x93], str, [0x01, 0x02])));
    }

    // ---------------------------------------------------------------------------------------------
    // Value trees: generation and mutation (the result is always valid msgpack / JSON)

    private static Value RandomScalar(Random rng) => rng.Next(10) switch
    {
        0 => Value.Null,
        1 => Value.FromBool(rng.Next(2) == 0),
        2 => Value.FromInt(rng.Next(-300, 300)),
        3 => Value.FromInt(rng.NextInt64(long.MinValue, long.MaxValue)),
        4 => Value.FromInt(new long[] { 0, 1, 255, 256, 65535, 65536, uint.MaxValue, -1, -33, long.MinValue, long.MaxValue, 32, 64 }[rng.Next(13)]),
        5 => Value.FromFloat(BitConverter.Int64BitsToDouble(rng.NextInt64())),
        6 => Value.FromFloat(new[] { 0.0, -0.0, 0.5, double.NaN, double.PositiveInfinity, 1e300 }[rng.Next(6)]),
        7 => Value.FromString(Tags[rng.Next(Tags.Length)]),
        8 => Value.FromString(new string('x', rng.Next(40))),
        _ => Value.FromString(new[] { "", "string", "int", "float", "any", "entity", "é", "\u2713", "node_types", "edge_types" }[rng.Next(10)]),
    };

    private static Value RandomValue(Random rng, int depth)
    {
        if (depth <= 0 || rng.Next(3) == 0) return RandomScalar(rng);
        var n = rng.Next(6);
        if (rng.Next(2) == 0)
        {
            // n == 5: a list of 32 small ints, the shape of a hash.
            var items = new Value[n == 5 ? 32 : n];
            for (var i = 0; i < items.Length; i++) items[i] = n == 5 ? Value.FromInt(rng.Next(256)) : RandomValue(rng, depth - 1);
            return Value.FromList(items);
        }

        return Value.FromMap(ValueMap.From(Enumerable.Range(0, n).Select(i =>
            new KeyValuePair<string, Value>(rng.Next(2) == 0 ? Tags[rng.Next(Tags.Length)] : $"k{i}", RandomValue(rng, depth - 1)))));
    }

    private static int CountNodes(Value v) => v.Kind switch
    {
        ValueKind.List => 1 + v.AsList.Sum(CountNodes),
        ValueKind.Map => 1 + v.AsMap.Values.Sum(CountNodes),
        _ => 1,
    };

    private static Value Mutate(Value root, Random rng)
    {
        var target = rng.Next(CountNodes(root));
        return Rewrite(root, ref target, rng);
    }

    private static Value Rewrite(Value v, ref int target, Random rng)
    {
        if (target < 0) return v;
        if (target == 0)
        {
            target = -1;
            return MutateNode(v, rng);
        }

        target--;
        switch (v.Kind)
        {
            case ValueKind.List:
            {
                var items = v.AsList.ToArray();
                for (var i = 0; i < items.Length && target >= 0; i++) items[i] = Rewrite(items[i], ref target, rng);
                return Value.FromList(items);
            }

            case ValueKind.Map:
            {
                var pairs = v.AsMap.ToArray();
                for (var i = 0; i < pairs.Length && target >= 0; i++)
                {
                    pairs[i] = new KeyValuePair<string, Value>(pairs[i].Key, Rewrite(pairs[i].Value, ref target, rng));
                }

                return Value.FromMap(ValueMap.From(pairs));
            }

            default:
                return v;
        }
    }

    private static Value MutateNode(Value v, Random rng)
    {
        switch (rng.Next(9))
        {
            case 0:
                return RandomValue(rng, 2);
            case 1 when v.Kind == ValueKind.List && v.AsList.Count > 0:
            {
                var items = v.AsList.ToList();
                items.RemoveAt(rng.Next(items.Count));
                return Value.FromList(items.ToArray());
            }

            case 2 when v.Kind == ValueKind.List:
            {
                var items = v.AsList.ToList();
                var extra = items.Count > 0 && rng.Next(2) == 0 ? items[rng.Next(items.Count)] : RandomValue(rng, 2);
                items.Insert(rng.Next(items.Count + 1), extra);
                return Value.FromList(items.ToArray());
            }

            case 3 when v.Kind == ValueKind.List:
                return Value.FromList([]);
            case 3 when v.Kind == ValueKind.Map:
                return Value.FromMap(ValueMap.Empty);
            case 4:
                return Value.FromList([v]);
            case 5:
                return v.Kind switch
                {
                    ValueKind.List => Value.FromMap(ValueMap.From(v.AsList.Select((x, i) => new KeyValuePair<string, Value>(i.ToString(CultureInfo.InvariantCulture), x)))),
                    ValueKind.Map => Value.FromList(v.AsMap.Values.ToArray()),
                    ValueKind.String => Value.FromInt(v.AsString.Length),
                    ValueKind.Int => Value.FromString(v.AsInt.ToString(CultureInfo.InvariantCulture)),
                    ValueKind.Float => Value.FromInt((long)v.AsFloat),
                    _ => Value.FromFloat(1.5),
                };
            case 6:
                return Value.FromString(Tags[rng.Next(Tags.Length)]);
            case 7 when v.Kind == ValueKind.Int:
                return Value.FromInt(rng.Next(3) switch { 0 => unchecked(v.AsInt + 1), 1 => -v.AsInt - 1, _ => long.MaxValue - rng.Next(3) });
            case 8 when v.Kind == ValueKind.List && v.AsList.Count > 1:
            {
                var items = v.AsList.ToArray();
                var a = rng.Next(items.Length);
                var b = rng.Next(items.Length);
                (items[a], items[b]) = (items[b], items[a]);
                return Value.FromList(items);
            }

            default:
                return RandomScalar(rng);
        }
    }
}
