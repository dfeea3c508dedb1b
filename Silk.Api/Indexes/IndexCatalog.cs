using System.Text.Json;
using Silk.Api.Hosting;
using Silk.Core.Indexing;
using Microsoft.Extensions.Options;

namespace Silk.Api.Indexes;

/// <summary>
/// The indexes this server keeps: those of <c>Silk:Indexes</c> and those declared by <c>POST /indexes</c>. The
/// latter's definitions are kept in the store's local metadata (never synced); the indexes themselves are derived
/// and in memory, so each start declares them all again and they build in the background from the graph.
/// </summary>
public sealed class IndexCatalog(StoreHost host, IOptions<SilkOptions> options)
{
    private const string MetadataKey = "indexes";
    private readonly Lock _lock = new();
    private readonly IReadOnlyList<IndexDefinition> _fromSettings = [.. (options.Value.Indexes ?? []).Where(s => s is not null).Select(s => s.ToDefinition())];

    /// <summary>Declares every index of the settings and of the metadata (at startup).</summary>
    public void DeclareAll()
    {
        foreach (var definition in _fromSettings) host.Store.DeclareIndex(definition);
        foreach (var definition in Stored())
        {
            if (host.Store.IndexStatusOf(definition.Name) is null) host.Store.DeclareIndex(definition);
        }
    }

    public bool IsFromSettings(string name) => _fromSettings.Any(d => d.Name == name);

    /// <summary>Declares an index and remembers it across restarts; see <see cref="Core.Store.GraphStore.DeclareIndex"/> for what it throws.</summary>
    public (IndexStatus Status, bool Created) Declare(IndexDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        lock (_lock)
        {
            var existed = host.Store.IndexStatusOf(definition.Name) is not null;
            var status = host.Store.DeclareIndex(definition);
            if (!existed && !IsFromSettings(definition.Name)) Save([.. Stored().Where(d => d.Name != definition.Name), definition]);
            return (status, !existed);
        }
    }

    /// <summary>Drops an index declared by the API; false when there is none of that name.</summary>
    public bool Drop(string name)
    {
        lock (_lock)
        {
            var dropped = host.Store.DropIndex(name);
            var stored = Stored();
            if (stored.Any(d => d.Name == name)) Save([.. stored.Where(d => d.Name != name)]);
            return dropped;
        }
    }

    private List<IndexDefinition> Stored()
    {
        var text = host.Metadata.GetMetadata(MetadataKey);
        if (string.IsNullOrEmpty(text)) return [];
        return JsonSerializer.Deserialize<List<IndexDefinition>>(text) ?? [];
    }

    private void Save(List<IndexDefinition> definitions) => host.Metadata.SetMetadata(MetadataKey, JsonSerializer.Serialize(definitions));
}
