using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Silk.Tests.Api;

namespace Silk.Tests.Auth;

/// <summary>The explorer against a server with API keys: the page loads without a key, asks for one on the first 401, and then works.</summary>
[Collection(HeavyTailTests.Name)]
public sealed class ExplorerAuthBrowserTests
{
    private static string Id(string testId) => $"[data-testid={testId}]";

    [Fact]
    public async Task With_keys_on_the_page_asks_for_a_key_once_then_searches_follows_writes_and_shows_what_the_role_reaches()
    {
        HeadlessChromium.Require();
        await using var server = new TailServerFactory(AuthTestKit.Keys(new Dictionary<string, string?> { ["Silk:Tail:RetryMs"] = "200" }));
        using var writer = server.NewClient();
        writer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AuthTestKit.WriteKey);
        await writer.CreateNode("alice", "person");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(10_000);
        var statuses = new List<string>();
        page.Response += (_, r) => { if (r.Status >= 400) statuses.Add($"{r.Status} {new Uri(r.Url).AbsolutePath}"); };
        var streams = new List<string>();
        page.Request += (_, r) => { if (r.ResourceType == "eventsource") streams.Add(r.Url); };

        await page.GotoAsync(server.BaseAddress.ToString());
        await page.WaitForSelectorAsync($"{Id("auth-dialog")}[open]");
        Assert.Contains(statuses, s => s.StartsWith("401 ", StringComparison.Ordinal));
        await page.FillAsync(Id("auth-key"), AuthTestKit.ReadKey);
        await page.ClickAsync(Id("auth-save"));
        await page.WaitForSelectorAsync($"{Id("live-status")}[data-state=live]");
        // The stream carries a short-lived tail token, not the key.
        Assert.Contains(streams, u => u.Contains("access_token=silk1.", StringComparison.Ordinal));
        Assert.DoesNotContain(streams, u => u.Contains(AuthTestKit.ReadKey, StringComparison.Ordinal));

        // The overview reads with the key; peers (admin only) are said to be out of this key's reach, not an error.
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=overview-nodes]').textContent === '1'");
        Assert.Contains("not visible to this key", await page.InnerTextAsync(Id("overview-peers-hidden")), StringComparison.Ordinal);
        Assert.Equal("?", await page.InnerTextAsync(Id("overview-peer-count")));
        Assert.True(await page.IsHiddenAsync(Id("error")));

        await page.SelectOptionAsync(Id("search-type"), "entity");
        await page.ClickAsync(Id("search-button"));
        await page.WaitForSelectorAsync($"{Id("search-result")}[data-node-id=alice]");

        var hash = await writer.CreateNode("bob", "person");
        await page.WaitForSelectorAsync($"{Id("live-event")}[data-hash='{hash}']");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=overview-nodes]').textContent === '2'");
        await page.WaitForSelectorAsync($"{Id("graph")}[data-mode=whole][data-nodes='alice bob']");

        // A read key does not reach GET /peers (admin): that section says so, the others show.
        await page.ClickAsync(Id("tab-operations"));
        await page.WaitForSelectorAsync($"{Id("info-durability")} td");
        Assert.Contains("403", await page.InnerTextAsync(Id("ops-peers")), StringComparison.Ordinal);
        Assert.Contains("No entry is quarantined", await page.InnerTextAsync(Id("ops-quarantine")), StringComparison.Ordinal);
    }
}
