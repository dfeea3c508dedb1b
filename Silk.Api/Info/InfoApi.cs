using Silk.Api.Auth;
using Silk.Api.Hosting;
using Silk.Core.Diagnostics;
using Silk.Core.Sync;

namespace Silk.Api.Info;

/// <summary>About this store.</summary>
/// <param name="InstanceId">This replica's instance id (the author of its entries).</param>
/// <param name="PhysicalMs">The store's hybrid clock: milliseconds.</param>
/// <param name="Logical">The store's hybrid clock: logical counter.</param>
/// <param name="EntryCount">Entries in the log.</param>
/// <param name="Heads">The log's heads.</param>
/// <param name="NodeCount">Live nodes.</param>
/// <param name="EdgeCount">Visible edges.</param>
/// <param name="OntologyHash">Content hash of the resolved ontology.</param>
/// <param name="ProtocolVersion">The sync protocol version this server speaks.</param>
/// <param name="Durability">When a write is acknowledged: <c>fsync</c> (on disk), <c>process</c> (handed to the operating system) or <c>memory</c> (not persisted).</param>
/// <param name="NodeCountsByType">Live nodes per node type: the exact type each node has (a parent type's count leaves out its descendants' nodes); types without live nodes are left out.</param>
/// <param name="EdgeCountsByType">Visible edges per edge type; types without visible edges are left out.</param>
/// <param name="Operations">Long operations of the store (open, bootstrap, compaction, revalidate): the running ones and the last of each kind since the server started.</param>
public sealed record StoreInfo(
    string InstanceId, ulong PhysicalMs, uint Logical, int EntryCount, IReadOnlyList<string> Heads,
    int NodeCount, int EdgeCount, IReadOnlyDictionary<string, int> NodeCountsByType, IReadOnlyDictionary<string, int> EdgeCountsByType,
    string OntologyHash, uint ProtocolVersion, string Durability, IReadOnlyList<OperationView> Operations);

/// <summary>One long operation of the store.</summary>
/// <param name="Name"><c>open</c> (reload and verify the log at startup), <c>bootstrap</c> (a new store from a snapshot), <c>compaction</c> or <c>revalidate</c> (the graph rebuilt against the schema).</param>
/// <param name="Running">Still running.</param>
/// <param name="Percent">Progress, 0-100.</param>
/// <param name="Done">Steps done (entries decoded, verified or replayed).</param>
/// <param name="Total">Steps in all.</param>
/// <param name="RatePerSecond">Steps per second so far.</param>
/// <param name="StartedMs">Wall time (ms) it started.</param>
/// <param name="ElapsedMs">How long it ran (so far, while running).</param>
public sealed record OperationView(string Name, bool Running, double Percent, long Done, long Total, double RatePerSecond, long StartedMs, long ElapsedMs)
{
    internal static OperationView From(OperationStatus s) => new(
        s.Name, s.Running, Math.Round(s.Percent, 1), s.Done, s.Total, Math.Round(s.RatePerSecond, 1), s.StartedAt.ToUnixTimeMilliseconds(), (long)s.Elapsed.TotalMilliseconds);
}

/// <summary><c>GET /info</c>.</summary>
public static class InfoApi
{
    public static IEndpointRouteBuilder MapInfoApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/info", GetInfo)
            .RequireSilkRole(SilkRole.Read)
            .WithTags("Info")
            .WithName("GetInfo")
            .WithSummary("About this store")
            .WithDescription("Instance id, clock, entry count, heads, node and edge counts (in all and by type), ontology hash, protocol version and durability mode, and the store's long operations (open, bootstrap, compaction, revalidate) with their progress.");
        return app;
    }

    internal static Microsoft.AspNetCore.Http.HttpResults.Ok<StoreInfo> GetInfo(StoreHost host)
    {
        var store = host.Store;
        var clock = store.Clock;
        var (entries, heads, nodes, edges, nodesByType, edgesByType, ontologyHash) = store.ReadGraph(g =>
            (store.EntryCount, store.Heads, g.NodeCount, g.EdgeCount, g.NodeCountsByType, g.EdgeCountsByType, g.OntologyHash));
        return TypedResults.Ok(new StoreInfo(
            store.InstanceId, clock.PhysicalMs, clock.Logical, entries, heads.Select(h => h.ToHex()).ToList(),
            nodes, edges, nodesByType, edgesByType, ontologyHash.ToHex(), SyncLimits.ProtocolVersion, DurabilitySetting.Name(store.Durability),
            host.Operations.Current().Select(OperationView.From).ToList()));
    }
}
