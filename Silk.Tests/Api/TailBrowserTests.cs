using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace Silk.Tests.Api;

/// <summary>
/// A real browser: headless Debian Chromium (driven by Playwright, which never downloads a browser here) opens an
/// <c>EventSource</c> on GET /tail, receives the events of writes made by the test, is forced to reconnect
/// twice (the server ends its streams), and ends with every event exactly once and in log order.
/// </summary>
[Collection(HeavyTailTests.Name)]
public sealed class TailBrowserTests
{
    /// <summary>Runs in the page: collects entry events (hash and id) and counts opens and up-to-date events.</summary>
    private const string PageScript = """
        () => {
          window.silk = { entries: [], opens: 0, upToDate: 0, errors: 0 };
          const source = new EventSource('/tail?cursor=now');
          source.onopen = () => window.silk.opens++;
          source.onerror = () => window.silk.errors++;
          source.addEventListener('entry', e => window.silk.entries.push({ hash: JSON.parse(e.data).hash, id: e.lastEventId }));
          source.addEventListener('up-to-date', () => window.silk.upToDate++);
          window.silkSource = source;
        }
        """;

    [Fact]
    public async Task EventSource_in_Chromium_gets_every_event_exactly_once_across_forced_reconnects()
    {
        HeadlessChromium.Require();

        var stopwatch = Stopwatch.StartNew();
        await using var server = new TailServerFactory(new Dictionary<string, string?>
        {
            ["Silk:Tail:RetryMs"] = "200",
            ["Silk:Tail:HeartbeatSeconds"] = "1",
        });
        using var client = server.NewClient();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(10_000);

        // A page of the server's own origin, so the EventSource needs no CORS.
        await page.GotoAsync(new Uri(server.BaseAddress, "/healthz").ToString());
        await page.EvaluateAsync(PageScript);
        await page.WaitForFunctionAsync("() => window.silk.upToDate >= 1");

        var written = new List<string>();
        async Task Write(int count, string prefix)
        {
            for (var i = 0; i < count; i++) written.Add(await client.CreateNode($"{prefix}-{i}"));
        }

        await Write(15, "browser-a");
        await page.WaitForFunctionAsync("n => window.silk.entries.length >= n", written.Count);

        // Forced reconnect while idle: the server ends the stream; writes land while the browser waits to reconnect.
        server.Streams.EndAllStreams();
        await Write(10, "browser-b");
        await page.WaitForFunctionAsync("n => window.silk.entries.length >= n && window.silk.opens >= 2", written.Count);

        // Forced reconnect while writes are flowing.
        var writing = Write(20, "browser-c");
        await Task.Delay(30);
        server.Streams.EndAllStreams();
        await writing;
        await page.WaitForFunctionAsync("n => window.silk.entries.length >= n && window.silk.opens >= 3", written.Count);

        // Nothing more arrives late (a duplicate would).
        await Task.Delay(500);
        var silk = await page.EvaluateAsync<JsonElement>("() => window.silk");
        var entries = silk.GetProperty("entries").EnumerateArray().ToList();
        var hashes = entries.Select(e => e.GetProperty("hash").GetString()!).ToList();
        Assert.Equal(written, hashes);
        Assert.Equal(written, entries.Select(e => e.GetProperty("id").GetString()!));
        Assert.True(silk.GetProperty("opens").GetInt32() >= 3, $"opens: {silk.GetProperty("opens")}");
        // The reconnects follow the 0.2 s retry the stream asks for; a browser left to its own backoff would take far longer.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(90), $"took {stopwatch.Elapsed}");

        await page.EvaluateAsync("() => window.silkSource.close()");
        await TailTestExtensions.Eventually(() => server.Streams.OpenStreams == 0, "the closed EventSource's stream is freed");
    }
}
