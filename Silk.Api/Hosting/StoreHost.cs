using Silk.Core.Schema;
using Silk.Core.Store;

namespace Silk.Api.Hosting;

/// <summary>
/// The one store this server process serves, opened at startup from the settings and disposed at
/// shutdown. Endpoints take it from dependency injection.
/// </summary>
public sealed class StoreHost : IDisposable
{
    private bool _disposed;

    private StoreHost(GraphStore store, string dataPath)
    {
        Store = store;
        DataPath = dataPath;
    }

    public GraphStore Store { get; }

    /// <summary>The store's folder (absolute).</summary>
    public string DataPath { get; }

    /// <summary>Open and not faulted: writes can be persisted.</summary>
    public bool IsReady => !_disposed && !Store.IsFaulted;

    public static StoreHost Open(SilkOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = DurabilitySetting.Parse(options.Durability);
        var ontology = OntologySettings.Load(configuration, options);
        var dataPath = Path.GetFullPath(string.IsNullOrWhiteSpace(options.DataPath) ? "./data" : options.DataPath);
        var instanceId = string.IsNullOrEmpty(options.InstanceId) ? $"silk-{Guid.NewGuid():N}"[..17] : options.InstanceId;
        try
        {
            return new StoreHost(GraphStore.Create(instanceId, ontology), dataPath);
        }
        catch (SchemaException ex)
        {
            throw new SilkSettingsException($"The configured ontology is inconsistent: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Store.Dispose();
    }
}
