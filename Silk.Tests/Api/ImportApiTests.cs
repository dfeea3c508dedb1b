using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Silk.Api.Diagnostics;
using Silk.Api.Hosting;
using Silk.Core.Diagnostics;
using Silk.Tests.Diagnostics;

namespace Silk.Tests.Api;

/// <summary><c>POST /import</c> (issue 19): streamed NDJSON, durable chunks, invalid lines skipped with their reasons, resumable.</summary>
public sealed class ImportApiTests
{
    private const string NdjsonType = "application/x-ndjson";

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Silk:Gossip:IntervalSeconds"] = "0",
        ["Silk:Durability"] = "process",
        ["Silk:MaxBodyBytes"] = "4096", // bounds each line of an import, not the body
    };

    private static string Node(int i) => $$$"""{"op":"add_node","node_id":"im-{{{i}}}","node_type":"entity","label":"N{{{i}}}","properties":{"name":"n{{{i}}}","i":{{{i}}}}}""";

    private static string Edge(int i) => $$"""{"op":"add_edge","edge_id":"ie-{{i}}","edge_type":"RELATES_TO","source_id":"im-{{i}}","target_id":"im-{{i + 1}}"}""";

    /// <summary>The bad lines of the 50,000-line file, by line number, with the status and rule each must be reported with.</summary>
    private static readonly Dictionary<int, (string Line, int Status, string Rule)> Bad = new()
    {
        [7] = ("{\"op\":\"add_node\",", 400, "malformed_line"),
        [1_000] = ("[1,2,3]", 400, "malformed_line"),
        [5_000] = ("{\"op\":\"define_ontology\",\"ontology\":{}}", 400, "malformed_line"),
        [9_999] = ("{\"op\":\"add_node\",\"node_id\":\"bad-1\",\"node_type\":\"robot\",\"label\":\"R\"}", 422, "unknown_node_type"),
        [12_345] = ("{\"op\":\"add_node\",\"node_id\":\"bad-2\",\"node_type\":\"entity\",\"label\":\"no name\"}", 422, "missing_required_property"),
        [20_000] = ("{\"op\":\"add_edge\",\"edge_id\":\"bad-3\",\"edge_type\":\"RELATES_TO\",\"source_id\":\"nobody\",\"target_id\":\"im-1\"}", 409, "endpoint_not_found"),
        [33_333] = ("{\"op\":\"add_node\",\"node_id\":\"" + new string('x', 1500) + "\",\"node_type\":\"entity\",\"label\":\"L\",\"properties\":{\"name\":\"x\"}}", 422, "value_limit"),
        [40_001] = ("{\"op\":\"add_node\",\"node_id\":\"bad-4\",\"node_type\":\"entity\",\"label\":\"" + new string('y', 5000) + "\"}", 413, "line_too_long"),
        [45_000] = ("{\"op\":\"update_property\",\"entity_id\":\"im-3\",\"key\":\"name\"}", 400, "malformed_line"),
        [49_999] = ("{\"op\":\"add_node\",\"node_id\":\"bad-5\",\"node_type\":\"person\",\"label\":\"P\",\"properties\":{\"name\":\"p\",\"email\":\"not an address\"}}", 422, "constraint_violation"),
    };

    /// <summary>
    /// 50,000 lines: 40,000 nodes, then edges between them, 10 bad lines spread through the file and a few blank
    /// lines (line numbers count them). Line <c>n</c> is the <c>n</c>-th line of the result.
    /// </summary>
    private static List<string> FiftyThousandLines()
    {
        var lines = new List<string>(50_000);
        int nodes = 0, edges = 0;
        for (var number = 1; number <= 50_000; number++)
        {
            if (Bad.TryGetValue(number, out var bad)) lines.Add(bad.Line);
            else if (number % 10_000 == 0) lines.Add("   ");
            else if (nodes < 40_000) lines.Add(Node(nodes++));
            else lines.Add(Edge(edges++));
        }

        return lines;
    }

    [Fact]
    public async Task Fifty_thousand_lines_with_ten_bad_ones_are_imported_and_the_bad_ones_reported()
    {
        await using var server = SilkApiFactory.With(Settings);
        var logs = new LogCapture();
        await using var app = server.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var metrics = new MetricRecorder(app.Services.GetRequiredService<IMeterFactory>(), SilkMetrics.MeterName);
        using var client = app.CreateClient();
        var lines = FiftyThousandLines();
        var entriesBefore = app.Services.GetRequiredService<StoreHost>().Store.EntryCount;

        using var response = await client.PostAsync(ApiTestClient.U("/import"), Ndjson(string.Join("\n", lines) + "\n"));
        var result = await response.Json(HttpStatusCode.OK);

        var blank = lines.Count(l => l.Trim().Length == 0);
        Assert.Equal(50_000, result.GetProperty("lines_read").GetInt32());
        Assert.Equal(50_000 - 10 - blank, result.GetProperty("applied").GetInt32());
        Assert.Equal(10, result.GetProperty("skipped").GetInt32());
        Assert.Equal(blank, result.GetProperty("blank").GetInt32());
        Assert.Equal(10, result.GetProperty("error_count").GetInt32());
        Assert.Equal(50_000, result.GetProperty("last_committed_line").GetInt32());
        Assert.True(result.GetProperty("chunks").GetInt32() >= 10, result.GetRawText()[..200]);
        var errors = result.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(Bad.Keys.Order(), errors.Select(e => e.GetProperty("line").GetInt32()));
        foreach (var error in errors)
        {
            var expected = Bad[error.GetProperty("line").GetInt32()];
            Assert.Equal((expected.Status, expected.Rule), (error.GetProperty("status").GetInt32(), error.Str("rule")));
            Assert.False(string.IsNullOrWhiteSpace(error.Str("detail")));
        }

        var store = app.Services.GetRequiredService<StoreHost>().Store;
        var nodeLines = lines.Count(l => l.Contains("\"op\":\"add_node\",\"node_id\":\"im-", StringComparison.Ordinal));
        var edgeLines = lines.Count(l => l.Contains("\"op\":\"add_edge\",\"edge_id\":\"ie-", StringComparison.Ordinal));
        Assert.Equal(nodeLines, store.NodeCount);
        Assert.Equal(edgeLines, store.EdgeCount);
        Assert.Equal(entriesBefore + nodeLines + edgeLines, store.EntryCount);
        Assert.Empty(store.Quarantined());
        Assert.Equal(39_999, store.GetNode("im-39999")!.Properties["i"].AsInt);
        Assert.Null(store.GetNode("bad-2"));

        Assert.Equal(nodeLines + edgeLines, metrics.Sum("silk.import.lines", "outcome", "applied"));
        Assert.Equal(10, metrics.Sum("silk.import.lines", "outcome", "skipped"));
        var chunkLines = logs.Lines.Where(l => l.EventId == LogEvents.ImportChunk).ToList();
        Assert.Equal(result.GetProperty("chunks").GetInt32(), chunkLines.Count);
        Assert.Contains("through line 50000", chunkLines[^1].Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The body is read as it arrives: the first chunk is durable while the client is still sending. The client
    /// then breaks off; the committed chunks stay, the log names the last committed line, and the import resumes
    /// from the line after it without writing anything twice.
    /// </summary>
    [Fact]
    public async Task An_import_is_applied_while_it_streams_and_resumes_after_an_interruption()
    {
        await using var server = new TailServerFactory(Settings);
        using var client = server.NewClient();
        var store = server.Host.Store;
        var entriesBefore = store.EntryCount;
        var lines = Enumerable.Range(0, 12_000).Select(Node).ToList();

        var pipe = new Pipe();
        using var abort = new CancellationTokenSource();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/import?chunk_lines=1000", UriKind.Relative))
        {
            Content = new StreamContent(pipe.Reader.AsStream()) { Headers = { ContentType = new MediaTypeHeaderValue(NdjsonType) } },
        };
        var sending = client.SendAsync(request, abort.Token);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(string.Join("\n", lines.Take(5_500)) + "\n"));
        await pipe.Writer.FlushAsync();

        // 5,000 lines are 5 chunks of 1,000; the half chunk after them waits for more of the body.
        await WaitFor(() => store.NodeCount == 5_000, "the first five chunks to be committed while the body is open");
        Assert.False(sending.IsCompleted);
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        await pipe.Writer.CompleteAsync();
        request.Dispose();

        // The half chunk was never committed (its lines did not all arrive); nothing else was lost.
        await WaitFor(() => server.Host.Operations.Current().Any(o => o.Name == "import" && !o.Running), "the interrupted import to end");
        Assert.Equal(5_000, store.NodeCount);

        using var resumed = await client.PostAsync(new Uri("/import?from_line=5001", UriKind.Relative), Ndjson(string.Join("\n", lines)));
        var result = await resumed.Json(HttpStatusCode.OK);
        Assert.Equal(5_001, result.GetProperty("from_line").GetInt32());
        Assert.Equal(7_000, result.GetProperty("applied").GetInt32());
        Assert.Equal(12_000, result.GetProperty("last_committed_line").GetInt32());
        Assert.Equal(12_000, store.NodeCount);
        Assert.Equal(entriesBefore + 12_000, store.EntryCount);
    }

    [Fact]
    public async Task Refused_requests_change_nothing()
    {
        await using var server = SilkApiFactory.With(Settings);
        using var client = server.CreateClient();
        var entries = server.Host.Store.EntryCount;

        using (var json = await client.PostAsync(ApiTestClient.U("/import"), new StringContent("[" + Node(1) + "]", Encoding.UTF8, "application/json")))
        {
            Assert.Contains("does not take a body of type 'application/json", (await json.Problem(HttpStatusCode.UnsupportedMediaType)).Str("detail"), StringComparison.Ordinal);
        }

        foreach (var query in new[] { "from_line=0", "from_line=-3", "chunk_lines=0", "chunk_lines=100001", "from_line=x" })
        {
            using var bad = await client.PostAsync(ApiTestClient.U("/import?" + query), Ndjson(Node(1)));
            await bad.Problem(HttpStatusCode.BadRequest);
        }

        using (var empty = await client.PostAsync(ApiTestClient.U("/import"), Ndjson("")))
        {
            var result = await empty.Json(HttpStatusCode.OK);
            Assert.Equal(0, result.GetProperty("lines_read").GetInt32());
            Assert.Equal(JsonValueKind.Null, result.GetProperty("last_committed_line").ValueKind);
        }

        Assert.Equal(entries, server.Host.Store.EntryCount);
    }

    [Fact]
    public async Task The_last_line_needs_no_newline_and_lines_before_from_line_are_passed_over()
    {
        await using var server = SilkApiFactory.With(Settings);
        using var client = server.CreateClient();
        using var response = await client.PostAsync(ApiTestClient.U("/import?from_line=3"), Ndjson($"{Node(1)}\r\n{Node(2)}\r\n{Node(3)}\r\n{Node(4)}"));
        var result = await response.Json(HttpStatusCode.OK);
        Assert.Equal((4, 2, 4), (result.GetProperty("lines_read").GetInt32(), result.GetProperty("applied").GetInt32(), result.GetProperty("last_committed_line").GetInt32()));
        Assert.Null(server.Host.Store.GetNode("im-2"));
        Assert.NotNull(server.Host.Store.GetNode("im-4"));
    }

    private static StringContent Ndjson(string body) => new(body, Encoding.UTF8, NdjsonType);

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
