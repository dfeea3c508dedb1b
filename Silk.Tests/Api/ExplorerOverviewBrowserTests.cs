using System.Net;
using Microsoft.Playwright;
using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Wire;
using Silk.Tests.Storage;

namespace Silk.Tests.Api;

/// <summary>
/// The explorer opens on the database (headless Chromium against the real server on Kestrel): the overview's
/// counts by type, log size, heads, quarantine and peers; the whole graph drawn and coloured by type; the recent
/// changes from the log; a deep link that opens a node; and a write made after the page loaded appearing without a
/// reload. Past 300 live nodes the drawing is the neighbourhood of a search; peers show when they last synced.
/// Screenshots go to the test's temp folder and TestResults/explorer-overview.png
/// (TestResults/explorer-overview-failed.png when a step fails).
/// </summary>
[Collection(HeavyTailTests.Name)]
public sealed class ExplorerOverviewBrowserTests
{
    private static string Id(string testId) => $"[data-testid={testId}]";

    [Fact]
    public async Task Opens_on_the_overview_the_whole_graph_and_the_recent_changes_follows_a_write_and_opens_deep_links()
    {
        HeadlessChromium.Require();
        using var temp = new TempFolder();
        await using var server = new TailServerFactory(new Dictionary<string, string?> { ["Silk:Tail:RetryMs"] = "200" });
        using var client = server.NewClient();

        // One batch of 12 nodes (5 person, 4 document, 3 entity) and 6 edges; then a remote entry the ontology refuses.
        var ops = new List<string>();
        for (var i = 1; i <= 5; i++) ops.Add(Node($"p-{i}", "person"));
        for (var i = 1; i <= 4; i++) ops.Add(Node($"d-{i}", "document"));
        for (var i = 1; i <= 3; i++) ops.Add(Node($"e-{i}", "entity"));
        for (var i = 1; i <= 4; i++) ops.Add(Edge($"wrote-{i}", "AUTHORED", $"p-{i}", $"d-{i}"));
        ops.Add(Edge("rel-1", "RELATES_TO", "e-1", "e-2"));
        ops.Add(Edge("rel-2", "RELATES_TO", "p-5", "e-3"));
        using (var batch = await client.PostJson("/batch", $"[{string.Join(',', ops)}]"))
        {
            Assert.Equal(18, (await batch.Json(HttpStatusCode.OK)).GetProperty("applied").GetInt32());
        }

        var store = server.Host.Store;
        var refused = Entry.Create(new AddNode("q-planet", "planet", null, "Mars", ValueMap.Empty), store.Heads,
            new ClockStamp("peer-q", store.Clock.PhysicalMs + 1, 0), "peer-q");
        Assert.Equal(1, (await store.MergeAsync([refused])).Inserted);
        var entryCount = store.EntryCount;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await NewPage(browser);
        var errors = Watch(page);
        try
        {
            await page.GotoAsync(server.BaseAddress.ToString());
            await page.WaitForSelectorAsync("body[data-ready=true]");

            // The overview: counts in all and by type, log size, heads, the quarantined entry, no peers, the types' properties.
            await WaitForText(page, "overview-nodes", "12");
            Assert.Equal("6", await page.InnerTextAsync(Id("overview-edges")));
            Assert.Equal(entryCount.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.InnerTextAsync(Id("overview-entries")));
            Assert.Equal("1", await page.InnerTextAsync(Id("overview-heads")));
            Assert.Equal("1", await page.InnerTextAsync(Id("overview-quarantine")));
            Assert.Equal("0", await page.InnerTextAsync(Id("overview-peer-count")));
            Assert.Contains("No peer is configured", await page.InnerTextAsync(Id("overview-peers")), StringComparison.Ordinal);
            Assert.Equal(("5", "4", "3"), (await TypeCount(page, "node", "person"), await TypeCount(page, "node", "document"), await TypeCount(page, "node", "entity")));
            Assert.Equal(("4", "2"), (await TypeCount(page, "edge", "AUTHORED"), await TypeCount(page, "edge", "RELATES_TO")));
            Assert.Contains("email", await page.InnerTextAsync($"{Id("overview-node-type")}[data-type=person]"), StringComparison.Ordinal);
            Assert.Contains("person → document", await page.InnerTextAsync($"{Id("overview-edge-type")}[data-type=AUTHORED]"), StringComparison.Ordinal);

            // The whole graph, coloured by type: 12 nodes and 6 edges drawn.
            await page.WaitForSelectorAsync($"{Id("graph")}[data-mode=whole][data-node-count='12']");
            Assert.Equal(12, await page.EvaluateAsync<int>("() => window.silkGraph.nodes().length"));
            Assert.Equal(6, await page.EvaluateAsync<int>("() => window.silkGraph.edges().length"));
            var colours = await page.EvaluateAsync<string[]>("() => ['p-1', 'p-2', 'd-1', 'e-1'].map(id => window.silkGraph.getElementById(id).style('background-color'))");
            Assert.Equal(colours[0], colours[1]);
            Assert.Equal(3, colours.Distinct().Count());

            // The recent changes on load: every entry of this short log, newest first.
            var log = await LogHashes(client);
            await WaitForEvents(page, log);
            var listed = await Hashes(page);
            listed.Reverse();
            Assert.Equal(log, listed);
            await Snap(page, temp, "overview-loaded.png");

            // A write after the page loaded appears without a reload: in the drawing, the counts and the recent changes.
            var late = await client.CreateNode("late", "person");
            var lateEdge = await client.CreateEdge("wrote-late", "late", "d-1", "AUTHORED");
            await page.WaitForSelectorAsync($"{Id("graph")}[data-mode=whole][data-node-count='13']");
            Assert.True(await page.EvaluateAsync<bool>("() => window.silkGraph.getElementById('late').nonempty()"));
            await page.WaitForFunctionAsync("() => window.silkGraph.edges().length === 7");
            await WaitForText(page, "overview-nodes", "13");
            await page.WaitForFunctionAsync(
                "() => document.querySelector('[data-testid=overview-node-type][data-type=person] [data-testid=overview-type-count]').textContent === '6'");
            await WaitForEvents(page, [late, lateEdge]);
            Assert.Equal(lateEdge, await page.GetAttributeAsync($"{Id("live-event")}:first-child", "data-hash"));
            await Snap(page, temp, "overview-after-write.png");

            // The quarantine count links to the list.
            await page.ClickAsync(Id("overview-quarantine"));
            await page.WaitForSelectorAsync($"{Id("quarantine-entry")}[data-hash='{refused.Hash.ToHex()}']");
            Assert.Contains("planet", await page.InnerTextAsync(Id("ops-quarantine")), StringComparison.Ordinal);

            // A deep link opens its node on load: properties, and the drawing of its neighbourhood.
            var linked = await NewPage(browser);
            var linkedErrors = Watch(linked);
            await linked.GotoAsync(new Uri(server.BaseAddress, "/#node=p-1").ToString());
            await linked.WaitForSelectorAsync($"{Id("node-view")}[data-node-id=p-1]");
            await linked.WaitForSelectorAsync($"{Id("node-property")}[data-key=name]");
            Assert.Equal("p-1", await linked.InnerTextAsync($"{Id("node-property")}[data-key=name] td"));
            Assert.Equal("person", await linked.InnerTextAsync(Id("node-type")));
            await linked.WaitForSelectorAsync($"{Id("graph")}[data-mode=node][data-nodes='d-1 p-1']");
            await Snap(linked, temp, "overview-deep-link.png");

            // Another link in the same tab opens that node; Whole graph goes back to all 13.
            await linked.EvaluateAsync("() => { location.hash = '#node=d-2'; }");
            await linked.WaitForSelectorAsync($"{Id("node-view")}[data-node-id=d-2]");
            await linked.WaitForSelectorAsync($"{Id("graph")}[data-mode=node][data-nodes='d-2 p-2']");
            await linked.ClickAsync(Id("graph-whole"));
            await linked.WaitForSelectorAsync($"{Id("graph")}[data-mode=whole][data-node-count='13']");

            var screenshot = Path.Combine(RepoRoot.Path, "TestResults", "explorer-overview.png");
            Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
            File.Delete(screenshot);
            // Back from the operations view, the drawing still shows every node inside its frame.
            await page.ClickAsync(Id("tab-explore"));
            await page.WaitForFunctionAsync(
                "() => { const cy = window.silkGraph; return cy.width() > 0 && cy.nodes().length === 13 && cy.nodes().every(n => { const p = n.renderedPosition(); return p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height(); }); }");
            File.Copy(await Snap(page, temp, "overview-final.png"), screenshot);
            Assert.True(new FileInfo(screenshot).Length > 0, $"{screenshot} is empty");
            Assert.Empty(errors);
            Assert.Empty(linkedErrors);
        }
        catch
        {
            await SnapFailure(page);
            throw;
        }
    }

    [Fact]
    public async Task Past_300_live_nodes_the_drawing_is_the_neighbourhood_of_a_search_and_peers_show_their_last_sync()
    {
        HeadlessChromium.Require();
        using var temp = new TempFolder();
        await using var server = new TailServerFactory();
        using var client = server.NewClient();
        var ops = new List<string>();
        for (var i = 0; i < 301; i++) ops.Add(Node($"n-{i:D3}", "entity"));
        ops.Add(Node("hub", "document"));
        ops.Add(Edge("to-hub", "RELATES_TO", "n-000", "hub"));
        using (var batch = await client.PostJson("/batch", $"[{string.Join(',', ops)}]"))
        {
            Assert.Equal(303, (await batch.Json(HttpStatusCode.OK)).GetProperty("applied").GetInt32());
        }

        // Peers: b, a real server bootstrapped from this one's snapshot and synced once; down, which never answered.
        var snapshot = temp.File("a.snapshot");
        using (var served = await client.Get("/sync/snapshot"))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            await File.WriteAllBytesAsync(snapshot, await served.Content.ReadAsByteArrayAsync());
        }

        await using var peer = new TailServerFactory(new Dictionary<string, string?> { ["Silk:BootstrapFrom"] = snapshot });
        using (var put = await client.PutJson("/peers/b", $$"""{"address":"{{peer.BaseAddress.AbsoluteUri}}"}""")) await put.Json(HttpStatusCode.OK);
        using (var synced = await client.PostAsync(ApiTestClient.U("/peers/b/sync"), null)) await synced.Json(HttpStatusCode.OK);
        using (var put = await client.PutJson("/peers/down", """{"address":"http://127.0.0.1:9"}""")) await put.Json(HttpStatusCode.OK);
        using (var failed = await client.PostAsync(ApiTestClient.U("/peers/down/sync"), null)) Assert.False(failed.IsSuccessStatusCode);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await NewPage(browser);
        var errors = Watch(page);
        try
        {
            await page.GotoAsync(server.BaseAddress.ToString());
            await page.WaitForSelectorAsync("body[data-ready=true]");
            await WaitForText(page, "overview-nodes", "302");
            await page.WaitForSelectorAsync($"{Id("graph")}[data-mode=too-big]");
            Assert.Equal(0, await page.EvaluateAsync<int>("() => window.silkGraph.nodes().length"));
            Assert.Contains("More than 300", await page.InnerTextAsync(Id("graph-summary")), StringComparison.Ordinal);

            Assert.Equal("2", await page.InnerTextAsync(Id("overview-peer-count")));
            Assert.Matches(@"^\d+ s ago$", await page.InnerTextAsync($"{Id("overview-peer")}[data-peer-id=b] {Id("overview-peer-lag")}"));
            Assert.Equal("never", await page.InnerTextAsync($"{Id("overview-peer")}[data-peer-id=down] {Id("overview-peer-lag")}"));
            // Failed at least once (background gossip may have tried again since).
            Assert.Matches("^[1-9]", await page.InnerTextAsync($"{Id("overview-peer")}[data-peer-id=down] td:nth-child(3)"));

            // Clicking a type in the overview searches it; the drawing is its results and their neighbours.
            await page.ClickAsync($"{Id("overview-node-type")}[data-type=document] a");
            await page.WaitForSelectorAsync($"{Id("search-result")}[data-node-id=hub]");
            await page.WaitForSelectorAsync($"{Id("graph")}[data-mode=search][data-nodes='hub n-000']");
            await Snap(page, temp, "overview-search.png");
            Assert.Empty(errors);
        }
        catch
        {
            await SnapFailure(page);
            throw;
        }
    }

    private static string Node(string id, string type) =>
        $$$"""{"op":"add_node","node_id":"{{{id}}}","node_type":"{{{type}}}","label":"{{{id}}}","properties":{"name":"{{{id}}}"}}""";

    private static string Edge(string id, string type, string source, string target) =>
        $$$"""{"op":"add_edge","edge_id":"{{{id}}}","edge_type":"{{{type}}}","source_id":"{{{source}}}","target_id":"{{{target}}}"}""";

    private static async Task<IPage> NewPage(IBrowser browser)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>Script errors and failed requests of the page.</summary>
    private static List<string> Watch(IPage page)
    {
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) errors.Add(message.Text);
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) errors.Add($"{response.Status} {response.Url}");
        };
        return errors;
    }

    private static Task WaitForText(IPage page, string testId, string text) =>
        page.WaitForFunctionAsync("([id, text]) => document.querySelector(`[data-testid=${id}]`)?.textContent === text", new[] { testId, text });

    private static Task<string> TypeCount(IPage page, string kind, string type) =>
        page.InnerTextAsync($"{Id($"overview-{kind}-type")}[data-type={type}] {Id("overview-type-count")}");

    private static Task WaitForEvents(IPage page, IEnumerable<string> hashes) =>
        page.WaitForFunctionAsync("hs => hs.every(h => document.querySelector(`[data-testid=live-event][data-hash='${h}']`))", hashes.ToArray());

    private static async Task<List<string>> Hashes(IPage page) =>
        [.. await page.Locator(Id("live-event")).EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.hash)")];

    private static async Task<List<string>> LogHashes(HttpClient client)
    {
        using var response = await client.Get("/tail?timeout_ms=0&max_count=10000");
        return (await response.Json(HttpStatusCode.OK)).GetProperty("events").EnumerateArray().Select(e => e.Str("hash")).ToList();
    }

    /// <summary>A screenshot in the test's temp folder (a step to look at when the test is debugged).</summary>
    private static async Task<string> Snap(IPage page, TempFolder temp, string name)
    {
        var path = temp.File(name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 0, $"{path} is empty");
        return path;
    }

    /// <summary>The page as it was when a step failed, kept beyond the temp folder.</summary>
    private static async Task SnapFailure(IPage page)
    {
        var path = Path.Combine(RepoRoot.Path, "TestResults", "explorer-overview-failed.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        }
        catch (PlaywrightException)
        {
            // The page itself is gone: the test's own failure says why.
        }
    }
}
