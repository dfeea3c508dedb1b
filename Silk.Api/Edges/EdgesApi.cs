using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Silk.Api.Auth;
using Silk.Api.Entities;
using Silk.Api.Hosting;
using Silk.Api.Paging;
using Silk.Api.Problems;
using Silk.Api.Query;
using Silk.Api.TimeTravel;
using Silk.Api.Writes;
using Silk.Core.Graph;
using Silk.Core.Query;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Api.Edges;

/// <summary>Edges: create, list with cursor paging, read, update properties, remove.</summary>
public static class EdgesApi
{
    private static readonly EntityKind<EdgeView, Edge> Kind = new("edge", static (g, id) => g.GetEdge(id), Edge.From, static (store, id, ct) => store.RemoveEdgeAsync(id, ct));

    public static IEndpointRouteBuilder MapEdgesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/edges").WithTags("Edges");
        var reads = group.MapGroup("").RequireSilkRole(SilkRole.Read);
        var writes = group.MapGroup("").RequireSilkRole(SilkRole.Write);

        writes.MapPost("", CreateEdge)
            .WithName("CreateEdge")
            .WithSummary("Create (or re-add) an edge")
            .WithDescription("Writes an add_edge entry. Both endpoints must exist (409 otherwise) and the edge must fit its type in the ontology (422 with the rule otherwise).")
            .WithJsonBody();

        reads.MapGet("", ListEdges)
            .WithName("ListEdges")
            .WithSummary("List edges")
            .WithDescription("Visible edges (live, with live endpoints) in id order, optionally of one type, one page at a time.")
            .WithQueryProblems();

        reads.MapGet("/{id}", GetEdge)
            .WithName("GetEdge")
            .WithSummary("Read an edge")
            .WithQueryProblems();

        writes.MapPatch("/{id}", UpdateEdge)
            .WithName("UpdateEdge")
            .WithSummary("Update an edge's properties")
            .WithDescription("One update_property entry per key. Every key is checked against the edge's type first; if any fails, nothing is written (422).")
            .WithJsonBody();

        writes.MapDelete("/{id}", RemoveEdge)
            .WithName("RemoveEdge")
            .WithSummary("Remove an edge")
            .WithDescription("Writes a remove_edge entry.");

        return app;
    }

    internal static async Task<Results<Created<EdgeWritten>, ConflictProblem, UnprocessableProblem>> CreateEdge(
        CreateEdgeRequest body, StoreHost host, CancellationToken cancellationToken)
    {
        var store = host.Store;
        try
        {
            var hash = await store.AddEdgeAsync(body.EdgeId, body.EdgeType, body.SourceId, body.TargetId, body.Properties, cancellationToken);
            var edge = store.GetEdge(body.EdgeId) is { } view
                ? Edge.From(view)
                : new Edge(body.EdgeId, body.EdgeType, body.SourceId, body.TargetId, body.Properties ?? ValueMap.Empty);
            return TypedResults.Created($"/edges/{Uri.EscapeDataString(body.EdgeId)}", new EdgeWritten(edge, hash.ToHex()));
        }
        catch (ValidationException ex) when (ApiProblems.IsConflict(ex))
        {
            return ApiProblems.Conflict(ex);
        }
        catch (ValidationException ex)
        {
            return ApiProblems.Unprocessable(ex);
        }
    }

    internal static Results<Ok<EdgePage>, BadRequestProblem> ListEdges(
        StoreHost host,
        [FromQuery, Description("Only edges of exactly this type.")] string? type,
        [FromQuery, Description(Nodes.NodesApi.WhereDescription)] string? where,
        [FromQuery, Description(PageQuery.LimitDescription)] int? limit,
        [FromQuery, Description(PageQuery.AfterDescription)] string? after,
        [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
    {
        var (size, error) = PageQuery.Limit(limit);
        if (error is not null) return ApiProblems.BadRequest(error);
        Selector? selector = null;
        try
        {
            if (where is not null) selector = QueryTranslation.ParseWhereParameter(where, QueryTarget.Edges);
        }
        catch (SelectorException ex)
        {
            return ApiProblems.BadRequest(ex, "where");
        }

        var page = host.Store.Read(asOf, g =>
        {
            var all = g.AllEdges();
            IReadOnlyList<EdgeView> edges = type is null ? all : all.Where(e => string.Equals(e.EdgeType, type, StringComparison.Ordinal)).ToList();
            if (selector is not null) edges = edges.Where(e => selector.Matches(new QueryItem(null, e))).ToList();
            return CursorPaging.PageOf(edges, e => e.EdgeId, after, size);
        });
        return TypedResults.Ok(new EdgePage(Edge.From(page.Items), page.Next));
    }

    internal static Results<Ok<Edge>, NotFoundProblem> GetEdge(
        [Description("The edge's id (URL-encoded in the path).")] string id, StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
        => EntityEndpoints.Get(Kind, id, host, asOf);

    internal static Task<Results<Ok<EdgeUpdated>, BadRequestProblem, NotFoundProblem, UnprocessableProblem>> UpdateEdge(
        [Description("The edge's id (URL-encoded in the path).")] string id, PropertiesPatch body, StoreHost host, CancellationToken cancellationToken)
        => EntityEndpoints.UpdateAsync(Kind, id, body, host, (answer, hashes) => new EdgeUpdated(answer, hashes), cancellationToken);

    internal static Task<Results<Ok<WriteResult>, NotFoundProblem>> RemoveEdge([Description("The edge's id (URL-encoded in the path).")] string id, StoreHost host, CancellationToken cancellationToken)
        => EntityEndpoints.RemoveAsync(Kind, id, host, cancellationToken);

    internal static string NotFoundMessage(string id, AsOf? asOf) => Kind.NotFoundMessage(id, asOf);
}
