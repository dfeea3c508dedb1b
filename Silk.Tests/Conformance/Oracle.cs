using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Silk.Core.Graph;
using Silk.Core.Store;
using Silk.Core.Wire;

namespace Silk.Tests.Conformance;

/// <summary>
/// The original's own core on this machine (<c>../shared/oracle/silk-bench</c>, or <c>SILK_ORACLE</c>): its
/// <c>snapshot-load</c> decodes a snapshot with the original's <c>from_snapshot</c> and prints the state. A
/// missing oracle fails the test that needs it (nothing is skipped).
/// </summary>
internal static class Oracle
{
    private static string BinaryPath =>
        Environment.GetEnvironmentVariable("SILK_ORACLE") is { Length: > 0 } path
            ? path
            : Path.GetFullPath(Path.Combine(RepoRoot.Path, "..", "shared", "oracle", "silk-bench"));

    /// <summary>The original's state after loading <paramref name="snapshot"/>, in <see cref="State"/>'s canonical text.</summary>
    public static string LoadSnapshot(byte[] snapshot)
    {
        var binary = BinaryPath;
        if (!File.Exists(binary)) throw new InvalidOperationException($"the original's oracle is missing: {binary} (see ../shared/oracle/README.md)");
        var file = Path.Combine(Path.GetTempPath(), $"silk-oracle-{Guid.NewGuid():N}.snapshot");
        File.WriteAllBytes(file, snapshot);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(binary, ["snapshot-load", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"the original refused the snapshot (exit {process.ExitCode}): {stderr.Result}");
            using var state = JsonDocument.Parse(stdout.Result);
            return FromOracle(state.RootElement);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// A store's state as canonical text: entry count, heads, live counts, quarantine size, then each live node
    /// and edge in ordinal id order with its properties as their MessagePack bytes (so kinds and float bits count).
    /// </summary>
    public static string State(GraphStore store) =>
        Canonical(
            store.EntryCount,
            store.Heads.Select(h => h.ToHex()),
            store.Quarantined().Count,
            store.AllNodes().Select(n => (n.NodeId, $"{n.NodeType}|{n.Subtype ?? "-"}|{n.Label}", n.Properties)),
            store.AllEdges().Select(e => (e.EdgeId, $"{e.EdgeType}|{e.SourceId}->{e.TargetId}", e.Properties)));

    private static string FromOracle(JsonElement state)
    {
        var nodes = state.GetProperty("nodes").EnumerateObject().Select(n => (
            n.Name,
            $"{n.Value.GetProperty("type").GetString()}|{n.Value.GetProperty("subtype").GetString() ?? "-"}|{n.Value.GetProperty("label").GetString()}",
            MapOf(n.Value.GetProperty("properties"))));
        var edges = state.GetProperty("edges").EnumerateObject().Select(e => (
            e.Name,
            $"{e.Value.GetProperty("type").GetString()}|{e.Value.GetProperty("source").GetString()}->{e.Value.GetProperty("target").GetString()}",
            MapOf(e.Value.GetProperty("properties"))));
        var text = Canonical(
            state.GetProperty("entries").GetInt32(),
            state.GetProperty("heads").EnumerateArray().Select(h => h.GetString()!),
            state.GetProperty("quarantined").GetInt32(),
            nodes,
            edges);
        var (liveNodes, liveEdges) = (state.GetProperty("live_nodes").GetInt32(), state.GetProperty("live_edges").GetInt32());
        return liveNodes == nodes.Count() && liveEdges == edges.Count() ? text : text + $"\nlive counts {liveNodes}/{liveEdges} differ from the listed entities";
    }

    private static string Canonical(
        int entries,
        IEnumerable<string> heads,
        int quarantined,
        IEnumerable<(string Id, string Head, ValueMap Properties)> nodes,
        IEnumerable<(string Id, string Head, ValueMap Properties)> edges)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"entries {entries}\nheads {string.Join(",", heads.Order(StringComparer.Ordinal))}\nquarantined {quarantined}\n");
        foreach (var (id, head, properties) in nodes.OrderBy(n => n.Id, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"node {id} {head} {Convert.ToHexStringLower(ValueCodec.Encode(Value.FromMap(properties)))}\n");
        }

        foreach (var (id, head, properties) in edges.OrderBy(e => e.Id, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"edge {id} {head} {Convert.ToHexStringLower(ValueCodec.Encode(Value.FromMap(properties)))}\n");
        }

        return text.ToString();
    }

    /// <summary>Rust's <c>f64::NAN</c> (a positive quiet NaN; .NET's <c>double.NaN</c> has the sign bit set). The oracle prints every NaN as "NaN", so tests write this one.</summary>
    public static readonly double RustNaN = BitConverter.Int64BitsToDouble(0x7ff8000000000000);

    private static ValueMap MapOf(JsonElement obj) =>
        ValueMap.From(obj.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, ValueOf(p.Value))));

    /// <summary>
    /// The oracle's plain JSON: a number with a '.' or an exponent is a Float, else an Int; a non-finite float
    /// is <c>{"$float": "NaN" | "Infinity" | "-Infinity"}</c>.
    /// </summary>
    private static Value ValueOf(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => Value.Null,
        JsonValueKind.True => Value.FromBool(true),
        JsonValueKind.False => Value.FromBool(false),
        JsonValueKind.String => Value.FromString(e.GetString()!),
        JsonValueKind.Number => e.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') >= 0
            ? Value.FromFloat(double.Parse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture))
            : Value.FromInt(long.Parse(e.GetRawText(), NumberStyles.Integer, CultureInfo.InvariantCulture)),
        JsonValueKind.Array => Value.FromList(e.EnumerateArray().Select(ValueOf).ToArray()),
        _ when e.EnumerateObject().Count() == 1 && e.TryGetProperty("$float", out var special) => Value.FromFloat(special.GetString() switch
        {
            "NaN" => RustNaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var other => throw new InvalidOperationException($"unknown $float '{other}'"),
        }),
        _ => Value.FromMap(MapOf(e)),
    };
}
