using System.Net.Http.Headers;
using Silk.Core.Entries;
using Silk.Core.Sync;
using Silk.Tests.Api;
using Silk.Tests.Conformance;

namespace Silk.Tests.Peers;

/// <summary>Helpers for the sync routes: apps seeded from the conformance vectors, MessagePack posts.</summary>
internal static class SyncServer
{
    public const string File = "sync.json";

    public static Entry VectorEntry(string label) => label == "c1"
        ? Entry.Decode(Vectors.HexOf(Vectors.Get(File, "peer_c", "entry"), "entry_msgpack_hex"))
        : Entry.Decode(Vectors.HexOf(Vectors.Get(File, "entries").EnumerateArray().Single(e => Vectors.Str(e, "name") == label), "entry_msgpack_hex"));

    /// <summary>
    /// An app whose store starts as the vectors' peer A (genesis, a1, a2): the test-only way to seed a
    /// server is the real one, Silk:BootstrapFrom pointing at a snapshot file written from the entries.
    /// </summary>
    public static SilkApiFactory Seeded(params string[] labels)
    {
        var file = Path.Combine(Path.GetTempPath(), $"silk-snapshot-{Guid.NewGuid():N}.msgpack");
        System.IO.File.WriteAllBytes(file, new Snapshot(labels.Select(VectorEntry).ToList()).ToBytes());
        return SilkApiFactory.With(new Dictionary<string, string?>
        {
            ["Silk:BootstrapFrom"] = file,
            ["Silk:Gossip:IntervalSeconds"] = "0",
        });
    }

    public static SilkApiFactory PeerA() => Seeded("genesis", "a1", "a2");

    public static byte[] VectorBytes(params string[] path) =>
        path[^1].EndsWith("_hex", StringComparison.Ordinal)
            ? Vectors.Hex(Vectors.Str(Vectors.Get(File, path[..^1]), path[^1]))
            : Vectors.HexOf(Vectors.Get(File, path), "bytes_hex");

    public static async Task<HttpResponseMessage> PostMsgPack(this HttpClient client, string path, byte[] body, string? mode = null, string contentType = "application/msgpack", string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiTestClient.U(path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (mode is not null) request.Headers.Add("X-Silk-Payload-Mode", mode);
        if (accept is not null) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return await client.SendAsync(request);
    }

    public static async Task<byte[]> Bytes(this HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        Assert.Equal("application/msgpack", response.Content.Headers.ContentType?.MediaType);
        return bytes;
    }
}
