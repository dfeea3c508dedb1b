using System.Net;
using Silk.Api.Auth;
using Silk.Tests.Api;

namespace Silk.Tests.Auth;

/// <summary><c>POST /auth/tail-token</c>: a short-lived token that <c>GET /tail</c> takes as <c>access_token</c>, and only it.</summary>
public sealed class TailTokenTests : IAsyncLifetime
{
    private readonly SilkApiFactory _factory = AuthTestKit.Factory();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task A_token_opens_tail_but_no_other_route_and_a_tampered_one_is_refused()
    {
        using var reader = _factory.ClientWith(AuthTestKit.ReadKey);
        using var issued = await reader.PostAsync(ApiTestClient.U("/auth/tail-token"), null);
        var body = await issued.Json(HttpStatusCode.OK);
        var token = body.Str("access_token");
        Assert.StartsWith(TailTokens.Prefix, token, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthTestKit.ReadKey, token, StringComparison.Ordinal);
        Assert.Equal(300, body.GetProperty("expires_in_seconds").GetInt32());
        Assert.True(body.GetProperty("expires_at_ms").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        using var anonymous = _factory.CreateClient();
        using var tail = await anonymous.Get($"/tail?timeout_ms=0&access_token={Uri.EscapeDataString(token)}");
        await tail.Json(HttpStatusCode.OK);

        using var info = await anonymous.Get($"/info?access_token={Uri.EscapeDataString(token)}");
        await info.Problem(HttpStatusCode.Unauthorized);
        using var infoBearer = _factory.ClientWith(token);
        using var infoWithBearer = await infoBearer.Get("/info");
        await infoWithBearer.Problem(HttpStatusCode.Unauthorized);

        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        using var refused = await anonymous.Get($"/tail?timeout_ms=0&access_token={Uri.EscapeDataString(tampered)}");
        await refused.Problem(HttpStatusCode.Unauthorized);
        var otherName = token.Replace(Convert.ToBase64String("reader"u8).TrimEnd('='), Convert.ToBase64String("writer"u8).TrimEnd('='), StringComparison.Ordinal);
        Assert.NotEqual(token, otherName);
        using var renamed = await anonymous.Get($"/tail?timeout_ms=0&access_token={Uri.EscapeDataString(otherName)}");
        await renamed.Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_of_another_server_process_or_an_expired_one_is_refused()
    {
        var clock = new ManualTime(DateTimeOffset.UtcNow);
        var tokens = new TailTokens(clock);
        var ring = new ApiKeyRing([new ApiKeyEntry("reader", SilkRole.Read, new byte[32])]);
        var (token, expires) = tokens.Issue(ring.Entries[0], TimeSpan.FromSeconds(60));

        Assert.Equal("reader", tokens.Validate(token, ring)?.Name);
        Assert.Null(new TailTokens(clock).Validate(token, ring)); // another process: another secret
        Assert.Null(tokens.Validate(token, new ApiKeyRing([]))); // the key is no longer configured
        clock.Now = expires;
        Assert.Null(tokens.Validate(token, ring));
        foreach (var garbage in new[] { "", "silk1.", "silk1..", "silk1.cmVhZGVy.1.x", "silk1.cmVhZGVy.99999999999999.AAAA", "nope" })
        {
            Assert.Null(tokens.Validate(garbage, ring));
        }

        await Task.CompletedTask;
    }

    [Fact]
    public async Task Without_keys_there_is_no_token_to_issue()
    {
        await using var open = new SilkApiFactory();
        using var client = open.CreateClient();
        using var response = await client.PostAsync(ApiTestClient.U("/auth/tail-token"), null);
        await response.Problem(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("86401")]
    public async Task A_bad_token_lifetime_stops_startup_naming_the_setting(string seconds)
    {
        await using var factory = AuthTestKit.Factory(new Dictionary<string, string?> { ["Silk:Auth:TailTokenSeconds"] = seconds });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains("Silk:Auth:TailTokenSeconds", messages, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
