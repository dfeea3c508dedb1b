using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Silk.Tests.Api;

namespace Silk.Tests.Auth;

/// <summary>Silk:Limits: the request rate and open event streams per caller, and Kestrel's limits for slow clients.</summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_retry_after_while_other_keys_and_probes_go_on()
    {
        await using var factory = AuthTestKit.Factory(new Dictionary<string, string?>
        {
            ["Silk:Limits:RequestsPerSecond"] = "1",
            ["Silk:Limits:RequestBurst"] = "3",
        });
        using var reader = factory.ClientWith(AuthTestKit.ReadKey);

        for (var i = 0; i < 3; i++)
        {
            using var ok = await reader.Get("/info");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        HttpResponseMessage? refused = null;
        for (var i = 0; i < 10 && refused is null; i++)
        {
            var response = await reader.Get("/info");
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
            else response.Dispose();
        }

        Assert.NotNull(refused);
        using (refused)
        {
            var problem = await refused.Problem(HttpStatusCode.TooManyRequests);
            Assert.Contains("Silk:Limits:RequestsPerSecond", problem.Str("detail"), StringComparison.Ordinal);
            var retryAfter = refused.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After {retryAfter}");
        }

        using var writer = factory.ClientWith(AuthTestKit.WriteKey);
        using var written = await writer.PostJson("/nodes", """{"node_id":"l-1","node_type":"entity","label":"x","properties":{"name":"x"}}""");
        Assert.Equal(HttpStatusCode.Created, written.StatusCode);
        for (var i = 0; i < 20; i++)
        {
            using var health = await reader.Get("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task A_refused_write_changes_nothing()
    {
        await using var factory = AuthTestKit.Factory(new Dictionary<string, string?>
        {
            ["Silk:Limits:RequestsPerSecond"] = "1",
            ["Silk:Limits:RequestBurst"] = "1",
        });
        using var writer = factory.ClientWith(AuthTestKit.WriteKey);
        string? refusedId = null;
        for (var i = 0; i < 10 && refusedId is null; i++)
        {
            using var response = await writer.PostJson("/nodes", $$$"""{"node_id":"l-{{{i}}}","node_type":"entity","label":"x","properties":{"name":"x"}}""");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await response.Problem(HttpStatusCode.TooManyRequests);
                refusedId = $"l-{i}";
            }
        }

        Assert.NotNull(refusedId);
        using var admin = factory.ClientWith(AuthTestKit.AdminKey);
        using var lookup = await admin.Get($"/nodes/{refusedId}");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Local_callers_without_a_key_are_limited_only_when_configured()
    {
        await using (var open = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:Limits:RequestsPerSecond"] = "1", ["Silk:Limits:RequestBurst"] = "1" }))
        {
            using var client = open.CreateClient();
            for (var i = 0; i < 10; i++)
            {
                using var response = await client.Get("/info");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        await using var limited = SilkApiFactory.With(new Dictionary<string, string?>
        {
            ["Silk:Limits:RequestsPerSecond"] = "1",
            ["Silk:Limits:RequestBurst"] = "1",
            ["Silk:Limits:LimitLoopback"] = "true",
        });
        using var limitedClient = limited.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await limitedClient.Get("/info");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Theory]
    [InlineData("Silk:Limits:RequestsPerSecond", "-1")]
    [InlineData("Silk:Limits:RequestBurst", "0")]
    [InlineData("Silk:Limits:MaxStreamsPerCaller", "-5")]
    [InlineData("Silk:Limits:MaxSyncBodyBytes", "100")]
    [InlineData("Silk:Limits:MaxSyncBodyBytes", "67108865")]
    [InlineData("Silk:Limits:MaxConcurrentConnections", "-1")]
    [InlineData("Silk:Limits:RequestHeadersTimeoutSeconds", "0")]
    [InlineData("Silk:Limits:MinRequestBodyBytesPerSecond", "-1")]
    public async Task A_bad_limit_setting_stops_startup_naming_it(string key, string value)
    {
        await using var factory = SilkApiFactory.With(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains(key, messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_bodies_are_bounded_by_their_own_setting_and_json_bodies_by_theirs()
    {
        await using var factory = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:Limits:MaxSyncBodyBytes"] = "2048" });
        using var client = factory.CreateClient();
        var heads = factory.Host.Store.EntryCount;

        using var sync = new HttpRequestMessage(HttpMethod.Post, ApiTestClient.U("/sync/payload")) { Content = new ByteArrayContent(new byte[3000]) };
        sync.Content.Headers.ContentType = new MediaTypeHeaderValue("application/msgpack");
        using var tooLarge = await client.SendAsync(sync);
        var problem = await tooLarge.Problem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("Silk:Limits:MaxSyncBodyBytes", problem.Str("detail"), StringComparison.Ordinal);

        // A JSON route keeps Silk:MaxBodyBytes (1 MB): 1.1 MB is refused there, though under the default sync limit.
        using var json = await client.PostJson("/nodes", """{"node_id":"big","node_type":"entity","label":"x","properties":{"name":"x"}}""" + new string(' ', 1_100_000));
        await json.Problem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(heads, factory.Host.Store.EntryCount);
    }

    [Fact]
    public async Task Kestrel_limits_come_from_the_settings()
    {
        await using var factory = SilkApiFactory.With(new Dictionary<string, string?>
        {
            ["Silk:Limits:MaxConcurrentConnections"] = "123",
            ["Silk:Limits:RequestHeadersTimeoutSeconds"] = "7",
            ["Silk:Limits:MinRequestBodyBytesPerSecond"] = "0",
        });
        var limits = factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.Equal(123, limits.MaxConcurrentConnections);
        Assert.Equal(TimeSpan.FromSeconds(7), limits.RequestHeadersTimeout);
        Assert.Null(limits.MinRequestBodyDataRate);

        await using var defaults = new SilkApiFactory();
        var standard = defaults.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.Equal(10_000, standard.MaxConcurrentConnections);
        Assert.Equal(240, standard.MinRequestBodyDataRate!.BytesPerSecond);
    }

    [Fact]
    public async Task A_client_that_never_finishes_its_headers_is_disconnected()
    {
        await using var server = new TailServerFactory(new Dictionary<string, string?> { ["Silk:Limits:RequestHeadersTimeoutSeconds"] = "1" });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));

        // Kestrel answers 408 (or just closes); either way the connection ends long before the default 30 s.
        var buffer = new byte[4096];
        var answer = new StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(buffer, TailTestExtensions.Within(20))) > 0) answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        Assert.True(answer.Length == 0 || answer.ToString().StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer.ToString());
    }

    [Fact]
    public async Task A_key_may_hold_only_so_many_event_streams()
    {
        await using var server = new TailServerFactory(AuthTestKit.Keys(new Dictionary<string, string?> { ["Silk:Limits:MaxStreamsPerCaller"] = "2" }));
        using var client = server.NewClient();
        var path = $"/tail?access_token={AuthTestKit.ReadKey}";
        var first = await SseReader.OpenAsync(client, path, ct: TailTestExtensions.Within(30));
        await using var second = await SseReader.OpenAsync(client, path, ct: TailTestExtensions.Within(30));
        await first.UntilAsync("up-to-date", TailTestExtensions.Within(30));

        var (refused, reader) = await SseReader.TryOpenAsync(client, path, ct: TailTestExtensions.Within(30));
        Assert.Null(reader);
        using (refused)
        {
            var problem = await refused.Problem(HttpStatusCode.TooManyRequests);
            Assert.Contains("Silk:Limits:MaxStreamsPerCaller", problem.Str("detail"), StringComparison.Ordinal);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        // Another key has its own places; a closed stream gives its place back.
        await using (var other = await SseReader.OpenAsync(client, $"/tail?access_token={AuthTestKit.WriteKey}", ct: TailTestExtensions.Within(30)))
        {
            await other.UntilAsync("up-to-date", TailTestExtensions.Within(30));
        }

        await first.DisposeAsync();
        SseReader? again = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (again is null)
        {
            // The server notices the closed connection a moment later.
            var (response, opened) = await SseReader.TryOpenAsync(client, path, ct: TailTestExtensions.Within(30));
            if (opened is not null)
            {
                again = opened;
                break;
            }

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            response.Dispose();
            Assert.True(DateTime.UtcNow < deadline, "the closed stream's place never came back");
            await Task.Delay(50);
        }

        await using (again)
        {
            await again.UntilAsync("up-to-date", TailTestExtensions.Within(30));
        }
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }
}
