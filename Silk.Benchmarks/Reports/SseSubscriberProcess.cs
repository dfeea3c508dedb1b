using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
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
    private static long _receives;

    public static async Task<int> Run(string[] args)
    {
        var baseUri = new Uri(args[1]);
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        var stalledCount = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0;
        using var readers = new ReadLoop(count);
        for (var i = 0; i < count; i++) readers.Add(await Reader.OpenAsync(baseUri));
        var deadline = Stopwatch.StartNew();
        while (readers.All.Any(r => !r.Ready) && deadline.Elapsed < TimeSpan.FromMinutes(1)) await Task.Delay(10);

        var stalled = new List<Socket>();
        for (var i = 0; i < stalledCount; i++) stalled.Add(await OpenStalledAsync(baseUri));
        var failed = readers.All.Where(r => r.Failure is not null || !r.Ready).ToList();
        Console.WriteLine(failed.Count == 0 ? "ready" : $"failed {failed.Count}: {failed[0].Failure ?? "no up-to-date"}");

        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "quit") break;
            if (!line.StartsWith("drain ", StringComparison.Ordinal)) continue;
            var expected = long.Parse(line.AsSpan(6), CultureInfo.InvariantCulture);
            deadline.Restart();
            while (readers.All.Any(r => Volatile.Read(ref r.Received) < expected) && deadline.Elapsed < TimeSpan.FromSeconds(120)) await Task.Delay(5);
            await Task.Delay(100); // a duplicate would arrive now
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"result events={Volatile.Read(ref _events)} min={readers.All.Min(r => Volatile.Read(ref r.Received))} max={readers.All.Max(r => Volatile.Read(ref r.Received))} "
                + $"p50us={Percentile(0.50)} p99us={Percentile(0.99)} maxus={Percentile(1.0)} out_of_order={Volatile.Read(ref _outOfOrder)} receives={Volatile.Read(ref _receives)} "
                + $"stalled_cut={stalled.Count(CutOff)}/{stalled.Count} ended={readers.All.Count(r => r.Ended)}"));
        }

        foreach (var socket in stalled) socket.Dispose();
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
    private static async Task<Socket> OpenStalledAsync(Uri baseUri)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(baseUri.Host, baseUri.Port);
        await socket.SendAsync(Request(baseUri), SocketFlags.None);
        return socket;
    }

    /// <summary>Reads what the stalled stream holds without waiting: true when the server has ended the connection.</summary>
    private static bool CutOff(Socket socket)
    {
        socket.Blocking = false;
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = socket.Receive(buffer, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock) return false;
            if (error != SocketError.Success || read == 0) return true;
        }
    }

    /// <summary>
    /// One thread that waits on all reading streams at once (epoll, level-triggered) and reads each one that has
    /// data with one non-blocking receive: one system call per receive, no thread-pool work item, so that the load
    /// generator takes as little of the shared cores as it can.
    /// </summary>
    private sealed class ReadLoop : IDisposable
    {
        private const int EpollIn = 0x001;
        private const int EpollCtlAdd = 1;
        private readonly int _epoll = Epoll.Create1(0);
        private readonly Reader[] _readers;
        private int _count;
        private readonly Thread _thread;
        private volatile bool _stopping;

        public ReadLoop(int capacity)
        {
            _readers = new Reader[capacity];
            if (_epoll < 0) throw new InvalidOperationException($"epoll_create1 failed: {Marshal.GetLastPInvokeError()}");
            _thread = new Thread(Run) { IsBackground = true, Name = "sse readers" };
            _thread.Start();
        }

        public IEnumerable<Reader> All => _readers.Take(_count);

        public void Add(Reader reader)
        {
            Volatile.Write(ref _readers[_count], reader);
            var change = new EpollEvent { Events = EpollIn, Data = (ulong)_count++ };
            if (Epoll.Ctl(_epoll, EpollCtlAdd, (int)reader.Socket.Handle, ref change) != 0) throw new InvalidOperationException($"epoll_ctl failed: {Marshal.GetLastPInvokeError()}");
        }

        private void Run()
        {
            var ready = new EpollEvent[256];
            while (!_stopping)
            {
                var count = Epoll.Wait(_epoll, ready, ready.Length, 100);
                if (count <= 0) continue;
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < count; i++) Volatile.Read(ref _readers[(int)ready[i].Data]).OnReadable(now);
            }
        }

        public void Dispose()
        {
            _stopping = true;
            _thread.Join();
            foreach (var reader in All) reader.Socket.Dispose();
            _ = Epoll.Close(_epoll);
        }
    }

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    private static class Epoll
    {
        [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Create1(int flags);

        [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Ctl(int epoll, int operation, int descriptor, ref EpollEvent change);

        [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Wait(int epoll, [Out] EpollEvent[] events, int capacity, int timeoutMs);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int descriptor);
    }

    /// <summary>One reading stream: splits lines without allocating, counts entry events and records each one's write→event time.</summary>
    private sealed class Reader
    {
        private static readonly byte[] NodeMarker = "\"node_id\":\"n"u8.ToArray();
        private byte[] _buffer = new byte[64 * 1024];
        private int _filled;
        private bool _inBody;
        private long _lastNode;
        private volatile bool _ready;

        public long Received;

        private Reader(Socket socket) => Socket = socket;

        public Socket Socket { get; }

        /// <summary>The stream has said up-to-date.</summary>
        public bool Ready => _ready;

        public string? Failure { get; private set; }

        /// <summary>The server ended the stream.</summary>
        public bool Ended { get; private set; }

        public static async Task<Reader> OpenAsync(Uri baseUri)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(baseUri.Host, baseUri.Port);
            await socket.SendAsync(Request(baseUri), SocketFlags.None);
            socket.Blocking = false;
            return new Reader(socket);
        }

        /// <summary>On the read loop's thread: one receive, then every whole line in the buffer.</summary>
        public void OnReadable(long now)
        {
            if (Ended) return;
            if (_filled == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            var read = Socket.Receive(_buffer.AsSpan(_filled), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock) return;
            if (error != SocketError.Success || read == 0)
            {
                if (error != SocketError.Success) Failure ??= error.ToString();
                Ended = true;
                Socket.Shutdown(SocketShutdown.Both);
                return;
            }

            Interlocked.Increment(ref _receives);
            _filled += read;
            var consumed = 0;
            if (!_inBody)
            {
                var headersEnd = _buffer.AsSpan(0, _filled).IndexOf("\r\n\r\n"u8);
                if (headersEnd < 0) return;
                if (!_buffer.AsSpan(0, headersEnd).StartsWith("HTTP/1.1 200"u8) && !_buffer.AsSpan(0, headersEnd).StartsWith("HTTP/1.0 200"u8))
                {
                    Failure ??= Encoding.ASCII.GetString(_buffer, 0, headersEnd);
                    Ended = true;
                    return;
                }

                _inBody = true;
                consumed = headersEnd + 4;
            }

            while (true)
            {
                var newline = _buffer.AsSpan(consumed, _filled - consumed).IndexOf((byte)'\n');
                if (newline < 0) break;
                OnLine(_buffer.AsSpan(consumed, newline), now);
                consumed += newline + 1;
            }

            _buffer.AsSpan(consumed, _filled - consumed).CopyTo(_buffer);
            _filled -= consumed;
        }

        private void OnLine(ReadOnlySpan<byte> line, long now)
        {
            if (line.StartsWith("event: up-to-date"u8))
            {
                _ready = true;
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
