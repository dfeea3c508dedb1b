using System.Text.Json;

namespace Silk.Tests.Clients;

/// <summary>
/// The committed openapi.yaml (kept equal to the served document by the drift test) passes Redocly's
/// recommended rules with no error and no warning.
/// </summary>
public sealed class OpenApiLintTests
{
    [Fact]
    public async Task Openapi_yaml_passes_redocly_recommended_without_errors_or_warnings()
    {
        await NpmProject.EnsureInstalledAsync();
        var yaml = Path.Combine(RepoRoot.Path, "openapi.yaml");
        var result = await NpmProject.RunAsync(
            "npx", ["--no-install", "redocly", "lint", "--extends", "recommended", "--format", "json", yaml],
            TimeSpan.FromMinutes(3));
        Assert.True(result.Stdout.TrimStart().StartsWith('{'), $"redocly lint printed no JSON report (exit {result.ExitCode}):\n{result.Output}");
        using var document = JsonDocument.Parse(result.Stdout);
        var totals = document.RootElement.GetProperty("totals");
        var problems = document.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()}")
            .ToList();
        Assert.True(
            totals.GetProperty("errors").GetInt32() == 0 && totals.GetProperty("warnings").GetInt32() == 0,
            $"redocly lint (exit {result.ExitCode}):\n{string.Join("\n", problems)}");
        Assert.Equal(0, result.ExitCode);
    }
}
