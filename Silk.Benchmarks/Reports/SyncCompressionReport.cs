using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Silk.Api.Peers;
using Silk.Benchmarks.Workloads;
using Silk.Core.Store;
using Silk.Core.Sync;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// What sync compression saves and costs against a real server process: bytes on the wire (counted at the socket,
/// headers included, both directions) and time, plain / gzip / br, for bootstrapping 10,000 and 100,000 entries
/// (GET /sync/snapshot, inflated and decoded) and for a bidirectional exchange at 90 % overlap (SyncExchange over
/// HttpSyncPeer, delta, as a gossip round runs it). Byte counts do not depend on load; times do. Bounded: stops
/// repeating runs once <see cref="Budget"/> is spent.
/// </summary>
internal static class SyncCompressionReport
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(8);

    /// <summary>plain: nothing compressed either way; gzip / br: answers in that coding, posts gzipped (as peers do).</summary>
    private static readonly (string Name, DecompressionMethods Accept)[] Modes =
    [
        ("plain", DecompressionMethods.None), ("gzip", DecompressionMethods.GZip), ("br", DecompressionMethods.Brotli),
    ];

    public static int Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<int> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        using var workspace = await ReportWorkspace.CreateAsync("silk-sync-compression-");
        var (root, ontology) = (workspace.Root, workspace.OntologyPath);
        Console.WriteLine("## Bootstrap over HTTP (GET /sync/snapshot: fetch, inflate, decode)");
        Console.WriteLine();
        Console.WriteLine("| entries | coding | message bytes | wire bytes | wire ÷ plain | runs | median | best |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var count in new[] { 10_000, 100_000 })
        {
            await Bootstrap(root, ontology, count, clock);
        }

        Console.WriteLine();
        Console.WriteLine("## Bidirectional exchange at 90 % overlap (10,000-entry server; the peer holds 9,001 of them plus 1 of its own, which the server has after the first run: each run pulls 999 entries)");
        Console.WriteLine();
        Console.WriteLine("| coding | wire bytes sent | wire bytes received | total ÷ plain | runs | median | best |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        await Overlap(root, ontology, clock);
        Console.WriteLine();
        Console.WriteLine($"(whole report {clock.Elapsed.TotalSeconds:F0} s)");
        return 0;
    }

    private static async Task Bootstrap(string root, string ontology, int count, Stopwatch clock)
    {
        var snapshot = SourceSnapshot(count);
        var file = Path.Combine(root, $"snapshot-{count}.msgpack");
        await File.WriteAllBytesAsync(file, snapshot.ToBytes());
        using var server = ServerProcess.Start(root, $"source-{count}", ontology, file, "--Silk:Durability=process");
        using (var ready = new HttpClient()) await server.WaitReadyAsync(ready);

        long plainWire = 0;
        foreach (var (name, accept) in Modes)
        {
            var times = new List<double>();
            long wire = 0, message = 0;
            for (var run = -1; run < 5 && (run < 1 || clock.Elapsed < Budget); run++)
            {
                var counter = new WireCounter();
                using var client = Client(counter, accept, hideAcceptEncoding: accept == DecompressionMethods.None);
                var peer = new HttpSyncPeer(client, new Uri(server.Url));
                var timer = Stopwatch.StartNew();
                var fetched = await peer.GetSnapshotAsync(CancellationToken.None);
                timer.Stop();
                if (fetched.Entries.Count != count) throw new InvalidOperationException($"fetched {fetched.Entries.Count} entries, expected {count}");
                if (run < 0) continue; // warm-up
                times.Add(timer.Elapsed.TotalMilliseconds);
                wire = counter.Read + counter.Written;
                message = peer.BytesReceived;
            }

            if (name == "plain") plainWire = wire;
            times.Sort();
            Console.WriteLine($"| {count:N0} | {name} | {message:N0} | {wire:N0} | {(double)wire / plainWire:P0} | {times.Count} | {times[times.Count / 2]:N0} ms | {times[0]:N0} ms |");
        }
    }

    private static async Task Overlap(string root, string ontology, Stopwatch clock)
    {
        var snapshot = SourceSnapshot(10_000);
        var file = Path.Combine(root, "snapshot-overlap.msgpack");
        await File.WriteAllBytesAsync(file, snapshot.ToBytes());
        using var server = ServerProcess.Start(root, "overlap", ontology, file, "--Silk:Durability=process");
        using (var ready = new HttpClient()) await server.WaitReadyAsync(ready);
        // The peer's state, the same at every run: 9,001 shared entries and one of its own (pushed at the first run,
        // known to the server after that), so every run pulls the same 999 entries.
        Snapshot peerState;
        using (var template = GraphStore.FromSnapshot("bench-peer", new Snapshot(snapshot.Entries.Take(9_001).ToList())))
        {
            template.AddNode("peer-own", "item", "peer-own", BaselineWorkloads.NodeProperties(-1));
            peerState = template.ExportSnapshot();
        }

        long plainWire = 0;
        foreach (var (name, accept) in Modes)
        {
            var times = new List<double>();
            long sent = 0, received = 0;
            for (var run = -1; run < 9 && (run < 1 || clock.Elapsed < Budget); run++)
            {
                using var local = GraphStore.FromSnapshot("bench-peer", peerState);
                var counter = new WireCounter();
                using var client = Client(counter, accept, hideAcceptEncoding: accept == DecompressionMethods.None);
                var peer = new HttpSyncPeer(client, new Uri(server.Url));
                var timer = Stopwatch.StartNew();
                var result = await SyncExchange.RunAsync(local, peer);
                timer.Stop();
                if (result.Pulled != 999) throw new InvalidOperationException($"exchange pulled {result.Pulled}, expected 999");
                if (run < 0) continue;
                times.Add(timer.Elapsed.TotalMilliseconds);
                (sent, received) = (counter.Written, counter.Read);
            }

            if (name == "plain") plainWire = sent + received;
            times.Sort();
            Console.WriteLine($"| {name} | {sent:N0} | {received:N0} | {(double)(sent + received) / plainWire:P0} | {times.Count} | {times[times.Count / 2]:F1} ms | {times[0]:F1} ms |");
        }
    }

    private static Snapshot SourceSnapshot(int entries)
    {
        using var source = BaselineWorkloads.NewStore();
        BaselineWorkloads.AddNodes(source, entries - 1);
        return source.ExportSnapshot();
    }

    /// <summary>
    /// A client whose connections count their bytes. Plain mode also hides the server's Accept-Encoding, as an
    /// older server would not send it, so that the peer posts plain bodies too.
    /// </summary>
    private static HttpClient Client(WireCounter counter, DecompressionMethods accept, bool hideAcceptEncoding)
    {
        var sockets = new SocketsHttpHandler
        {
            AutomaticDecompression = accept,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new CountingStream(new NetworkStream(socket, ownsSocket: true), counter);
            },
        };
        HttpMessageHandler handler = hideAcceptEncoding ? new HideAcceptEncoding { InnerHandler = sockets } : sockets;
        return new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(5) };
    }

    private sealed class WireCounter
    {
        private long _read;
        private long _written;

        public long Read => Interlocked.Read(ref _read);

        public long Written => Interlocked.Read(ref _written);

        public void AddRead(int n) => Interlocked.Add(ref _read, n);

        public void AddWritten(int n) => Interlocked.Add(ref _written, n);
    }

    private sealed class HideAcceptEncoding : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            response.Headers.Remove("Accept-Encoding");
            return response;
        }
    }

    /// <summary>A connection's stream that counts what crosses it.</summary>
    private sealed class CountingStream(Stream inner, WireCounter counter) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            counter.AddRead(n);
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            counter.AddRead(n);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            counter.AddWritten(count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            counter.AddWritten(buffer.Length);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
