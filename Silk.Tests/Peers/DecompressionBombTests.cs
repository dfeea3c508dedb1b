using System.IO.Compression;
using System.Net;
using Silk.Tests.Api;

namespace Silk.Tests.Peers;

/// <summary>
/// A sync body that inflates far past the body limit is refused with 413 while it streams, never held: 200 MiB of
/// zeros gzipped into ~200 KiB, posted under a 1 MiB limit. Alone (not in parallel with other tests), so the process's
/// allocation count during the request is the server's own.
/// </summary>
[Collection(DecompressionBombCollection.Name)]
public sealed class DecompressionBombTests
{
    private const int Inflated = 200 * 1024 * 1024;

    [Fact]
    public async Task A_200_MiB_gzip_bomb_in_a_small_body_is_a_413_problem_without_allocating_it()
    {
        await using var app = SilkApiFactory.With(new Dictionary<string, string?>
        {
            ["Silk:Gossip:IntervalSeconds"] = "0",
            ["Silk:Limits:MaxSyncBodyBytes"] = "1048576",
        });
        using var client = app.CreateClient();
        var heads = app.Host.Store.Heads;
        var count = app.Host.Store.EntryCount;
        var bomb = Bomb();
        Assert.True(bomb.Length < 1024 * 1024, $"the bomb is {bomb.Length} bytes");

        foreach (var route in new[] { "/sync/payload", "/sync/offer", "/sync/entries" })
        {
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            using var response = await SyncCompressionTests.PostEncoded(client, route, bomb, "gzip");
            var problem = await response.Problem(HttpStatusCode.RequestEntityTooLarge);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

            Assert.Contains("Silk:Limits:MaxSyncBodyBytes", problem.Str("detail"), StringComparison.Ordinal);
            Assert.True(allocated < 32L * 1024 * 1024, $"{route}: {allocated:N0} bytes allocated while refusing the bomb");
        }

        Assert.Equal(heads, app.Host.Store.Heads);
        Assert.Equal(count, app.Host.Store.EntryCount);
    }

    private static byte[] Bomb()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var written = 0; written < Inflated; written += zeros.Length) gzip.Write(zeros);
        }

        return output.ToArray();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DecompressionBombCollection
{
    public const string Name = "Decompression bomb";
}
