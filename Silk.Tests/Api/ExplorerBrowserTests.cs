using System.Collections.Concurrent;
using System.Net;
using Microsoft.Playwright;

namespace Silk.Tests.Api;

/// <summary>
/// The explorer page in headless Chromium against the real server on Kestrel with data: searches, opens a node,
/// sees writes made by the test appear live (also across a server-ended stream and a page-side reconnect, with
/// every entry of the log listed exactly once: the recent ones loaded with the page, then the live ones), travels
/// back in time and back, shows the operations view, and saves a screenshot to TestResults/explorer.png.
/// </summary>
[Collection(HeavyTailTests.Name)]
public sealed class ExplorerBrowserTests
{
    private static string Id(string testId) => $"[data-testid={testId}]";

    [Fact]
    public async Task Explorer_searches_opens_a_node_follows_writes_live_and_travels_in_time()
    {
        HeadlessChromium.Require();
        await using var server = new TailServerFactory(new Dictionary<string, string?>
        {
            ["Silk:Tail:RetryMs"] = "200",
            ["Silk:Tail:HeartbeatSeconds"] = "1",
        });
        using var client = server.NewClient();
        // engineer is a grandchild type of entity, with subtypes (which its nodes then must name).
        using (var extend = await client.PostJson("/ontology/extensions",
            """{"node_types":{"engineer":{"parent_type":"person","subtypes":{"software":{"description":"Writes programs"},"civil":{}}}}}"""))
        {
            await extend.Json(HttpStatusCode.Created);
        }

        await CreateEngineer(client, "erin", "software");
        await CreateEngineer(client, "fred", "civil");
        await client.CreateNode("alice", "person");
        await client.CreateNode("bob", "person");
        await client.CreateNode("carol");
        await client.CreateNode("doc-1", "document");
        await client.CreateEdge("e-wrote", "alice", "doc-1", "AUTHORED");
        await client.CreateEdge("e-knows", "alice", "bob");
        await client.CreateEdge("e-cites", "carol", "alice");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        page.SetDefaultTimeout(10_000);
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        page.Console += (_, message) =>
        {
            // A failed request is reported below with its address.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) pageErrors.Add(message.Text);
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) pageErrors.Add($"{response.Status} {response.Url}");
        };

        await page.GotoAsync(server.BaseAddress.ToString());
        await page.WaitForSelectorAsync("body[data-ready=true]");
        await page.WaitForSelectorAsync($"{Id("live-status")}[data-state=live]");

        // Search by type (entity includes its descendant types person, document and engineer), then by subtype,
        // label and property.
        await page.SelectOptionAsync(Id("search-type"), "entity");
        await page.ClickAsync(Id("search-button"));
        await ExpectResults(page, ["alice", "bob", "carol", "doc-1", "erin", "fred"]);
        await page.SelectOptionAsync(Id("search-type"), "engineer");
        await page.SelectOptionAsync(Id("search-subtype"), "software");
        await page.ClickAsync(Id("search-button"));
        await ExpectResults(page, ["erin"]);
        await page.ClickAsync($"{Id("search-result")}[data-node-id=erin] a");
        await page.WaitForSelectorAsync($"{Id("node-view")}[data-node-id=erin]");
        Assert.Equal("engineer", await page.InnerTextAsync(Id("node-type")));
        Assert.Equal("software", await page.InnerTextAsync(Id("node-subtype")));
        await page.SelectOptionAsync(Id("search-subtype"), "");
        await page.SelectOptionAsync(Id("search-type"), "entity");
        await page.FillAsync(Id("search-label"), "ALI");
        await page.ClickAsync(Id("search-button"));
        await ExpectResults(page, ["alice"]);
        await page.SelectOptionAsync(Id("search-type"), "");
        await page.FillAsync(Id("search-label"), "");
        await page.FillAsync(Id("search-property"), "name:bob");
        await page.ClickAsync(Id("search-button"));
        await ExpectResults(page, ["bob"]);
        await page.FillAsync(Id("search-property"), "");
        await page.SelectOptionAsync(Id("search-type"), "person");
        await page.ClickAsync(Id("search-button"));
        await ExpectResults(page, ["alice", "bob", "erin", "fred"]);

        // Open a node: type, properties, edges both ways, history with author, and the drawing of its neighbourhood.
        await page.ClickAsync($"{Id("search-result")}[data-node-id=alice] a");
        await page.WaitForSelectorAsync($"{Id("node-view")}[data-node-id=alice]");
        Assert.Equal("person", await page.InnerTextAsync(Id("node-type")));
        Assert.Equal("—", await page.InnerTextAsync(Id("node-subtype")));
        Assert.Equal("alice", await page.InnerTextAsync($"{Id("node-property")}[data-key=name] td"));
        Assert.Equal(["e-knows", "e-wrote"], await Attributes(page, $"{Id("node-edges-out")} {Id("node-edge")}", "data-edge-id"));
        Assert.Equal(["e-cites"], await Attributes(page, $"{Id("node-edges-in")} {Id("node-edge")}", "data-edge-id"));
        using var info = await client.GetAsync(new Uri("/info", UriKind.Relative));
        var instanceId = (await info.Json(HttpStatusCode.OK)).Str("instance_id");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=history-entry]').length === 4");
        Assert.Contains(instanceId, await page.InnerTextAsync(Id("node-history")), StringComparison.Ordinal);
        await WaitForGraph(page, "alice bob carol doc-1");
        var colours = await page.EvaluateAsync<string[]>("() => ['alice', 'bob', 'doc-1', 'carol'].map(id => window.silkGraph.getElementById(id).style('background-color'))");
        Assert.Equal(colours[0], colours[1]);
        Assert.Equal(3, colours.Distinct().Count());

        // Every write from here on is made after the page opened its stream; with the entries it loaded, its event
        // list must show every entry of the log once. Click to expand: doc-1 gets a neighbour two hops from alice, which appears once doc-1 is clicked.
        var written = new List<string>
        {
            await client.CreateNode("doc-2", "document"),
            await client.CreateEdge("e-cites-doc", "doc-1", "doc-2"),
        };
        await WaitForEvents(page, written);
        await WaitForGraph(page, "alice bob carol doc-1");
        await page.EvaluateAsync("() => window.silkGraph.getElementById('doc-1').emit('tap')");
        await WaitForGraph(page, "alice bob carol doc-1 doc-2");

        // Live: writes made now show up in the event list, the node's page and the drawing.
        // Whole milliseconds apart, so the time-travel clock below falls strictly between the writes.
        await Task.Delay(5);
        var beforeEmail = await ServerClock(client);
        await Task.Delay(5);
        written.Add(await UpdateEmail(client, "alice@example.org"));
        await page.WaitForSelectorAsync($"{Id("node-property")}[data-key=email]");
        Assert.Equal("alice@example.org", await page.InnerTextAsync($"{Id("node-property")}[data-key=email] td"));
        written.Add(await client.CreateNode("dave", "person"));
        written.Add(await client.CreateEdge("e-dave", "alice", "dave"));
        await WaitForGraph(page, "alice bob carol dave doc-1 doc-2");

        // Hops: far is three hops from alice (alice → doc-1 → doc-2 → far).
        written.Add(await client.CreateNode("far"));
        written.Add(await client.CreateEdge("e-far", "doc-2", "far"));
        await WaitForEvents(page, written);
        await page.FillAsync(Id("graph-hops"), "3");
        await page.DispatchEventAsync(Id("graph-hops"), "change");
        await WaitForGraph(page, "alice bob carol dave doc-1 doc-2 far");
        await page.FillAsync(Id("graph-hops"), "2");
        await page.DispatchEventAsync(Id("graph-hops"), "change");
        await WaitForGraph(page, "alice bob carol dave doc-1 doc-2");

        // The server ends the stream: the browser resumes from the last event id while writes go on.
        server.Streams.EndAllStreams();
        for (var i = 0; i < 5; i++) written.Add(await client.CreateNode($"gap-a-{i}"));
        await WaitForEvents(page, written);

        // The page closes its EventSource and opens a new one from its cursor, with writes before and after.
        for (var i = 0; i < 3; i++) written.Add(await client.CreateNode($"gap-b-{i}"));
        await page.ClickAsync(Id("live-reconnect"));
        for (var i = 0; i < 3; i++) written.Add(await client.CreateNode($"gap-c-{i}"));
        await WaitForEvents(page, written);
        await page.WaitForSelectorAsync($"{Id("live-status")}[data-state=live]");
        await Task.Delay(500);
        // The list is newest first; every entry of the log exactly once, in log order, the written ones last.
        var listed = await Attributes(page, Id("live-event"), "data-hash");
        listed.Reverse();
        using (var log = await client.GetAsync(new Uri("/tail?timeout_ms=0&max_count=10000", UriKind.Relative)))
        {
            Assert.Equal((await log.Json(HttpStatusCode.OK)).GetProperty("events").EnumerateArray().Select(e => e.Str("hash")), listed);
        }

        Assert.Equal(written, listed[^written.Count..]);

        // Time travel: before the email was set, alice has no email and dave does not exist yet.
        await page.EvaluateAsync(
            "ms => { const s = document.querySelector('[data-testid=timetravel-slider]'); s.value = String(ms); s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }",
            beforeEmail);
        await page.WaitForSelectorAsync($"{Id("timetravel-label")}[data-as-of='{beforeEmail}']");
        await page.WaitForSelectorAsync($"{Id("node-property")}[data-key=email]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
        Assert.Equal("alice", await page.InnerTextAsync($"{Id("node-property")}[data-key=name] td"));
        Assert.NotEqual("", await page.InputValueAsync(Id("timetravel-date")));
        await WaitForGraph(page, "alice bob carol doc-1 doc-2");
        await page.ClickAsync(Id("timetravel-now"));
        await page.WaitForSelectorAsync($"{Id("node-property")}[data-key=email]");
        Assert.Equal("now", await page.InnerTextAsync(Id("timetravel-label")));

        var screenshot = Path.Combine(RepoRoot.Path, "TestResults", "explorer.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 0, $"{screenshot} is empty");

        // Operations: store info, ontology with its hierarchy, no quarantine, no peers.
        await page.ClickAsync(Id("tab-operations"));
        await page.WaitForSelectorAsync($"{Id("info-durability")} td");
        Assert.Equal("fsync", await page.InnerTextAsync($"{Id("info-durability")} td"));
        Assert.Equal(instanceId, await page.InnerTextAsync($"{Id("info-instance")} td"));
        Assert.Contains("is a entity", await page.InnerTextAsync($"{Id("ontology-node-type")}[data-type=person]"), StringComparison.Ordinal);
        var engineer = await page.InnerTextAsync($"{Id("ontology-node-type")}[data-type=engineer]");
        Assert.Contains("is a person", engineer, StringComparison.Ordinal);
        Assert.Contains("Subtypes: civil", engineer, StringComparison.Ordinal);
        Assert.Contains("software", engineer, StringComparison.Ordinal);
        Assert.Contains("pattern", await page.InnerTextAsync($"{Id("ontology-node-type")}[data-type=person]"), StringComparison.Ordinal);
        Assert.Contains("person → document", await page.InnerTextAsync($"{Id("ontology-edge-type")}[data-type=AUTHORED]"), StringComparison.Ordinal);
        Assert.Contains("No entry is quarantined", await page.InnerTextAsync(Id("ops-quarantine")), StringComparison.Ordinal);
        Assert.Contains("No peer is configured", await page.InnerTextAsync(Id("ops-peers")), StringComparison.Ordinal);

        Assert.Empty(pageErrors);
    }

    private static async Task CreateEngineer(HttpClient client, string id, string subtype)
    {
        using var response = await client.PostJson("/nodes", $$$"""{"node_id":"{{{id}}}","node_type":"engineer","subtype":"{{{subtype}}}","label":"{{{id}}}","properties":{"name":"{{{id}}}"}}""");
        await response.Json(HttpStatusCode.Created);
    }

    private static async Task<string> UpdateEmail(HttpClient client, string email)
    {
        using var response = await client.PatchJson("/nodes/alice", $$$"""{"properties":{"email":"{{{email}}}"}}""");
        return (await response.Json(HttpStatusCode.OK)).Strings("hashes").Single();
    }

    /// <summary>The server's clock (ms): every entry written after this call is later.</summary>
    private static async Task<long> ServerClock(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/info", UriKind.Relative));
        return (await response.Json(HttpStatusCode.OK)).GetProperty("physical_ms").GetInt64();
    }

    [Fact]
    public async Task An_api_key_entered_once_is_sent_on_every_call_and_on_the_event_stream_while_the_tab_is_open()
    {
        HeadlessChromium.Require();
        await using var server = new TailServerFactory();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(10_000);
        var calls = new ConcurrentQueue<ApiCall>();
        page.Request += (_, request) => Record(calls, request);

        await page.GotoAsync(server.BaseAddress.ToString());
        await page.WaitForSelectorAsync("body[data-ready=true]");
        await page.WaitForSelectorAsync($"{Id("live-status")}[data-state=live]");
        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.Null(c.Authorization));
        Assert.DoesNotContain(calls, c => c.Url.Contains("access_token", StringComparison.Ordinal));

        // Entered once: from then on every call carries it, and the event stream (no headers possible) has it in the query.
        await Quiet(calls);
        calls.Clear();
        await page.ClickAsync(Id("auth-open"));
        await page.FillAsync(Id("auth-key"), "key-one");
        await page.ClickAsync(Id("auth-save"));
        await page.WaitForSelectorAsync($"{Id("live-status")}[data-state=live]");
        await TailTestExtensions.Eventually(() => calls.Any(c => c.IsStream) && calls.Any(c => c.Path == "/ontology"), "the page reads again with the key");
        AssertAllCarry(calls, "key-one");
        // It asked for a short-lived stream token first; this server issues none (auth off), so the key itself is used.
        Assert.Contains(calls, c => c.Path == "/auth/tail-token");

        // Kept while the tab is open: a reload still sends it.
        await Quiet(calls);
        calls.Clear();
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("body[data-ready=true]");
        await page.WaitForSelectorAsync($"{Id("live-status")}[data-state=live]");
        await TailTestExtensions.Eventually(() => calls.Any(c => c.IsStream), "the reloaded page opens its stream");
        AssertAllCarry(calls, "key-one");

        // Not beyond the tab: another tab starts without it.
        var other = await context.NewPageAsync();
        var otherCalls = new ConcurrentQueue<ApiCall>();
        other.Request += (_, request) => Record(otherCalls, request);
        await other.GotoAsync(server.BaseAddress.ToString());
        await other.WaitForSelectorAsync("body[data-ready=true]");
        Assert.All(otherCalls, c => Assert.Null(c.Authorization));

        // Forgotten: calls go without it again.
        await Quiet(calls);
        calls.Clear();
        await page.ClickAsync(Id("auth-open"));
        await page.ClickAsync(Id("auth-clear"));
        await TailTestExtensions.Eventually(() => calls.Any(c => c.IsStream) && calls.Any(c => c.Path == "/ontology"), "the page reads again without the key");
        Assert.All(calls, c => Assert.Null(c.Authorization));
        Assert.DoesNotContain(calls, c => c.Url.Contains("access_token", StringComparison.Ordinal));
    }

    /// <summary>Waits until the page has made no call for a while (a re-read it scheduled has run).</summary>
    private static async Task Quiet(ConcurrentQueue<ApiCall> calls)
    {
        var count = -1;
        while (count != calls.Count)
        {
            count = calls.Count;
            await Task.Delay(400);
        }
    }

    private sealed record ApiCall(string Url, string Path, string? Authorization, bool IsStream);

    /// <summary>Records the calls to the API (not the page's own files).</summary>
    private static void Record(ConcurrentQueue<ApiCall> calls, IRequest request)
    {
        var url = new Uri(request.Url);
        if (url.AbsolutePath == "/" || url.AbsolutePath.StartsWith("/explorer/", StringComparison.Ordinal) || url.AbsolutePath.StartsWith("/vendor/", StringComparison.Ordinal)) return;
        request.Headers.TryGetValue("authorization", out var authorization);
        calls.Enqueue(new ApiCall(request.Url, url.AbsolutePath, authorization, request.ResourceType == "eventsource"));
    }

    private static void AssertAllCarry(IEnumerable<ApiCall> calls, string key) =>
        Assert.All(calls, c =>
        {
            if (c.IsStream) Assert.Contains($"access_token={key}", c.Url, StringComparison.Ordinal);
            else Assert.Equal($"Bearer {key}", c.Authorization);
        });

    /// <summary>Waits until the result list is exactly these ids (an earlier search's list may still be shown).</summary>
    private static async Task ExpectResults(IPage page, string[] expected)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "ids => [...document.querySelectorAll('[data-testid=search-result]')].map(e => e.dataset.nodeId).join(' ') === ids",
                string.Join(' ', expected));
        }
        catch (TimeoutException)
        {
            Assert.Equal(expected, await Attributes(page, Id("search-result"), "data-node-id"));
            throw;
        }
    }

    private static async Task<List<string>> Attributes(IPage page, string selector, string attribute)
    {
        var values = await page.Locator(selector).EvaluateAllAsync<string[]>($"els => els.map(e => e.getAttribute('{attribute}'))");
        return [.. values];
    }

    /// <summary>Waits until each of these entries is in the page's list of changes.</summary>
    private static Task WaitForEvents(IPage page, IEnumerable<string> hashes) =>
        page.WaitForFunctionAsync("hs => hs.every(h => document.querySelector(`[data-testid=live-event][data-hash='${h}']`))", hashes.ToArray());

    private static Task WaitForGraph(IPage page, string nodes) =>
        page.WaitForSelectorAsync($"{Id("graph")}[data-nodes='{nodes}']");
}
