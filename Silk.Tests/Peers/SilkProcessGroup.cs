namespace Silk.Tests.Peers;

/// <summary>Server processes of one test under one temporary folder: their output for failure messages, and all of it gone on dispose.</summary>
internal sealed class SilkProcessGroup(string prefix) : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..10]);

    public List<SilkProcess> Servers { get; } = [];

    /// <summary>Everything the servers wrote, for an assertion's message.</summary>
    public string Logs() => string.Join("\n", Servers.Select(s => s.Output));

    public void Dispose()
    {
        foreach (var s in Servers) s.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
