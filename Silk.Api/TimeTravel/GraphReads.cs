using Silk.Core.Graph;
using Silk.Core.Store;

namespace Silk.Api.TimeTravel;

/// <summary>Runs a read against the live graph (one consistent state under the store's read lock) or, with <c>as_of</c>, a snapshot.</summary>
public static class GraphReads
{
    public static T Read<T>(this GraphStore store, AsOf? asOf, Func<IGraphReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(read);
        return asOf is { } at ? read(store.AsOf(at.PhysicalMs, at.Logical)) : store.ReadGraph(g => read(g));
    }
}
