using System.Diagnostics.Metrics;
using Silk.Api.Hosting;
using Silk.Core.Diagnostics;
using Silk.Storage;

namespace Silk.Api.Diagnostics;

/// <summary>
/// Gauges read only when a listener collects (nothing runs on the write path): the size of each store file
/// (<c>silk.storage.size</c>, tag <c>file</c> = database, log, journal, observations) and the entries in the log.
/// </summary>
public sealed class StorageMetrics
{
    public StorageMetrics(SilkMetrics metrics, StoreHost host)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(host);
        var files = LiteDbEntryStore.FilesIn(host.DataPath)
            .Append((Role: "observations", Path: Path.Combine(host.DataPath, StoreHost.ObservationsFileName)))
            .Select(f => (Tag: new KeyValuePair<string, object?>("file", f.Role), f.Path))
            .ToArray();
        metrics.Meter.CreateObservableGauge(
            "silk.storage.size",
            () => files.Select(f => new Measurement<long>(SizeOf(f.Path), f.Tag)),
            "By",
            "Bytes on disk of each store file: the LiteDB database and its log, the write-ahead journal, the observation log.");
        metrics.Meter.CreateObservableGauge(
            "silk.store.entries",
            () => host.IsReady ? host.Store.EntryCount : 0,
            "{entry}",
            "Entries in the log.");
    }

    private static long SizeOf(string path)
    {
        try
        {
            return File.Exists(path) ? new FileInfo(path).Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
