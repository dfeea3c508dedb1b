using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Silk.Benchmarks.Workloads;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// <c>POST /import</c> of 1,000,000 NDJSON lines (800,000 add_node, then 200,000 add_edge between them) into a real
/// server process on a new LiteDB folder, fsync durability, default chunks of 5,000 lines. The body is generated
/// while it is sent (never held whole on either side). Prints lines/s, the server's resident memory before and
/// at its peak (VmHWM), and the answer's counts. Bounded: the upload is cancelled after <see cref="Budget"/>.
/// </summary>
internal static class ImportReport
{
    private const int Nodes = 800_000;
    private const int Edges = 200_000;
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(10);

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var chunk = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5_000;
        using var workspace = await ReportWorkspace.CreateAsync("silk-import-");
        var (root, ontology) = (workspace.Root, workspace.OntologyPath);
        Console.WriteLine($"# POST /import: {Nodes + Edges:N0} lines ({Nodes:N0} add_node, {Edges:N0} add_edge), chunk_lines={chunk}, fsync durability (bounded at {Budget.TotalMinutes:F0} min)");
        using var server = ServerProcess.Start(root, "server", ontology, null, "--Silk:Durability=fsync", "--Silk:Limits:RequestsPerSecond=0");
        using var client = new HttpClient { Timeout = Budget };
        await server.WaitReadyAsync(client);
        var rssBefore = Rss(server.ProcessId, "VmRSS");

        var clock = Stopwatch.StartNew();
        using var content = new LinesContent();
        using var response = await client.PostAsync(new Uri($"{server.Url}/import?chunk_lines={chunk}"), content);
        var elapsed = clock.Elapsed;
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
        using var result = JsonDocument.Parse(body);
        var applied = result.RootElement.GetProperty("applied").GetInt32();
        Console.WriteLine();
        Console.WriteLine("| lines | applied | skipped | chunks | seconds | lines/s | body MB | server RSS before | server peak RSS (VmHWM) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| {Nodes + Edges:N0} | {applied:N0} | {result.RootElement.GetProperty("skipped").GetInt32():N0} | {result.RootElement.GetProperty("chunks").GetInt32():N0} | {elapsed.TotalSeconds:F1} | {(Nodes + Edges) / elapsed.TotalSeconds:N0} | {content.BytesWritten / 1e6:F0} | {rssBefore / 1e6:F0} MB | {Rss(server.ProcessId, "VmHWM") / 1e6:F0} MB |");
        return applied == Nodes + Edges ? 0 : 1;
    }

    private static long Rss(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The NDJSON body, written as it is sent (chunked; no Content-Length).</summary>
    private sealed class LinesContent : HttpContent
    {
        public long BytesWritten { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var text = new StringBuilder(1 << 20);
            for (var i = 0; i < Nodes + Edges; i++)
            {
                text.Append(i < Nodes
                    ? $$$"""{"op":"add_node","node_id":"n{{{i}}}","node_type":"item","label":"n{{{i}}}","properties":{"name":"node-{{{i}}}","n":{{{i}}},"score":{{{i % 100}}}.5}}"""
                    : $$$"""{"op":"add_edge","edge_id":"e{{{i}}}","edge_type":"LINK","source_id":"n{{{i - Nodes}}}","target_id":"n{{{(i - Nodes) * 3 % Nodes}}}"}""");
                text.Append('\n');
                if (text.Length > (1 << 20) - 512) await Flush();
            }

            await Flush();

            async Task Flush()
            {
                var bytes = Encoding.UTF8.GetBytes(text.ToString());
                BytesWritten += bytes.Length;
                await stream.WriteAsync(bytes);
                text.Clear();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
