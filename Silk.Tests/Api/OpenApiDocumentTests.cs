using System.Net;

namespace Silk.Tests.Api;

/// <summary>
/// The committed openapi.yaml at the repository root must equal the document the server generates.
/// With SILK_UPDATE_OPENAPI=1 the test rewrites the file instead of failing.
/// </summary>
public sealed class OpenApiDocumentTests(SilkApiFactory factory)
    : IClassFixture<SilkApiFactory>
{
    private const string UpdateVariable = "SILK_UPDATE_OPENAPI";

    [Fact]
    public async Task Committed_openapi_yaml_matches_generated_document()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/openapi/v1.yaml", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = await response.Content.ReadAsStringAsync();
        var generated = NormalizeLineEndings(served);

        var path = Path.Combine(RepoRoot.Path, "openapi.yaml");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            // Exactly what the server serves.
            await File.WriteAllTextAsync(path, served);
            return;
        }

        var committed = File.Exists(path) ? NormalizeLineEndings(await File.ReadAllTextAsync(path)) : null;
        if (committed != generated)
        {
            Assert.Fail(
                (committed is null ? $"{path} does not exist. " : $"{path} differs from the generated document ({FirstDifference(committed, generated)}). ")
                + "After an intended API change, regenerate it by running from the repository root\n"
                + $"  {UpdateVariable}=1 dotnet test Silk.Web.sln --filter FullyQualifiedName~{nameof(OpenApiDocumentTests)}\n"
                + "and commit openapi.yaml.");
        }
    }

    /// <summary>CRLF and CR become LF, and a line ending at the end of the file is optional (editors add one).</summary>
    private static string NormalizeLineEndings(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimEnd('\n');

    private static string FirstDifference(string committed, string generated)
    {
        var a = committed.Split('\n');
        var b = generated.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end of file>";
            var right = i < b.Length ? b[i] : "<end of file>";
            if (left != right)
            {
                return $"first at line {i + 1}: committed '{left}', generated '{right}'";
            }
        }
        return "they differ only in line endings";
    }
}
