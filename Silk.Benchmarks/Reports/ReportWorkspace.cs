using Silk.Benchmarks.Workloads;

namespace Silk.Benchmarks.Reports;

/// <summary>A report's temporary folder with the baseline ontology written into it (for server processes), deleted on dispose.</summary>
internal sealed class ReportWorkspace : IDisposable
{
    private ReportWorkspace(string root)
    {
        Root = root;
        OntologyPath = Path.Combine(root, "ontology.json");
    }

    public string Root { get; }

    public string OntologyPath { get; }

    public static async Task<ReportWorkspace> CreateAsync(string prefix)
    {
        var workspace = new ReportWorkspace(Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(workspace.Root);
        await File.WriteAllTextAsync(workspace.OntologyPath, BaselineWorkloads.OntologyText);
        return workspace;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
