namespace Silk.Tests;

/// <summary>The repository root: the nearest folder above the test binaries that holds Silk.Web.sln.</summary>
internal static class RepoRoot
{
    private const string SolutionFile = "Silk.Web.sln";

    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException(
            $"No folder containing {SolutionFile} above {AppContext.BaseDirectory}.");
    }
}
