using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// The subscriber side of <see cref="SseFanoutReport"/>, run as its own process (the hidden command
/// <c>sse-subscribers URL COUNT STALLED</c>) so that receiving and parsing the streams is not charged to the server
/// nor to the writer. Opens COUNT raw HTTP/1.0 <c>GET /tail?cursor=now</c> event streams (no chunk framing), and
/// STALLED more that send their request and never read. Speaks line by line over stdin/stdout:
/// <list type="bullet">
/// <item>prints <c>ready</c> once every reading stream has said up-to-date;</item>
/// <item>on <c>drain N</c> waits until every reading stream has received N entry events (at most 120 s), then
/// prints <c>result …</c>: events received, the fewest and most per stream, write→event p50/p99/max (µs) and how
/// many stalled streams the server has cut off;</item>
/// <item>exits on <c>quit</c> or at the end of stdin.</item>
/// </list>
/// Write→event: the writer puts its send time (<see cref="Stopwatch.GetTimestamp"/>, the system-wide monotonic
/// clock on Linux) into the node id (<c>n{i}-{ticks}</c>); each stream reads it back from the event's data.
/// </summary>
internal static class SseSubscriberProcess
{
    public const string Command = "sse-subscribers";

    /// <summary>Histogram buckets of 20 µs up to 20 s; later arrivals count in the last one.</summary>
    private const long BucketMicroseconds = 20;
    private static readonly long[] Buckets = new long[1_000_000];
    private static long _events;
    private static long _outOfOrder;

    public static async Task<int> Run(string[] args)
    {
        var baseUri = new Uri(args[1]);
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        var stalledCount = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, count).Select(_ => new Reader()).ToList();
        for (var i = 0; i < count; i += 50)
        {
            var group = readers.Skip(i).Take(50).ToList();
            foreach (var reader in group) reader.Start(baseUri, stop.Token);
            await Task.WhenAll(group.Select(r => r.Ready));
        }

        var stalled = new List<Socket>();
        for (var i = 0; i < stalledCount; i++) stalled.Add(await OpenStalledAsync(baseUri, stop.Token));
        var failed = readers.Count(r => r.Failure is not null);
        Console.WriteLine(failed == 0 ? "ready" : $"failed {failed}: {readers.First(r => r.Failure is not null).Failure}");

        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "quit") break;
            if (!line.StartsWith("drain ", StringComparison.Ordinal)) continue;
            var expected = long.Parse(line.AsSpan(6), CultureInfo.InvariantCulture);
            var deadline = Stopwatch.StartNew();
            while (readers.Any(r => Volatile.Read(ref r.Received) < expected) && deadline.Elapsed < TimeSpan.FromSeconds(120)) await Task.Delay(5);
            await Task.Delay(100); // a duplicate would arrive now
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"result events={Volatile.Read(ref _events)} min={readers.Min(r => Volatile.Read(ref r.Received))} max={readers.Max(r => Volatile.Read(ref r.Received))} "
                + $"p50us={Percentile(0.50)} p99us={Percentile(0.99)} maxus={Percentile(1.0)} out_of_order={Volatile.Read(ref _outOfOrder)} "
                + $"stalled_cut={stalled.Count(CutOff)}/{stalled.Count} ended={readers.Count(r => r.Ended)}"));
        }

        await stop.CancelAsync();
        foreach (var socket in stalled) socket.Dispose();
        await Task.WhenAll(readers.Select(r => r.Completion));
        return 0;
    }

    private static long Percentile(double q)
    {
        var total = Volatile.Read(ref _events);
        if (total == 0) return -1;
        var rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            seen += Volatile.Read(ref Buckets[i]);
            if (seen >= rank) return (i + 1) * BucketMicroseconds;
        }

        return Buckets.Length * BucketMicroseconds;
    }

    private static void Record(long sentAt, long receivedAt)
    {
        var micros = (receivedAt - sentAt) * 1_000_000 / Stopwatch.Frequency;
        var bucket = Math.Clamp(micros / BucketMicroseconds, 0, Buckets.Length - 1);
        Interlocked.Increment(ref Buckets[bucket]);
        Interlocked.Increment(ref _events);
    }

    private static byte[] Request(Uri baseUri) =>
        Encoding.ASCII.GetBytes($"GET /tail?cursor=now HTTP/1.0\r\nHost: {baseUri.Authority}\r\nAccept: text/event-stream\r\n\r\n");

    /// <summary>A stream whose client never reads: a small receive buffer, so that the server's output fills quickly.</summary>
    private static async Task<Socket> OpenStalledAsync(Uri baseUri, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(baseUri.Host, baseUri.Port, ct);
        await socket.SendAsync(Request(baseUri), SocketFlags.None, ct);
        return socket;
    }

    /// <summary>Reads what the stalled stream holds without waiting: true when the server has ended the connection.</summary>
    private static bool CutOff(Socket socket)
    {
        socket.Blocking = false;
        var buffer = new byte[64 * 1024];
        while (true)
        {
            try
            {
                if (socket.Receive(buffer) == 0) return true;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
            {
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
        }
    }

    /// <summary>One reading stream: splits lines without allocating, counts entry events and records each one's write→event time.</summary>
    private sealed class Reader
    {
        private static readonly byte[] NodeMarker = "\"node_id\":\"n"u8.ToArray();
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _lastNode;

        public long Received;

        public Task Ready => _ready.Task;

        public Task Completion { get; private set; } = Task.CompletedTask;

        public string? Failure { get; private set; }

        /// <summary>The server ended the stream.</summary>
        public bool Ended { get; private set; }

        public void Start(Uri baseUri, CancellationToken ct) => Completion = Task.Run(() => RunAsync(baseUri, ct), CancellationToken.None);

        private async Task RunAsync(Uri baseUri, CancellationToken ct)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(baseUri.Host, baseUri.Port, ct);
                await socket.SendAsync(Request(baseUri), SocketFlags.None, ct);
                var buffer = new byte[64 * 1024];
                var filled = 0;
                var inBody = false;
                while (true)
                {
                    if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, ct);
                    if (read == 0)
                    {
                        Ended = true;
                        break;
                    }

                    filled += read;
                    var consumed = 0;
                    if (!inBody)
                    {
                        var headersEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
                        if (headersEnd < 0) continue;
                        if (!buffer.AsSpan(0, headersEnd).StartsWith("HTTP/1.1 200"u8) && !buffer.AsSpan(0, headersEnd).StartsWith("HTTP/1.0 200"u8))
                        {
                            throw new InvalidOperationException(Encoding.ASCII.GetString(buffer, 0, headersEnd));
                        }

                        inBody = true;
                        consumed = headersEnd + 4;
                    }

                    var now = Stopwatch.GetTimestamp();
                    while (true)
                    {
                        var newline = buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n');
                        if (newline < 0) break;
                        OnLine(buffer.AsSpan(consumed, newline), now);
                        consumed += newline + 1;
                    }

                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex) when (ex is SocketException or InvalidOperationException)
            {
                Failure ??= ex.Message;
                Ended = true;
            }
            finally
            {
                _ready.TrySetResult();
            }
        }

        private void OnLine(ReadOnlySpan<byte> line, long now)
        {
            if (line.StartsWith("event: up-to-date"u8))
            {
                _ready.TrySetResult();
                return;
            }

            if (!line.StartsWith("data: {\"hash\""u8)) return;
            var at = line.IndexOf(NodeMarker);
            if (at < 0) return;
            var rest = line[(at + NodeMarker.Length)..];
            var node = ReadNumber(ref rest);
            if (rest.IsEmpty || rest[0] != (byte)'-') return;
            rest = rest[1..];
            var sentAt = ReadNumber(ref rest);
            if (node <= _lastNode) Interlocked.Increment(ref _outOfOrder);
            _lastNode = node;
            Interlocked.Increment(ref Received);
            Record(sentAt, now);
        }

        private static long ReadNumber(ref ReadOnlySpan<byte> digits)
        {
            long value = 0;
            var i = 0;
            for (; i < digits.Length && digits[i] is >= (byte)'0' and <= (byte)'9'; i++) value = value * 10 + (digits[i] - '0');
            digits = digits[i..];
            return value;
        }
    }
}
