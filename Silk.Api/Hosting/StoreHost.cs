using Silk.Core.Diagnostics;
using Silk.Core.Persistence;
using Silk.Core.Schema;
using Silk.Core.Store;
using Silk.Storage;

namespace Silk.Api.Hosting;

/// <summary>
/// The one store this server process serves, and its observation log, opened at startup from the
/// settings (created in <c>Silk:DataPath</c> on first start, reopened afterwards) and disposed at shutdown.
/// Endpoints take it from dependency injection.
/// </summary>
public sealed partial class StoreHost : IDisposable
{
    public const string ObservationsFileName = "observations.db";

    private readonly ILogger? _logger;
    private bool _disposed;

    private StoreHost(GraphStore store, IEntryStore metadata, ObservationLog observations, string dataPath, ILogger? logger)
    {
        _logger = logger;
        Store = store;
        Metadata = metadata;
        Observations = observations;
        DataPath = dataPath;
    }

    public GraphStore Store { get; }

    /// <summary>The store's persistence, for named metadata kept with the log (the peer list); owned by <see cref="Store"/>.</summary>
    public IEntryStore Metadata { get; }

    /// <summary>Local time-series samples, kept next to the store and never synced.</summary>
    public ObservationLog Observations { get; }

    /// <summary>The store's folder (absolute).</summary>
    public string DataPath { get; }

    /// <summary>The configured instance id when the store already had another one (the store's wins).</summary>
    public string? IgnoredInstanceId { get; private init; }

    /// <summary>The store's long operations (open, bootstrap, compaction): running, and the last of each kind.</summary>
    public OperationTracker Operations { get; private init; } = new();

    /// <summary>Open and not faulted: writes can be persisted.</summary>
    public bool IsReady => !_disposed && !Store.IsFaulted;

    /// <summary>
    /// Opens (or creates) the store in <see cref="SilkOptions.DataPath"/>. The ontology and instance id only
    /// matter for a new store: an existing one keeps its own. Settings that cannot work, and a store that
    /// cannot be opened (in use by another process, damaged), throw <see cref="SilkSettingsException"/>.
    /// </summary>
    /// <remarks>The numbers and names among the settings are checked by <see cref="SilkOptionsValidator"/> before they get here.</remarks>
    public static StoreHost Open(SilkOptions options, IConfiguration configuration, SilkMetrics? metrics = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var durability = DurabilitySetting.Parse(options.Durability);
        var operations = new OperationTracker { Reported = status => LogOperation(logger, status) };
        var storeOptions = new GraphStoreOptions { Metrics = metrics, Operations = operations };

        var ontology = OntologySettings.Load(configuration, options);
        var dataPath = Path.GetFullPath(string.IsNullOrWhiteSpace(options.DataPath) ? "./data" : options.DataPath);
        LiteDbEntryStore? entries = null;
        GraphStore? store = null;
        try
        {
            Directory.CreateDirectory(dataPath);
            entries = new LiteDbEntryStore(dataPath, durability);
            var instanceId = string.IsNullOrEmpty(options.InstanceId) ? null : options.InstanceId;
            store = string.IsNullOrWhiteSpace(options.BootstrapFrom)
                ? GraphStore.Open(entries, ontology, instanceId, storeOptions)
                : GraphStore.Open(entries, () => Peers.BootstrapSource.Load(options.BootstrapFrom, apiKey: options.BootstrapApiKey), instanceId, storeOptions);
            var metadata = entries;
            entries = null; // owned by the store now
            var observations = new ObservationLog(Path.Combine(dataPath, ObservationsFileName), TimeSpan.FromSeconds(options.ObservationMaxAgeSeconds));
            var ignored = !string.IsNullOrEmpty(options.InstanceId) && options.InstanceId != store.InstanceId ? options.InstanceId : null;
            return new StoreHost(store, metadata, observations, dataPath, logger) { IgnoredInstanceId = ignored, Operations = operations };
        }
        catch (SchemaException ex)
        {
            store?.Dispose();
            entries?.Dispose();
            throw new SilkSettingsException($"The configured ontology is inconsistent: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CorruptStoreException)
        {
            store?.Dispose();
            entries?.Dispose();
            throw new SilkSettingsException($"Cannot open the store in Silk:DataPath ({dataPath}): {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is SilkSettingsException or SyncRejectedException)
        {
            store?.Dispose();
            entries?.Dispose();
            throw ex as SilkSettingsException ?? new SilkSettingsException($"Setting Silk:BootstrapFrom is \"{options.BootstrapFrom}\", but its snapshot cannot start a store: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var entries = Store.EntryCount;
        Observations.Dispose();
        Store.Dispose();
        if (_logger is not null) LogClosed(_logger, DataPath, entries);
    }

    private static void LogOperation(ILogger? logger, OperationStatus status)
    {
        if (logger is null) return;
        if (status.Running) LogProgress(logger, status.Name, status.Percent, status.Done, status.Total, status.RatePerSecond);
        else LogDone(logger, status.Name, status.Done, status.Elapsed.TotalSeconds, status.RatePerSecond);
    }

    [LoggerMessage(EventId = Diagnostics.LogEvents.OperationProgress, Level = LogLevel.Information,
        Message = "Silk {Operation}: {Percent:F0} % ({Done} of {Total} steps) at {Rate:F0} steps/s")]
    private static partial void LogProgress(ILogger logger, string operation, double percent, long done, long total, double rate);

    [LoggerMessage(EventId = Diagnostics.LogEvents.OperationDone, Level = LogLevel.Information,
        Message = "Silk {Operation} done: {Done} steps in {Seconds:F2} s ({Rate:F0} steps/s)")]
    private static partial void LogDone(ILogger logger, string operation, long done, double seconds, double rate);

    [LoggerMessage(EventId = Diagnostics.LogEvents.StoreClosed, Level = LogLevel.Information,
        Message = "Silk store at {DataPath} closed: {EntryCount} entries, journal folded into LiteDB and checkpointed")]
    private static partial void LogClosed(ILogger logger, string dataPath, int entryCount);
}
