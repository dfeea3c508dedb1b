using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Silk.Api.Auth;
using Silk.Api.Hosting;
using Silk.Tests.Api;
using Silk.Tests.Storage;

namespace Silk.Tests.Auth;

/// <summary>How keys are sent and checked, how they are configured, and what startup says and refuses.</summary>
public sealed class AuthKeysTests : IAsyncLifetime
{
    private readonly SilkApiFactory _factory = AuthTestKit.Factory();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task A_key_is_accepted_as_bearer_or_x_api_key_and_a_hashed_key_matches()
    {
        using var client = _factory.CreateClient();
        using var viaHeader = new HttpRequestMessage(HttpMethod.Get, ApiTestClient.U("/info"));
        viaHeader.Headers.Add("X-Api-Key", AuthTestKit.ReadKey);
        using var headerAnswer = await client.SendAsync(viaHeader);
        await headerAnswer.Json(HttpStatusCode.OK);

        using var admin = _factory.ClientWith(AuthTestKit.AdminKey); // configured as KeyHash only
        using var compactionSafety = await admin.Get("/compact/safety");
        await compactionSafety.Json(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("Bearer not-a-configured-key-at-all", "invalid_token")]
    [InlineData("Bearer read-key-0123456789abcdeX", "invalid_token")]
    [InlineData("Basic cmVhZDprZXk=", null)]
    [InlineData("Bearer", null)]
    public async Task A_wrong_or_malformed_key_is_401_with_a_bearer_challenge_and_changes_nothing(string authorization, string? error)
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiTestClient.U("/nodes"))
        {
            Content = new StringContent("""{"node_id":"k-401","node_type":"entity","label":"x","properties":{"name":"x"}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await client.SendAsync(request);

        await response.Problem(HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        if (error is not null) Assert.Contains($"error=\"{error}\"", challenge.Parameter, StringComparison.Ordinal);
        using var reader = _factory.ClientWith(AuthTestKit.ReadKey);
        using var lookup = await reader.Get("/nodes/k-401");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task A_read_key_cannot_write_403_names_the_roles_and_nothing_is_written()
    {
        using var reader = _factory.ClientWith(AuthTestKit.ReadKey);

        using var response = await reader.PostJson("/nodes", """{"node_id":"k-403","node_type":"entity","label":"x","properties":{"name":"x"}}""");

        var problem = await response.Problem(HttpStatusCode.Forbidden);
        Assert.Contains("'reader' has role read", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("needs write", problem.Str("detail"), StringComparison.Ordinal);
        Assert.DoesNotContain(AuthTestKit.ReadKey, problem.ToString(), StringComparison.Ordinal);
        using var lookup = await reader.Get("/nodes/k-403");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task A_peer_key_reaches_only_sync_and_a_read_key_does_not_reach_sync()
    {
        using var peer = _factory.ClientWith(AuthTestKit.PeerKey);
        using var offer = await peer.Get("/sync/offer");
        Assert.Equal(HttpStatusCode.OK, offer.StatusCode);
        using var info = await peer.Get("/info");
        await info.Problem(HttpStatusCode.Forbidden);

        using var reader = _factory.ClientWith(AuthTestKit.ReadKey);
        using var snapshot = await reader.Get("/sync/snapshot");
        await snapshot.Problem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Tail_takes_the_key_as_access_token_and_other_routes_do_not()
    {
        using var client = _factory.CreateClient();

        using var tail = await client.Get($"/tail?timeout_ms=0&access_token={AuthTestKit.ReadKey}");
        await tail.Json(HttpStatusCode.OK);

        using var info = await client.Get($"/info?access_token={AuthTestKit.AdminKey}");
        await info.Problem(HttpStatusCode.Unauthorized);

        using var wrong = await client.Get("/tail?timeout_ms=0&access_token=not-a-configured-key-at-all");
        await wrong.Problem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/openapi/v1.yaml")]
    [InlineData("/swagger/index.html")]
    public async Task Probes_the_document_and_swagger_ui_need_no_key(string path)
    {
        using var client = _factory.CreateClient();
        using var response = await client.Get(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Every_endpoint_declares_its_access_and_one_that_does_not_is_reported()
    {
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        Assert.True(endpoints.Count >= 50, $"only {endpoints.Count} endpoints");
        Assert.Empty(SilkAccessConventions.Undeclared(endpoints));

        var bare = new RouteEndpointBuilder(_ => Task.CompletedTask, RoutePatternFactory.Parse("/new-route"), 0) { DisplayName = "GET /new-route" }.Build();
        var both = new RouteEndpointBuilder(_ => Task.CompletedTask, RoutePatternFactory.Parse("/both"), 0)
        {
            DisplayName = "GET /both",
            Metadata = { new SilkRoleMetadata(SilkRole.Read), new SilkRoleMetadata(SilkRole.Admin) },
        }.Build();
        var problems = SilkAccessConventions.Undeclared([.. endpoints, bare, both]);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("/new-route", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("/both", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string?, string?, string> BadKeys() => new()
    {
        { "k", "reader", null, AuthTestKit.ReadKey, "Role \"reader\"" },
        { "k", "", null, AuthTestKit.ReadKey, "Role \"\"" },
        { "k", "read", null, null, "exactly one of Key or KeyHash" },
        { "k", "read", null, "", "exactly one of Key or KeyHash" },
        { "k", "read", "sha256:abc", AuthTestKit.ReadKey, "exactly one of Key or KeyHash" },
        { "k", "read", null, "short", "shorter than 16" },
        { "k", "read", "md5:0123", null, "KeyHash" },
        { "k", "read", "sha256:" + new string('g', 64), null, "KeyHash" },
        { "", "read", null, AuthTestKit.ReadKey, "has no Name" },
        { "reader", "write", null, "another-key-0123456789", "name is used by another key" },
        { "k", "admin", null, AuthTestKit.ReadKey, "same key is configured twice" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task A_bad_key_setting_stops_startup_with_a_message_naming_it(string name, string role, string? hash, string? key, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Silk:Auth:Keys:0:Name"] = "reader",
            ["Silk:Auth:Keys:0:Role"] = "read",
            ["Silk:Auth:Keys:0:Key"] = AuthTestKit.ReadKey,
            ["Silk:Auth:Keys:1:Name"] = name,
            ["Silk:Auth:Keys:1:Role"] = role,
            ["Silk:Auth:Keys:1:KeyHash"] = hash,
            ["Silk:Auth:Keys:1:Key"] = key,
        };
        await using var factory = SilkApiFactory.With(settings);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains("Silk:Auth:Keys:1", messages, StringComparison.Ordinal);
        Assert.Contains(expected, messages, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthTestKit.ReadKey, messages, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_keys_the_real_app_refuses_a_non_loopback_address()
    {
        using var temp = new TempFolder();
        var folder = temp.Path;
        var error = Assert.Throws<SilkSettingsException>(() => SilkApp.Build(["--urls", "http://0.0.0.0:0", "--Silk:DataPath", folder]));

        Assert.Contains("Urls", error.Message, StringComparison.Ordinal);
        Assert.Contains("Silk:Auth:Keys", error.Message, StringComparison.Ordinal);
        Assert.Contains("http://0.0.0.0:0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_keys_the_real_app_may_listen_on_every_interface()
    {
        using var temp = new TempFolder();
        var folder = temp.Path;
        await using var app = SilkApp.Build([
            "--urls", "http://0.0.0.0:0", "--Silk:DataPath", folder,
            "--Silk:Auth:Keys:0:Name", "ops", "--Silk:Auth:Keys:0:Role", "admin", "--Silk:Auth:Keys:0:Key", AuthTestKit.AdminKey,
            "--Logging:LogLevel:Default", "Warning",
        ]);
        Assert.True(app.Services.GetRequiredService<ApiKeyRing>().Enabled);
    }

    [Fact]
    public async Task Startup_warns_that_authentication_is_off_without_keys_and_names_the_keys_with_them()
    {
        var offLog = new CapturingLoggerProvider();
        await using (var off = new SilkApiFactory().WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(offLog))))
        {
            using var client = off.CreateClient();
            using var health = await client.Get("/healthz");
        }

        Assert.Contains(offLog.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("Authentication is OFF", StringComparison.Ordinal)
            && l.Message.Contains("Silk:Auth:Keys", StringComparison.Ordinal) && l.Message.Contains("loopback", StringComparison.Ordinal));

        var onLog = new CapturingLoggerProvider();
        await using (var on = _factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(onLog))))
        {
            using var client = on.CreateClient();
            using var health = await client.Get("/healthz");
        }

        Assert.DoesNotContain(onLog.Lines, l => l.Message.Contains("Authentication is OFF", StringComparison.Ordinal));
        Assert.Contains(onLog.Lines, l => l.Message.Contains("Authentication on: 4 API keys", StringComparison.Ordinal)
            && l.Message.Contains("operator (admin)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_and_access_tokens_never_reach_the_log_even_at_debug()
    {
        var log = new CapturingLoggerProvider();
        await using var factory = AuthTestKit.Factory(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Debug",
        });
        await using var logged = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(log)));
        const string wrongKey = "wrong-key-that-must-not-be-logged";
        using (var client = logged.CreateClient())
        {
            using var tail = await client.Get($"/tail?timeout_ms=0&access_token={AuthTestKit.ReadKey}");
            await tail.Json(HttpStatusCode.OK);
            using var badTail = await client.Get($"/tail?timeout_ms=0&access_token={wrongKey}");
            Assert.Equal(HttpStatusCode.Unauthorized, badTail.StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Post, ApiTestClient.U("/nodes")) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Api-Key", AuthTestKit.ReadKey);
            using var forbidden = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        var all = log.All();
        Assert.Contains("Refused POST /nodes", all, StringComparison.Ordinal); // the debug lines were written
        foreach (var secret in new[] { AuthTestKit.ReadKey, AuthTestKit.WriteKey, AuthTestKit.PeerKey, AuthTestKit.AdminKey, wrongKey, "access_token" })
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:0", true)]
    [InlineData("https://[::1]:443", true)]
    [InlineData("http://127.1.2.3:80", true)]
    [InlineData("http://unix:/run/silk.sock", true)]
    [InlineData("http://0.0.0.0:0", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://192.168.1.5:5080", false)]
    [InlineData("http://example.org:80", false)]
    public void Loopback_addresses_are_told_apart(string address, bool loopback) =>
        Assert.Equal(loopback, LoopbackGuard.IsLoopback(address));

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }
}
