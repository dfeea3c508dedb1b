using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Silk.Tests.Api;

/// <summary>
/// Slow, stalled and lying request bodies against the real app on Kestrel at 127.0.0.1, over raw sockets (an
/// HTTP client would not send them): each gets a problem (or, when the client stops sending, a closed
/// connection), the server keeps answering everyone else meanwhile, and the store is unchanged.
/// </summary>
public sealed class SlowBodyTests(SlowBodyTests.Server server) : IClassFixture<SlowBodyTests.Server>
{
    /// <summary>The real app on Kestrel (a class fixture needs a single constructor).</summary>
    public sealed class Server : TailServerFactory
    {
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Trickled_hostile_bodies_get_problems_and_change_nothing()
    {
        using var client = server.NewClient();
        var heads = server.Host.Store.Heads;
        var count = server.Host.Store.EntryCount;

        var brokenJson = Encoding.UTF8.GetBytes("""{"node_id":"slow","node_type":"entity","label":[}""");
        var json = await SendSlowly("/nodes", "application/json", brokenJson, TimeSpan.FromMilliseconds(25));
        Assert.Equal(400, json.Status);
        Assert.Equal("application/problem+json", json.ContentType);

        var noise = new byte[48];
        new Random(7).NextBytes(noise);
        noise[0] = 0x92; // an array of two, then garbage
        var msgpack = await SendSlowly("/sync/payload", "application/msgpack", noise, TimeSpan.FromMilliseconds(25));
        Assert.Equal(400, msgpack.Status);
        Assert.Equal("application/problem+json", msgpack.ContentType);

        Assert.Equal(heads, server.Host.Store.Heads);
        Assert.Equal(count, server.Host.Store.EntryCount);
        using var health = await client.GetAsync(ApiTestClient.U("/healthz"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_declared_oversized_body_is_refused_before_it_is_sent()
    {
        using var socket = await Connect();
        var stream = socket.GetStream();
        await stream.WriteAsync(Head("/nodes", "application/json", contentLength: 50_000_000));

        var answer = await ReadAnswer(stream);

        Assert.Equal(413, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Contains("Silk:MaxBodyBytes", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stalled_bodies_and_headers_do_not_hold_up_other_clients_and_change_nothing()
    {
        using var client = server.NewClient();
        var heads = server.Host.Store.Heads;
        var count = server.Host.Store.EntryCount;

        // Ten clients that start a body and stop, ten that stop inside their headers.
        var stalled = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                var body = await Connect();
                stalled.Add(body);
                await body.GetStream().WriteAsync(Head(i % 2 == 0 ? "/nodes" : "/sync/payload", i % 2 == 0 ? "application/json" : "application/msgpack", contentLength: 10_000));
                await body.GetStream().WriteAsync("{\"node_id\":"u8.ToArray());

                var headers = await Connect();
                stalled.Add(headers);
                await headers.GetStream().WriteAsync(Encoding.ASCII.GetBytes("POST /nodes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"));
            }

            // Everyone else is served meanwhile, reads and writes alike.
            for (var i = 0; i < 5; i++)
            {
                using var health = await client.GetAsync(ApiTestClient.U("/healthz"));
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            Assert.Equal(heads, server.Host.Store.Heads);
            Assert.Equal(count, server.Host.Store.EntryCount);
            await client.CreateNode("while-stalled");
            heads = server.Host.Store.Heads;
            count = server.Host.Store.EntryCount;

            // Kestrel ends a body arriving below its minimum data rate (after a grace period): the stalled
            // request gets a 408 problem, or its connection is closed; it never becomes a write.
            var first = stalled[0].GetStream();
            var answer = await ReadAnswer(first);
            Assert.True(answer.Status is 0 or 408 or 400, $"stalled body answered {answer.Status}: {answer.Body}");
            if (answer.Status != 0) Assert.Equal("application/problem+json", answer.ContentType);
        }
        finally
        {
            foreach (var socket in stalled) socket.Dispose();
        }

        Assert.Equal(heads, server.Host.Store.Heads);
        Assert.Equal(count, server.Host.Store.EntryCount);
        using var after = await client.GetAsync(ApiTestClient.U("/readyz"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private sealed record RawAnswer(int Status, string? ContentType, string Body);

    private async Task<TcpClient> Connect()
    {
        var address = server.BaseAddress;
        var socket = new TcpClient { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, address.Port);
        return socket;
    }

    private static byte[] Head(string path, string mediaType, long contentLength) => Encoding.ASCII.GetBytes(
        $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {mediaType}\r\nContent-Length: {contentLength}\r\nConnection: close\r\n\r\n");

    /// <summary>Sends the request head, then the body one byte at a time with a pause between bytes; returns the answer.</summary>
    private async Task<RawAnswer> SendSlowly(string path, string mediaType, byte[] body, TimeSpan pause)
    {
        using var socket = await Connect();
        var stream = socket.GetStream();
        await stream.WriteAsync(Head(path, mediaType, body.Length));
        foreach (var b in body)
        {
            await stream.WriteAsync(new[] { b });
            await Task.Delay(pause);
        }

        return await ReadAnswer(stream);
    }

    /// <summary>An HTTP/1.1 answer read until the connection closes or its Content-Length is in; status 0 when the server closed without answering.</summary>
    private static async Task<RawAnswer> ReadAnswer(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        var clock = Stopwatch.StartNew();
        while (true)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                n = 0; // reset by the server
            }

            if (n == 0) break;
            received.Write(buffer, 0, n);
            if (Parse(received.ToArray()) is { Complete: true } done) return done.Answer;
        }

        Assert.True(clock.Elapsed < Patience, "the server neither answered nor closed the connection");
        return Parse(received.ToArray())?.Answer ?? new RawAnswer(0, null, "");
    }

    private static (bool Complete, RawAnswer Answer)? Parse(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return null;
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        string? contentType = null;
        var length = -1;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) contentType = value.Split(';')[0];
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) length = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        var body = text[(end + 4)..];
        return (length >= 0 && Encoding.UTF8.GetByteCount(body) >= length, new RawAnswer(status, contentType, body));
    }
}
