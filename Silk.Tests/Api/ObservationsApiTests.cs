using System.Net;

namespace Silk.Tests.Api;

public sealed class ObservationsApiTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Append_query_latest_and_sources()
    {
        using var first = await _client.PostJson("/observations", """{"source":"cpu","value":0.25,"metadata":{"host":"a"}}""");
        var sample = await first.Json(HttpStatusCode.Created);
        Assert.Equal("cpu", sample.Str("source"));
        Assert.Equal(0.25, sample.GetProperty("value").GetDouble());
        Assert.Equal("a", sample.GetProperty("metadata").Str("host"));
        var t1 = sample.GetProperty("timestamp_ms").GetInt64();
        Assert.NotNull(first.Headers.Location);

        using var second = await _client.PostJson("/observations", """{"source":"cpu","value":3}""");
        var t2 = (await second.Json(HttpStatusCode.Created)).GetProperty("timestamp_ms").GetInt64();
        using var other = await _client.PostJson("/observations", """{"source":"disk","value":-1.5}""");
        await other.Json(HttpStatusCode.Created);

        using var all = await _client.Get("/observations?source=cpu");
        Assert.Equal([0.25, 3.0], (await all.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(o => o.GetProperty("value").GetDouble()));
        using var since = await _client.Get($"/observations?source=cpu&since={t2}");
        Assert.Equal(3.0, (await since.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Last().GetProperty("value").GetDouble());
        using var until = await _client.Get($"/observations?source=cpu&since=0&until={t1}");
        Assert.Equal(0.25, (await until.Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().First().GetProperty("value").GetDouble());

        using var latest = await _client.Get("/observations/latest?source=cpu");
        Assert.Equal(3.0, (await latest.Json(HttpStatusCode.OK)).GetProperty("value").GetDouble());
        using var none = await _client.Get("/observations/latest?source=gpu");
        await none.Problem(HttpStatusCode.NotFound);
        using var unknownSource = await _client.Get("/observations?source=gpu");
        Assert.Equal(0, (await unknownSource.Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());

        using var sources = await _client.Get("/observations/sources");
        Assert.Equal(["cpu", "disk"], (await sources.Json(HttpStatusCode.OK)).Strings("sources"));
    }

    [Theory]
    [InlineData("""{"value":1}""")]
    [InlineData("""{"source":"cpu"}""")]
    [InlineData("""{"source":"cpu","value":"1"}""")]
    [InlineData("""{"source":"cpu","value":1e999}""")]
    [InlineData("""{"source":"cpu","value":1,"metadata":{"a":1}}""")]
    [InlineData("""{"source":"cpu","value":1,"metadata":{"a":null}}""")]
    [InlineData("""{"source":"cpu","value":1,"tags":{}}""")]
    [InlineData("""{"source":null,"value":1}""")]
    public async Task Bad_samples_are_400(string body)
    {
        using var response = await _client.PostJson("/observations", body);

        await response.Problem(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/observations")]
    [InlineData("/observations?source=cpu&since=abc")]
    [InlineData("/observations?source=cpu&since=10&until=5")]
    [InlineData("/observations/latest")]
    public async Task Bad_queries_are_400(string path)
    {
        using var response = await _client.Get(path);

        await response.Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Over_long_source_is_422()
    {
        using var response = await _client.PostJson("/observations", $$"""{"source":"{{new string('s', 70_000)}}","value":1}""");

        Assert.Equal("value_limit", (await response.Problem(HttpStatusCode.UnprocessableEntity)).Str("rule"));
    }
}
