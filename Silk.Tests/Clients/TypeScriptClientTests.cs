using System.Text.RegularExpressions;
using Silk.Tests.Api;

namespace Silk.Tests.Clients;

/// <summary>
/// The TypeScript client in <c>clients/typescript/</c>: types generated from the committed openapi.yaml by
/// openapi-typescript compile with <c>tsc --strict</c>, and its Node test (openapi-fetch over those types: nodes,
/// edges, a query, a 422 problem, long-poll and SSE tails, a MessagePack sync round trip) passes against the real
/// server on a socket; the README's snippet is the example the build compiles. Compiling loads the machine, so
/// this runs with the other heavy tests, alone.
/// </summary>
[Collection(HeavyTailTests.Name)]
public sealed partial class TypeScriptClientTests
{
    [Fact]
    public async Task Generated_types_compile_strictly_and_the_node_test_passes_against_a_real_server()
    {
        await NpmProject.EnsureInstalledAsync();
        await using var server = new TailServerFactory();
        var url = server.BaseAddress.ToString().TrimEnd('/');

        var generate = await NpmProject.RunAsync("npm", ["run", "generate"], TimeSpan.FromMinutes(3));
        Assert.True(generate.ExitCode == 0, $"npm run generate failed ({generate.ExitCode}):\n{generate.Output}");

        var build = await NpmProject.RunAsync("npm", ["run", "build"], TimeSpan.FromMinutes(5));
        Assert.True(build.ExitCode == 0 && !build.Output.Contains("error TS", StringComparison.Ordinal), $"tsc --strict failed ({build.ExitCode}):\n{build.Output}");

        var test = await NpmProject.RunAsync(
            "node", ["--test", "--test-reporter=tap", "dist/test/silk-client.test.js"], TimeSpan.FromMinutes(5),
            new Dictionary<string, string> { ["SILK_URL"] = url });
        var total = Count(test.Stdout, "tests");
        Assert.True(
            test.ExitCode == 0 && total >= 6 && Count(test.Stdout, "pass") == total && Count(test.Stdout, "fail") == 0,
            $"node --test against {url} (exit {test.ExitCode}):\n{test.Output}");
    }

    [Fact]
    public void The_readme_snippet_is_the_example_the_build_compiles()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md")).ReplaceLineEndings("\n");
        var section = readme.IndexOf("\n## TypeScript client\n", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no '## TypeScript client' section");
        var start = readme.IndexOf("```ts\n", section, StringComparison.Ordinal) + "```ts\n".Length;
        var end = readme.IndexOf("```\n", start, StringComparison.Ordinal);
        Assert.True(start > section && end > start, "the TypeScript client section has no ```ts block");
        var example = File.ReadAllText(Path.Combine(NpmProject.Folder, "src", "example.ts")).ReplaceLineEndings("\n");
        Assert.Equal(example, readme[start..end]);
    }

    /// <summary>A counter of the TAP summary (<c># pass 6</c>), or -1 when the summary does not have it.</summary>
    private static int Count(string tap, string counter)
    {
        var match = SummaryLine().Matches(tap).LastOrDefault(m => m.Groups["name"].Value == counter);
        return match is null ? -1 : int.Parse(match.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^# (?<name>[a-z]+) (?<count>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();
}
