using System.Collections.Concurrent;
using System.Text.Json;
using Silk.Tests.Api;

namespace Silk.Tests.Graph;

/// <summary>
/// Locates and reads the golden conformance vectors: <c>SILK_CONFORMANCE_DIR</c> when set, else
/// <c>&lt;repo root&gt;/../shared/conformance/vectors</c>. A missing folder or file throws, so the
/// tests that need it fail; they never skip.
/// </summary>
internal static class AlgorithmVectors
{
    public const string DirectoryVariable = "SILK_CONFORMANCE_DIR";

    private static readonly ConcurrentDictionary<string, JsonElement> Cache = new(StringComparer.Ordinal);

    public static string DirectoryPath =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(RepoRoot.Path, "..", "shared", "conformance", "vectors"));

    /// <summary>The root element of a vector file, parsed once.</summary>
    public static JsonElement Load(string file) => Cache.GetOrAdd(file, Read);

    private static JsonElement Read(string file)
    {
        var directory = DirectoryPath;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"conformance vectors folder not found: {directory} (set {DirectoryVariable} to override)");
        }

        var path = Path.Combine(directory, file);
        if (!File.Exists(path)) throw new FileNotFoundException($"conformance vector file not found: {path}", path);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }
}
