using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json;
using Silk.Api.Ontology;
using Silk.Api.Sync;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Api.Peers;

/// <summary>
/// A peer reached over HTTP: each protocol message is one call to its <c>/sync</c> routes with the
/// original's MessagePack bytes. Delta payloads and held-back pushes are asked for with
/// <c>X-Silk-Payload-Mode: delta</c>. Answers larger than the sync limit (64 MiB) are refused unread.
/// Counts the message bytes it sends and receives (before compression). With an API key, every call carries it as
/// <c>Authorization: Bearer</c>. Once the peer's answers have said it accepts gzip (<c>Accept-Encoding</c> on a response,
/// RFC 7694), what it posts is gzipped at the fastest level; an older peer never says so and gets plain bodies.
/// Compressed answers are inflated by the client's handler (<see cref="PeersSetup.NewPeerHandler"/>), the sync limit
/// counting the inflated bytes.
/// With node types, payloads are asked for filtered to them (<c>POST /sync/offer?node_types=…</c>): a partial replica's pull.
/// </summary>
public sealed class HttpSyncPeer : ISyncPeer
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly HttpClient _client;
    private readonly Uri _base;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly string _offerPath;
    private long _sent;
    private long _received;
    private volatile bool _peerAcceptsGzip;

    public HttpSyncPeer(HttpClient client, Uri baseAddress, string? apiKey = null, IReadOnlyList<string>? nodeTypes = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(baseAddress);
        _client = client;
        _base = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _authorization = string.IsNullOrEmpty(apiKey) ? null : new AuthenticationHeaderValue("Bearer", apiKey);
        _offerPath = nodeTypes is { Count: > 0 }
            ? "sync/offer?" + string.Join('&', nodeTypes.Select(t => SyncApi.NodeTypesQuery + "=" + Uri.EscapeDataString(t)))
            : "sync/offer";
    }

    /// <summary>Request body bytes sent so far.</summary>
    public long BytesSent => Interlocked.Read(ref _sent);

    /// <summary>Answer body bytes received so far.</summary>
    public long BytesReceived => Interlocked.Read(ref _received);

    public async Task<SyncOffer> GetOfferAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, "sync/offer"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(SyncBody.MediaType));
        var bytes = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return SyncOffer.Decode(bytes);
    }

    public async Task<SyncPayload> RequestPayloadAsync(SyncOffer offer, PayloadMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        using var request = Post(_offerPath, offer.ToBytes(), mode);
        return SyncPayload.Decode(await SendAsync(request, cancellationToken).ConfigureAwait(false));
    }

    public async Task<PeerMergeReport> PushPayloadAsync(SyncPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        using var request = Post("sync/payload", payload.ToBytes(), PayloadMode.Delta);
        var bytes = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var result = JsonSerializer.Deserialize<SyncMergeResult>(bytes.Span, Json)
            ?? throw new HttpRequestException("the peer answered a merge with an empty body");
        var missing = new List<Hash>(result.MissingParents.Count);
        foreach (var hex in result.MissingParents)
        {
            if (!Hash.TryParseHex(hex, out var hash)) throw new HttpRequestException($"the peer reported a missing parent that is not a hash: '{hex}'");
            missing.Add(hash);
        }

        return new PeerMergeReport(result.Inserted, missing);
    }

    public async Task<SyncPayload> RequestEntriesAsync(IReadOnlyList<Hash> hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        using var request = Post("sync/entries", new SyncPayload([], hashes).ToBytes(), PayloadMode.Delta);
        return SyncPayload.Decode(await SendAsync(request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The peer's ontology hash and fingerprint (<c>GET /sync/ontology</c>); an older peer without the route answers 404.</summary>
    public async Task<OntologyFacts?> GetOntologyFactsAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, "sync/ontology"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var bytes = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize<OntologyFacts>(bytes.Span, Json);
    }

    /// <summary>The peer's snapshot (for bootstrapping), read whole within the sync limit.</summary>
    public async Task<Snapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, "sync/snapshot"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(SyncBody.MediaType));
        return Snapshot.Decode(await SendAsync(request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Whether the peer has said that it accepts gzip request bodies (so the next posts are compressed).</summary>
    public bool CompressesRequests => _peerAcceptsGzip;

    private HttpRequestMessage Post(string path, byte[] body, PayloadMode mode)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path)) { Content = new ByteArrayContent(_peerAcceptsGzip ? Gzip(body) : body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(SyncBody.MediaType);
        if (_peerAcceptsGzip) request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Add(SyncBody.PayloadModeHeader, mode == PayloadMode.Delta ? SyncBody.DeltaMode : SyncBody.CompatibleMode);
        Interlocked.Add(ref _sent, body.Length);
        return request;
    }

    private async Task<ReadOnlyMemory<byte>> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _authorization;
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!_peerAcceptsGzip && response.Headers.TryGetValues("Accept-Encoding", out var accepted)
            && accepted.Any(v => v.Split(',').Any(c => string.Equals(c.Split(';')[0].Trim(), "gzip", StringComparison.OrdinalIgnoreCase))))
        {
            _peerAcceptsGzip = true;
        }

        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException(
                $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {Detail(text)}", null, response.StatusCode);
        }

        if (response.Content.Headers.ContentLength is > SyncLimits.MaxMessageBytes)
        {
            throw new HttpRequestException($"{request.RequestUri} answered {response.Content.Headers.ContentLength} bytes, over the sync limit of {SyncLimits.MaxMessageBytes}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(response.Content.Headers.ContentLength is > 0 and <= SyncLimits.MaxMessageBytes ? (int)response.Content.Headers.ContentLength.Value : 16 * 1024);
        while (true)
        {
            var read = await stream.ReadAsync(buffer.GetMemory(64 * 1024), cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > SyncLimits.MaxMessageBytes)
            {
                throw new HttpRequestException($"{request.RequestUri} answered more than the sync limit of {SyncLimits.MaxMessageBytes} bytes");
            }
        }

        Interlocked.Add(ref _received, buffer.WrittenCount);
        return buffer.WrittenMemory;
    }

    private static byte[] Gzip(byte[] body)
    {
        using var compressed = new MemoryStream(body.Length / 4 + 64);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(body);
        return compressed.ToArray();
    }

    /// <summary>The problem's detail when the answer is a problem, else the start of the body.</summary>
    private static string Detail(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("detail", out var detail)) return detail.ToString();
        }
        catch (JsonException)
        {
        }

        return body.Length > 200 ? body[..200] : body;
    }
}
