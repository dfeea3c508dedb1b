using System.Net;
using Silk.Tests.Api;

namespace Silk.Tests.Auth;

/// <summary>
/// Two real servers (Kestrel on 127.0.0.1) with authentication on: each knows the other's peer key from
/// <c>Silk:Peers:*:ApiKey</c> and sends it on its sync calls; gossip converges. With a wrong key the exchange fails
/// with the peer's 401, which <c>GET /peers</c> shows.
/// </summary>
public sealed class PeerAuthTests
{
    private const string KeyOfA = "a-peer-key-0123456789abcdef";
    private const string KeyOfB = "b-peer-key-0123456789abcdef";

    [Fact]
    public async Task Two_servers_with_auth_on_gossip_with_their_peer_keys_and_converge()
    {
        await using var a = Server(ownPeerKey: KeyOfA, peerId: "b", keyForPeer: KeyOfB, gossipSeconds: "0.2");
        await using var b = Server(ownPeerKey: KeyOfB, peerId: "a", keyForPeer: KeyOfA, gossipSeconds: "0.2");
        using var adminA = Client(a);
        using var adminB = Client(b);
        await Point(adminA, "b", b);
        await Point(adminB, "a", a);

        await adminA.CreateNode("from-a");
        await adminB.CreateNode("from-b");

        await Eventually(async () => await Has(adminA, "from-b") && await Has(adminB, "from-a"), "both servers hold both nodes");
        using var peers = await adminA.Get("/peers");
        var peer = (await peers.Json(HttpStatusCode.OK)).GetProperty("peers").EnumerateArray().Single();
        Assert.Equal("b", peer.Str("peer_id"));
        Assert.True(peer.GetProperty("exchanges").GetInt64() >= 1);
        Assert.DoesNotContain(KeyOfB, peer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_wrong_peer_key_the_exchange_fails_with_401_and_peers_shows_it()
    {
        await using var a = Server(ownPeerKey: KeyOfA, peerId: "b", keyForPeer: KeyOfB, gossipSeconds: "0");
        await using var b = Server(ownPeerKey: KeyOfB, peerId: "a", keyForPeer: "not-the-key-of-a-0123456789", gossipSeconds: "0");
        using var adminA = Client(a);
        using var adminB = Client(b);
        await Point(adminB, "a", a);
        await adminB.CreateNode("from-b");

        using var sync = await adminB.PostAsync(ApiTestClient.U("/peers/a/sync"), null);

        var problem = await sync.Problem(HttpStatusCode.BadGateway);
        Assert.Contains("401", problem.Str("detail"), StringComparison.Ordinal);
        using var peers = await adminB.Get("/peers");
        var peer = (await peers.Json(HttpStatusCode.OK)).GetProperty("peers").EnumerateArray().Single();
        Assert.Contains("401", peer.Str("last_error"), StringComparison.Ordinal);
        Assert.Equal(0, peer.GetProperty("exchanges").GetInt64());
        Assert.False(await Has(adminA, "from-b"));
    }

    [Fact]
    public async Task A_new_server_bootstraps_from_a_peer_with_auth_on_using_its_bootstrap_key()
    {
        await using var a = Server(ownPeerKey: KeyOfA, peerId: "b", keyForPeer: KeyOfB, gossipSeconds: "0");
        using var adminA = Client(a);
        await adminA.CreateNode("before-b");
        var source = a.BaseAddress.AbsoluteUri.TrimEnd('/');

        await using (var refused = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:BootstrapFrom"] = source, ["Silk:BootstrapApiKey"] = "not-the-key-of-a-0123456789" }))
        {
            var error = Assert.ThrowsAny<Exception>(() => refused.CreateClient());
            var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
            Assert.Contains("Silk:BootstrapFrom", messages, StringComparison.Ordinal);
            Assert.Contains("401", messages, StringComparison.Ordinal);
        }

        await using var b = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:BootstrapFrom"] = source, ["Silk:BootstrapApiKey"] = KeyOfA });
        using var clientB = b.CreateClient();
        Assert.True(await Has(clientB, "before-b"));
    }

    /// <summary>
    /// A server with its own admin and peer keys, whose one configured peer has a placeholder address (the other server's
    /// port is known only once it runs; <see cref="Point"/> sets it, and the configured key follows the peer's id).
    /// </summary>
    private static TailServerFactory Server(string ownPeerKey, string peerId, string keyForPeer, string gossipSeconds) => new(new Dictionary<string, string?>
    {
        ["Silk:Auth:Keys:0:Name"] = "ops",
        ["Silk:Auth:Keys:0:Role"] = "admin",
        ["Silk:Auth:Keys:0:Key"] = AuthTestKit.AdminKey,
        ["Silk:Auth:Keys:1:Name"] = "other-server",
        ["Silk:Auth:Keys:1:Role"] = "peer",
        ["Silk:Auth:Keys:1:Key"] = ownPeerKey,
        ["Silk:Peers:0:Id"] = peerId,
        ["Silk:Peers:0:Address"] = "http://127.0.0.1:9",
        ["Silk:Peers:0:ApiKey"] = keyForPeer,
        ["Silk:Gossip:IntervalSeconds"] = gossipSeconds,
        ["Silk:Gossip:RetryAttempts"] = "0",
    });

    private static HttpClient Client(TailServerFactory server)
    {
        var client = server.NewClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AuthTestKit.AdminKey);
        return client;
    }

    private static async Task Point(HttpClient admin, string peerId, TailServerFactory peer)
    {
        using var put = await admin.PutAsync(ApiTestClient.U($"/peers/{peerId}"),
            new StringContent($$"""{"address":"{{peer.BaseAddress.AbsoluteUri.TrimEnd('/')}}"}""", System.Text.Encoding.UTF8, "application/json"));
        await put.Json(HttpStatusCode.OK);
    }

    private static async Task<bool> Has(HttpClient client, string nodeId)
    {
        using var response = await client.Get($"/nodes/{nodeId}");
        return response.StatusCode == HttpStatusCode.OK;
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }
}
