using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Silk.Api.Tail;

namespace Silk.Tests.Api;

/// <summary>The real app on Kestrel at 127.0.0.1 (a free port), over a LiteDB store in its own temporary folder.</summary>
public class TailServerFactory : SilkApiFactory
{
    public TailServerFactory() : this(new Dictionary<string, string?>())
    {
    }

    public TailServerFactory(IReadOnlyDictionary<string, string?> settings)
        : base(Path.Combine(Path.GetTempPath(), "silk-tail-" + Guid.NewGuid().ToString("N")[..12]), ownsFolder: true, settings)
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The server's address (starts it if needed).</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address);
        }
    }

    public TailStreams Streams => Services.GetRequiredService<TailStreams>();

    public TailHub Hub => Services.GetRequiredService<TailHub>();

    /// <summary>A client of its own (its own connections), over real sockets.</summary>
    public HttpClient NewClient() =>
        new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
}

/// <summary>One Server-Sent Events message: the fields of one block ended by a blank line.</summary>
internal sealed record SseMessage(string? Event, string? Id, string? Data, string? Retry, IReadOnlyList<string> Comments);

/// <summary>A minimal <c>text/event-stream</c> parser (line by line, per the HTML standard's field rules).</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage? _response;
    private readonly StreamReader _reader;

    private SseReader(HttpResponseMessage? response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => _response ?? throw new InvalidOperationException("a raw stream has no response message");

    /// <summary>
    /// Opens <c>GET path</c> as an event stream over a raw HTTP/1.0 connection (the body then comes without chunk
    /// framing) whose socket has a receive buffer of <paramref name="receiveBufferSize"/> bytes, so that a test can
    /// stop reading and make the server's output back up. The reader owns the socket.
    /// </summary>
    public static async Task<SseReader> OpenRawAsync(Uri server, string path, int receiveBufferSize, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = receiveBufferSize };
        await socket.ConnectAsync(server.Host, server.Port, ct);
        var body = new NetworkStream(socket, ownsSocket: true);
        await body.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: {server.Authority}\r\nAccept: {TailEventStream.MediaType}\r\n\r\n"), ct);

        // The status line and headers, a byte at a time, so that nothing of the body is read ahead.
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await body.ReadAsync(one, ct) == 0) throw new InvalidOperationException("the server closed the connection before its headers");
            head.Add(one[0]);
        }

        var headers = Encoding.ASCII.GetString([.. head]);
        Assert.StartsWith("HTTP/1.1 200", headers, StringComparison.Ordinal);
        return new SseReader(null, body);
    }

    /// <summary>Opens <c>GET path</c> as an event stream; returns the reader, or throws with the body when the status is not 200.</summary>
    public static async Task<SseReader> OpenAsync(HttpClient client, string path, string? lastEventId = null, CancellationToken ct = default)
    {
        var (response, reader) = await TryOpenAsync(client, path, lastEventId, ct);
        if (reader is not null) return reader;
        var body = await response.Content.ReadAsStringAsync(ct);
        response.Dispose();
        throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
    }

    /// <summary>Opens a stream; the reader is null when the answer is not 200 (the response is then the caller's).</summary>
    public static async Task<(HttpResponseMessage Response, SseReader? Reader)> TryOpenAsync(
        HttpClient client, string path, string? lastEventId = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(TailEventStream.MediaType));
        if (lastEventId is not null) request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode != HttpStatusCode.OK) return (response, null);
        Assert.Equal(TailEventStream.MediaType, response.Content.Headers.ContentType?.MediaType);
        return (response, new SseReader(response, await response.Content.ReadAsStreamAsync(ct)));
    }

    /// <summary>The next message, or null at the end of the stream.</summary>
    public async Task<SseMessage?> NextAsync(CancellationToken ct)
    {
        string? type = null, id = null, retry = null;
        StringBuilder? data = null;
        var comments = new List<string>();
        var any = false;
        while (true)
        {
            var line = await _reader.ReadLineAsync(ct);
            if (line is null) return null;
            if (line.Length == 0)
            {
                if (any) return new SseMessage(type, id, data?.ToString(), retry, comments);
                continue;
            }

            any = true;
            if (line[0] == ':')
            {
                comments.Add(line[1..].TrimStart());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' ')) value = value[1..];
            switch (field)
            {
                case "event": type = value; break;
                case "id": id = value; break;
                case "retry": retry = value; break;
                case "data":
                    if (data is null) data = new StringBuilder(value);
                    else data.Append('\n').Append(value);
                    break;
            }
        }
    }

    /// <summary>Reads until <paramref name="count"/> entry events have arrived (other messages are skipped).</summary>
    public async Task<List<SseMessage>> EntriesAsync(int count, CancellationToken ct)
    {
        var entries = new List<SseMessage>();
        while (entries.Count < count)
        {
            var message = await NextAsync(ct) ?? throw new InvalidOperationException($"the stream ended after {entries.Count} of {count} entries");
            if (message.Event == "entry") entries.Add(message);
        }

        return entries;
    }

    /// <summary>Reads until an event of this type arrives.</summary>
    public async Task<SseMessage> UntilAsync(string eventType, CancellationToken ct)
    {
        while (true)
        {
            var message = await NextAsync(ct) ?? throw new InvalidOperationException($"the stream ended before an '{eventType}' event");
            if (message.Event == eventType) return message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response?.Dispose();
        await Task.CompletedTask;
    }
}

internal static class TailTestExtensions
{
    /// <summary>A cancellation token that fails a hung test instead of hanging the run.</summary>
    public static CancellationToken Within(int seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>Waits until <paramref name="condition"/> holds, polling, or fails with <paramref name="what"/>.</summary>
    public static async Task Eventually(Func<bool> condition, string what, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }
}

/// <summary>
/// Tests that load the machine (a browser, megabytes of events) run alone, after the parallel ones, so they
/// neither disturb timing-sensitive tests elsewhere nor get disturbed by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyTailTests
{
    public const string Name = "Heavy tail tests";
}
