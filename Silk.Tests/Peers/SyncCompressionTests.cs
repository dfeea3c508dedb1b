using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Silk.Api.Peers;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Tests.Api;
using Silk.Tests.Conformance;

namespace Silk.Tests.Peers;

/// <summary>
/// Sync messages compressed both ways (issue 17): answers of the entry-carrying sync routes honour Accept-Encoding
/// (gzip, br) and nothing else is compressed; request bodies may be gzip or br, inflated within the body limit; peers
/// ask for compressed answers and compress what they post once the peer says it accepts it.
/// </summary>
public sealed class SyncCompressionTests
{
    private static byte[] PayloadForPeerA() => Vectors.HexOf(Vectors.Get(SyncServer.File, "payload_b_for_offer_a"), "bytes_hex");

    internal static byte[] Compress(byte[] bytes, string coding, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var output = new MemoryStream();
        using (Stream compressor = coding == "br" ? new BrotliStream(output, level, leaveOpen: true) : new GZipStream(output, level, leaveOpen: true))
        {
            compressor.Write(bytes);
        }

        return output.ToArray();
    }

    internal static byte[] Inflate(byte[] bytes, string coding)
    {
        using var input = new MemoryStream(bytes);
        using Stream inflater = coding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflater.CopyTo(output);
        return output.ToArray();
    }

    internal static async Task<HttpResponseMessage> PostEncoded(HttpClient client, string path, byte[] body, string? coding, string mode = "delta")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiTestClient.U(path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/msgpack");
        if (coding is not null) request.Content.Headers.TryAddWithoutValidation("Content-Encoding", coding);
        request.Headers.Add("X-Silk-Payload-Mode", mode);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Gzip_and_br_bodies_are_inflated_before_they_are_read_and_the_answer_says_it_accepts_them()
    {
        await using var app = SyncServer.PeerA();
        using var client = app.CreateClient();
        var payload = PayloadForPeerA();
        var before = app.Host.Store.EntryCount;

        using var gzip = await PostEncoded(client, "/sync/payload", Compress(payload, "gzip"), "gzip");
        var merged = await gzip.Json(HttpStatusCode.OK);
        Assert.True(merged.GetProperty("inserted").GetInt32() > 0);
        Assert.Equal(before + merged.GetProperty("inserted").GetInt32(), app.Host.Store.EntryCount);
        Assert.Equal("gzip, br", string.Join(", ", gzip.Headers.GetValues("Accept-Encoding")));

        using var br = await PostEncoded(client, "/sync/payload", Compress(payload, "br"), "br");
        Assert.Equal(SyncPayload.Decode(payload).Entries.Count, (await br.Json(HttpStatusCode.OK)).GetProperty("already_known").GetInt32());
        using var identity = await PostEncoded(client, "/sync/payload", payload, "identity");
        await identity.Json(HttpStatusCode.OK);

        var offer = GraphStore.Create("probe", app.Host.Store.ReadGraph(g => g.Ontology)).GenerateOffer().ToBytes();
        using var answer = await PostEncoded(client, "/sync/offer", Compress(offer, "gzip"), "gzip");
        Assert.Equal(app.Host.Store.EntryCount, SyncPayload.Decode(await answer.Bytes()).Entries.Count);
    }

    [Fact]
    public async Task Corrupt_streams_are_400_and_other_codings_415_and_nothing_changes()
    {
        await using var app = SyncServer.PeerA();
        using var client = app.CreateClient();
        var heads = app.Host.Store.Heads;
        var count = app.Host.Store.EntryCount;
        var payload = PayloadForPeerA();

        var corrupt = Compress(payload, "gzip");
        for (var i = 12; i < corrupt.Length - 8; i += 7) corrupt[i] ^= 0x5a;
        using var badGzip = await PostEncoded(client, "/sync/payload", corrupt, "gzip");
        Assert.Contains("gzip", (await badGzip.Problem(HttpStatusCode.BadRequest)).Str("detail"), StringComparison.Ordinal);
        using var notGzip = await PostEncoded(client, "/sync/payload", payload, "gzip");
        await notGzip.Problem(HttpStatusCode.BadRequest);
        using var badBrotli = await PostEncoded(client, "/sync/entries", [0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37], "br");
        await badBrotli.Problem(HttpStatusCode.BadRequest);

        foreach (var coding in new[] { "zstd", "deflate", "compress", "gzip, gzip" })
        {
            using var refused = await PostEncoded(client, "/sync/payload", Compress(payload, "gzip"), coding);
            var problem = await refused.Problem(HttpStatusCode.UnsupportedMediaType);
            Assert.Contains(coding, problem.Str("detail"), StringComparison.Ordinal);
            Assert.Equal("gzip, br", string.Join(", ", refused.Headers.GetValues("Accept-Encoding")));
        }

        Assert.Equal(heads, app.Host.Store.Heads);
        Assert.Equal(count, app.Host.Store.EntryCount);
    }

    [Fact]
    public async Task Answers_of_the_entry_routes_are_compressed_when_asked_and_no_other_route_is()
    {
        await using var app = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:Gossip:IntervalSeconds"] = "0" });
        using var client = app.CreateClient();
        for (var i = 0; i < 200; i++) await client.CreateNode($"c-{i}");

        var identity = await Fetch(client, "/sync/snapshot", null);
        Assert.Null(identity.Coding);
        foreach (var coding in new[] { "gzip", "br" })
        {
            var compressed = await Fetch(client, "/sync/snapshot", coding);
            Assert.Equal(coding, compressed.Coding);
            Assert.True(compressed.Body.Length < identity.Body.Length / 2, $"{coding}: {compressed.Body.Length} of {identity.Body.Length} bytes");
            Assert.Equal(identity.Body, Inflate(compressed.Body, coding));
        }

        var offer = GraphStore.Create("probe", app.Host.Store.ReadGraph(g => g.Ontology)).GenerateOffer().ToBytes();
        using (var request = new HttpRequestMessage(HttpMethod.Post, ApiTestClient.U("/sync/offer")) { Content = new ByteArrayContent(offer) })
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/msgpack");
            request.Headers.AcceptEncoding.ParseAdd("gzip");
            using var answer = await client.SendAsync(request);
            Assert.Equal(["gzip"], answer.Content.Headers.ContentEncoding);
            Assert.Equal(app.Host.Store.EntryCount, SyncPayload.Decode(Inflate(await answer.Content.ReadAsByteArrayAsync(), "gzip")).Entries.Count);
        }

        foreach (var path in new[] { "/nodes?limit=100", "/sync/offer", "/sync/ontology", "/ontology", "/tail?cursor=now&timeout_ms=0" })
        {
            Assert.Null((await Fetch(client, path, "gzip, br")).Coding);
        }

        // The event stream is never compressed (a compressor would hold its events back).
        using var sse = new HttpRequestMessage(HttpMethod.Get, ApiTestClient.U("/tail?cursor=now"));
        sse.Headers.Accept.ParseAdd("text/event-stream");
        sse.Headers.AcceptEncoding.ParseAdd("gzip, br");
        using var stream = await client.SendAsync(sse, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        Assert.Empty(stream.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task A_peer_compresses_its_posts_only_once_the_other_side_says_it_accepts_them()
    {
        await using var app = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:Gossip:IntervalSeconds"] = "0" });
        var server = app.Host.Store;
        using var local = GraphStore.FromSnapshot("local", server.ExportSnapshot());
        for (var i = 0; i < 50; i++) local.AddNode($"l-{i}", "entity", "L", Silk.Core.Wire.ValueMap.Of(("name", $"L{i}")));

        var seen = new Recorder(hideAcceptEncoding: false);
        using var client = app.CreateDefaultClient(seen);
        var peer = new HttpSyncPeer(client, client.BaseAddress!);
        var result = await SyncExchange.RunAsync(local, peer);
        Assert.Equal(50, result.Pushed);
        Assert.True(peer.CompressesRequests);
        // The first post (the offer) goes plain; the push, after the answers said gzip is accepted, compressed.
        Assert.Equal((HttpMethod.Post, "/sync/offer", (string?)null), seen.Posts[0]);
        Assert.Contains((HttpMethod.Post, "/sync/payload", (string?)"gzip"), seen.Posts);
        Assert.Equal(local.Heads, server.Heads);

        // A server that never says so (an older one) gets plain bodies only.
        for (var i = 0; i < 20; i++) local.AddNode($"m-{i}", "entity", "M", Silk.Core.Wire.ValueMap.Of(("name", $"M{i}")));
        var older = new Recorder(hideAcceptEncoding: true);
        using var plainClient = app.CreateDefaultClient(older);
        var plainPeer = new HttpSyncPeer(plainClient, plainClient.BaseAddress!);
        Assert.Equal(20, (await SyncExchange.RunAsync(local, plainPeer)).Pushed);
        Assert.False(plainPeer.CompressesRequests);
        Assert.All(older.Posts, p => Assert.Null(p.Coding));
        Assert.Contains(older.Posts, p => p.Path == "/sync/payload");
    }

    [Fact]
    public async Task Two_servers_gossiping_converge_with_compressed_sync_and_their_answers_cross_compressed()
    {
        await using var a = new TailServerFactory(Gossiping("b"));
        await using var b = new TailServerFactory(Gossiping("a"));
        using var clientA = a.NewClient();
        using var clientB = b.NewClient();
        await Point(clientA, "b", b);
        await Point(clientB, "a", a);

        await Batch(clientA, "from-a", 300);
        await Batch(clientB, "from-b", 300);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await Has(clientA, "from-b-299") && await Has(clientB, "from-a-299") && a.Host.Store.Heads.SequenceEqual(b.Host.Store.Heads)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the two servers did not converge within 60 s");
            await Task.Delay(100);
        }

        Assert.Equal(a.Host.Store.EntryCount, b.Host.Store.EntryCount);
        using var peers = await clientA.Get("/peers");
        Assert.True((await peers.Json(HttpStatusCode.OK)).GetProperty("peers")[0].GetProperty("exchanges").GetInt64() >= 1);

        // What crosses the network: a raw client (no automatic inflation) sees the coding and the smaller body.
        using var raw = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = b.BaseAddress };
        var identity = await Fetch(raw, "/sync/snapshot", null);
        var compressed = await Fetch(raw, "/sync/snapshot", "gzip");
        Assert.Equal("gzip", compressed.Coding);
        Assert.True(compressed.Body.Length < identity.Body.Length / 2, $"{compressed.Body.Length} of {identity.Body.Length} bytes");
        Assert.Equal(identity.Body, Inflate(compressed.Body, "gzip"));
    }

    private static Dictionary<string, string?> Gossiping(string peerId) => new()
    {
        ["Silk:Peers:0:Id"] = peerId,
        ["Silk:Peers:0:Address"] = "http://127.0.0.1:9",
        ["Silk:Gossip:IntervalSeconds"] = "0.2",
        ["Silk:Gossip:RetryAttempts"] = "0",
    };

    private static async Task Point(HttpClient admin, string peerId, TailServerFactory peer)
    {
        using var put = await admin.PutJson($"/peers/{peerId}", $$"""{"address":"{{peer.BaseAddress.AbsoluteUri.TrimEnd('/')}}"}""");
        await put.Json(HttpStatusCode.OK);
    }

    private static async Task Batch(HttpClient client, string prefix, int count)
    {
        var ops = Enumerable.Range(0, count).Select(i => $$$"""{"op":"add_node","node_id":"{{{prefix}}}-{{{i}}}","node_type":"entity","label":"{{{prefix}}}","properties":{"name":"{{{prefix}}} number {{{i}}}"}}""");
        using var response = await client.PostJson("/batch", "[" + string.Join(",", ops) + "]");
        await response.Json(HttpStatusCode.OK);
    }

    private static async Task<bool> Has(HttpClient client, string nodeId)
    {
        using var response = await client.Get($"/nodes/{nodeId}");
        return response.StatusCode == HttpStatusCode.OK;
    }

    private static async Task<(string? Coding, byte[] Body)> Fetch(HttpClient client, string path, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ApiTestClient.U(path));
        if (acceptEncoding is not null) request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return (response.Content.Headers.ContentEncoding.SingleOrDefault(), body);
    }

    /// <summary>Notes each POST's path and Content-Encoding; can hide the server's Accept-Encoding, as an older server would not send it.</summary>
    private sealed class Recorder(bool hideAcceptEncoding) : DelegatingHandler
    {
        public List<(HttpMethod Method, string Path, string? Coding)> Posts { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post)
            {
                lock (Posts) Posts.Add((request.Method, request.RequestUri!.AbsolutePath, request.Content?.Headers.ContentEncoding.SingleOrDefault()));
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (hideAcceptEncoding) response.Headers.Remove("Accept-Encoding");
            return response;
        }
    }
}
