using System.Net;
using System.Text.RegularExpressions;

namespace Silk.Tests.Api;

/// <summary>The explorer's static files as the real app serves them (from Silk.Api/wwwroot).</summary>
public sealed partial class ExplorerStaticFilesTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Root_serves_the_explorer_page()
    {
        using var response = await _client.GetAsync(new Uri("/", UriKind.Relative));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Silk explorer</title>", html, StringComparison.Ordinal);
        Assert.Contains("""data-testid="search-form" """.TrimEnd(), html, StringComparison.Ordinal);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Every_module_the_page_imports_is_served_as_javascript()
    {
        // Follows the page's script tag and every static import, as a browser would.
        var pending = new Queue<string>(["/explorer/app.js"]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var path))
        {
            if (!seen.Add(path)) continue;
            using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            var source = await response.Content.ReadAsStringAsync();
            if (path.StartsWith("/vendor/", StringComparison.Ordinal)) continue;
            foreach (Match import in ImportFrom().Matches(source))
            {
                pending.Enqueue(new Uri(new Uri("http://x" + path), import.Groups[1].Value).AbsolutePath);
            }
        }

        Assert.Contains("/vendor/cytoscape/cytoscape.esm.min.mjs", seen);
        Assert.True(seen.Count >= 8, string.Join(", ", seen));
    }

    [Fact]
    public async Task The_vendored_cytoscape_is_the_named_version_with_its_licence_beside_it()
    {
        using var response = await _client.GetAsync(new Uri("/vendor/cytoscape/cytoscape.esm.min.mjs", UriKind.Relative));

        Assert.Contains("version=\"3.34.4\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var folder = Path.Combine(RepoRoot.Path, "Silk.Api", "wwwroot", "vendor", "cytoscape");
        Assert.Contains("The Cytoscape Consortium", await File.ReadAllTextAsync(Path.Combine(folder, "LICENSE")), StringComparison.Ordinal);
        Assert.Contains("cytoscape@3.34.4", await File.ReadAllTextAsync(Path.Combine(folder, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_a_problem_404_and_the_api_routes_are_unchanged()
    {
        using var missing = await _client.GetAsync(new Uri("/explorer/nope.js", UriKind.Relative));
        await missing.Problem(HttpStatusCode.NotFound);

        using var info = await _client.GetAsync(new Uri("/info", UriKind.Relative));
        Assert.Equal("application/json", info.Content.Headers.ContentType?.MediaType);
    }

    [GeneratedRegex("""(?:import|from)\s+'(\.{1,2}/[^']+)'""")]
    private static partial Regex ImportFrom();
}
