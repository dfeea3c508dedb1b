using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Silk.Api.Auth;
using Silk.Api.Hosting;
using Silk.Api.Problems;
using Silk.Core.Indexing;

namespace Silk.Api.Indexes;

/// <summary>Body of <c>POST /indexes</c>.</summary>
/// <param name="Name">The index's name: 1 to 64 letters, digits, <c>_ - .</c>.</param>
/// <param name="NodeType">The node type it covers (with the types below it in the hierarchy).</param>
/// <param name="Property">The property it orders those nodes by.</param>
public sealed record CreateIndexRequest(string Name, string NodeType, string Property);

/// <summary>One index and its state.</summary>
/// <param name="Name">Its name.</param>
/// <param name="NodeType">The node type it covers, with its descendants.</param>
/// <param name="Property">The indexed property.</param>
/// <param name="State"><c>building</c> (queries scan meanwhile) or <c>ready</c>.</param>
/// <param name="Entries">Nodes in the index, once ready.</param>
/// <param name="BuildDone">Nodes the current (or last) build has read.</param>
/// <param name="BuildTotal">Nodes that build reads.</param>
/// <param name="BuildMs">How long the last finished build took, in ms; absent while the first one runs.</param>
/// <param name="Source"><c>settings</c> (<c>Silk:Indexes</c>) or <c>api</c> (<c>POST /indexes</c>).</param>
public sealed record IndexInfo(
    string Name, string NodeType, string Property, IndexState State, int Entries, long BuildDone, long BuildTotal,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] double? BuildMs,
    string Source);

/// <summary>The indexes, by name.</summary>
/// <param name="Indexes">Every index.</param>
public sealed record IndexList(IReadOnlyList<IndexInfo> Indexes);

/// <summary>(node type, property) indexes: local, derived, in memory; they serve query selectors on the start type.</summary>
public static class IndexesApi
{
    public static IEndpointRouteBuilder MapIndexesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/indexes").WithTags("Indexes");
        var reads = group.MapGroup("").RequireSilkRole(SilkRole.Read);
        var admin = group.MapGroup("").RequireSilkRole(SilkRole.Admin);

        reads.MapGet("", ListIndexes)
            .WithName("ListIndexes")
            .WithSummary("List indexes")
            .WithDescription("Every index with its state (building or ready), entries and build progress.");

        admin.MapPost("", CreateIndex)
            .WithName("CreateIndex")
            .WithSummary("Declare an index")
            .WithDescription("Declares an index on a (node type, property) pair and builds it in the background from the graph (progress here and in the log); 202 with its state. The same definition again is a 200; the name with another definition a 409. Kept across restarts (rebuilt at each start); never synced.")
            .WithJsonBody();

        admin.MapDelete("/{name}", DropIndex)
            .WithName("DropIndex")
            .WithSummary("Drop an index")
            .WithDescription("Drops an index declared by POST /indexes (one from Silk:Indexes is a 409: remove it from the settings).");

        return app;
    }

    internal static Ok<IndexList> ListIndexes(StoreHost host, IndexCatalog catalog) =>
        TypedResults.Ok(new IndexList([.. host.Store.Indexes().Select(s => Info(s, catalog))]));

    internal static Results<Accepted<IndexInfo>, Ok<IndexInfo>, BadRequestProblem, ConflictProblem> CreateIndex(CreateIndexRequest body, IndexCatalog catalog)
    {
        var definition = new IndexDefinition(body.Name, body.NodeType, body.Property);
        if (definition.Problem() is { } problem) return ApiProblems.BadRequest(problem);
        try
        {
            var (status, created) = catalog.Declare(definition);
            var info = Info(status, catalog);
            return created ? TypedResults.Accepted($"/indexes", info) : TypedResults.Ok(info);
        }
        catch (InvalidOperationException ex)
        {
            return ApiProblems.Conflict(ex.Message);
        }
    }

    internal static Results<Ok<IndexInfo>, NotFoundProblem, ConflictProblem> DropIndex(
        [Description("The index's name.")] string name, StoreHost host, IndexCatalog catalog)
    {
        if (host.Store.IndexStatusOf(name) is not { } status) return ApiProblems.NotFound($"no index named '{name}'");
        if (catalog.IsFromSettings(name)) return ApiProblems.Conflict($"index '{name}' is declared in Silk:Indexes; remove it from the settings instead");
        catalog.Drop(name);
        return TypedResults.Ok(Info(status, catalog));
    }

    private static IndexInfo Info(IndexStatus s, IndexCatalog catalog) =>
        new(s.Definition.Name, s.Definition.NodeType, s.Definition.Property, s.State, s.Entries, s.BuildDone, s.BuildTotal, s.BuildMilliseconds,
            catalog.IsFromSettings(s.Definition.Name) ? "settings" : "api");
}
