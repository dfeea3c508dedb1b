using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Silk.Api.Auth;
using Silk.Api.Entities;
using Silk.Api.Edges;
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

namespace Silk.Api.Nodes;

/// <summary>Nodes: create, list with filters and cursor paging, read, update properties, remove, adjacency.</summary>
public static class NodesApi
{
    private static readonly EntityKind<NodeView, Node> Kind = new("node", static (g, id) => g.GetNode(id), Node.From, static (store, id, ct) => store.RemoveNodeAsync(id, ct));

    public static IEndpointRouteBuilder MapNodesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/nodes").WithTags("Nodes");
        var reads = group.MapGroup("").RequireSilkRole(SilkRole.Read);
        var writes = group.MapGroup("").RequireSilkRole(SilkRole.Write);

        writes.MapPost("", CreateNode)
            .WithName("CreateNode")
            .WithSummary("Create (or re-add) a node")
            .WithDescription("Writes an add_node entry. The node must fit its type in the ontology (422 with the rule otherwise). Re-adding an existing id updates its label and subtype and merges its properties.")
            .WithJsonBody();

        reads.MapGet("", ListNodes)
            .WithName("ListNodes")
            .WithSummary("List nodes")
            .WithDescription("Live nodes in id order, optionally filtered by type (including subtypes of the type hierarchy), subtype and one property value, one page at a time.")
            .WithQueryProblems();

        reads.MapGet("/{id}", GetNode)
            .WithName("GetNode")
            .WithSummary("Read a node")
            .WithQueryProblems();

        writes.MapPatch("/{id}", UpdateNode)
            .WithName("UpdateNode")
            .WithSummary("Update a node's properties")
            .WithDescription("One update_property entry per key. Every key is checked against the node's type first; if any fails, nothing is written (422).")
            .WithJsonBody();

        writes.MapDelete("/{id}", RemoveNode)
            .WithName("RemoveNode")
            .WithSummary("Remove a node")
            .WithDescription("Writes a remove_node entry. The node's edges are hidden while it is removed and reappear if it is added again.");

        reads.MapGet("/{id}/edges", GetNodeEdges)
            .WithName("GetNodeEdges")
            .WithSummary("Edges of a node")
            .WithDescription("Visible edges leaving (out), arriving at (in) or touching (both) the node, in id order.")
            .WithQueryProblems();

        reads.MapGet("/{id}/neighbors", GetNeighbors)
            .WithName("GetNodeNeighbors")
            .WithSummary("Neighbours of a node")
            .WithDescription("Targets of the node's outgoing visible edges, each once, in id order.")
            .WithQueryProblems();

        return app;
    }

    internal static async Task<Results<Created<NodeWritten>, UnprocessableProblem>> CreateNode(
        CreateNodeRequest body, StoreHost host, CancellationToken cancellationToken)
    {
        var store = host.Store;
        try
        {
            var hash = await store.AddNodeAsync(body.NodeId, body.NodeType, body.Label, body.Properties, body.Subtype, cancellationToken);
            var node = store.GetNode(body.NodeId) is { } view
                ? Node.From(view)
                : new Node(body.NodeId, body.NodeType, body.Subtype, body.Label, body.Properties ?? ValueMap.Empty);
            return TypedResults.Created($"/nodes/{Uri.EscapeDataString(body.NodeId)}", new NodeWritten(node, hash.ToHex()));
        }
        catch (ValidationException ex)
        {
            return ApiProblems.Unprocessable(ex);
        }
    }

    internal static Results<Ok<NodePage>, BadRequestProblem> ListNodes(
        StoreHost host,
        [FromQuery, Description("Only nodes of this type or of a type below it in the hierarchy.")] string? type,
        [FromQuery, Description("Only nodes with exactly this subtype.")] string? subtype,
        [FromQuery, Description("Only nodes whose property equals a value: `key:value`, where the value is read as JSON when it parses (`count:3`, `active:true`, `name:\"x\"`) and as a string otherwise (`status:active`).")] string? property,
        [FromQuery, Description("Only nodes whose label contains this text, ignoring case.")] string? label,
        [FromQuery, Description(WhereDescription)] string? where,
        [FromQuery, Description(PageQuery.LimitDescription)] int? limit,
        [FromQuery, Description(PageQuery.AfterDescription)] string? after,
        [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
    {
        var (size, error) = PageQuery.Limit(limit);
        if (error is not null) return ApiProblems.BadRequest(error);
        var steps = new List<QueryStep>();
        if (property is not null)
        {
            if (PropertyFilter.TryParse(property, out var key, out var value) is { } problem) return ApiProblems.BadRequest(problem);
            steps.Add(new WhereStep(ValueMap.Of((key, value))));
        }

        Selector? selector = null;
        try
        {
            if (where is not null) selector = QueryTranslation.ParseWhereParameter(where, QueryTarget.Nodes);
        }
        catch (SelectorException ex)
        {
            return ApiProblems.BadRequest(ex, "where");
        }

        var query = new GraphQuery(new NodesStart(type, subtype), steps) { Where = selector };
        var page = host.Store.Read(asOf, g =>
        {
            var nodes = type is null && subtype is null && steps.Count == 0 && selector is null ? g.AllNodes() : QueryRunner.Run(g, query).Nodes!;
            // Filtering keeps id order, so the paging cursor stays valid.
            if (!string.IsNullOrEmpty(label)) nodes = nodes.Where(n => n.Label.Contains(label, StringComparison.OrdinalIgnoreCase)).ToList();
            return CursorPaging.PageOf(nodes, n => n.NodeId, after, size);
        });
        return TypedResults.Ok(new NodePage(Node.From(page.Items), page.Next));
    }

    internal static Results<Ok<Node>, NotFoundProblem> GetNode(
        [Description("The node's id (URL-encoded in the path).")] string id, StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
        => EntityEndpoints.Get(Kind, id, host, asOf);

    internal static Task<Results<Ok<NodeUpdated>, BadRequestProblem, NotFoundProblem, UnprocessableProblem>> UpdateNode(
        [Description("The node's id (URL-encoded in the path).")] string id, PropertiesPatch body, StoreHost host, CancellationToken cancellationToken)
        => EntityEndpoints.UpdateAsync(Kind, id, body, host, (answer, hashes) => new NodeUpdated(answer, hashes), cancellationToken);

    internal static Task<Results<Ok<WriteResult>, NotFoundProblem>> RemoveNode([Description("The node's id (URL-encoded in the path).")] string id, StoreHost host, CancellationToken cancellationToken)
        => EntityEndpoints.RemoveAsync(Kind, id, host, cancellationToken);

    internal static Results<Ok<EdgeList>, NotFoundProblem> GetNodeEdges(
        [Description("The node's id (URL-encoded in the path).")] string id,
        StoreHost host,
        [FromQuery, Description("`out` (leaving the node), `in` (arriving at it) or `both` (the default).")] Direction? direction,
        [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
    {
        var which = direction?.Value ?? EdgeDirection.Both;
        var edges = host.Store.Read(asOf, g =>
        {
            if (g.GetNode(id) is null) return null;
            var list = new List<Core.Graph.EdgeView>();
            if (which is EdgeDirection.Out or EdgeDirection.Both) list.AddRange(g.OutgoingEdges(id));
            if (which is EdgeDirection.In or EdgeDirection.Both) list.AddRange(g.IncomingEdges(id));
            return which == EdgeDirection.Both
                ? list.DistinctBy(e => e.EdgeId).OrderBy(e => e.EdgeId, Utf8Order.Instance).ToList()
                : list;
        });
        return edges is null ? ApiProblems.NotFound(NotFoundMessage(id, asOf)) : TypedResults.Ok(new EdgeList(Edge.From(edges)));
    }

    internal static Results<Ok<NodeIdList>, NotFoundProblem> GetNeighbors(
        [Description("The node's id (URL-encoded in the path).")] string id, StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
    {
        var neighbors = host.Store.Read(asOf, g => g.GetNode(id) is null ? null : g.Neighbors(id));
        return neighbors is null ? ApiProblems.NotFound(NotFoundMessage(id, asOf)) : TypedResults.Ok(new NodeIdList(neighbors));
    }

    internal static string NotFoundMessage(string id, AsOf? asOf) => Kind.NotFoundMessage(id, asOf);

    internal const string WhereDescription =
        "Only items this selector matches: URL-encoded JSON, as `where` of POST /query (e.g. `{\"score\":{\"$gte\":0.5},\"status\":{\"$in\":[\"up\",\"degraded\"]}}`). An index on `type` serves it.";
}
