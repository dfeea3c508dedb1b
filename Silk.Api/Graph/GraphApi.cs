using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Silk.Api.Auth;
using Silk.Api.Edges;
using Silk.Api.Hosting;
using Silk.Api.Nodes;
using Silk.Api.Problems;
using Silk.Api.TimeTravel;
using Silk.Core.Graph;

namespace Silk.Api.Graph;

/// <summary>The graph algorithms (SPEC §11) over live nodes and visible edges; every one accepts <c>as_of</c>.</summary>
public static class GraphApi
{
    private const string StartDescription = "The node to start from.";
    private const string MaxDepthDescription = "Nodes this many hops away are listed but not expanded; omit for no limit.";

    public static IEndpointRouteBuilder MapGraphApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/graph").WithTags("Graph").RequireSilkRole(SilkRole.Read);

        group.MapGet("/bfs", Bfs)
            .WithName("BreadthFirstSearch")
            .WithSummary("Breadth-first traversal")
            .WithDescription("Node ids in visit order over outgoing edges, the start first; neighbours are visited in id order.")
            .WithQueryProblems();

        group.MapGet("/dfs", Dfs)
            .WithName("DepthFirstSearch")
            .WithSummary("Depth-first traversal")
            .WithDescription("Node ids in visit order over outgoing edges (a node counts as visited when it is pushed), the start first.")
            .WithQueryProblems();

        group.MapGet("/shortest-path", ShortestPath)
            .WithName("ShortestPath")
            .WithSummary("Shortest path")
            .WithDescription("Fewest outgoing hops from one node to another, both ends included; `path` is null when the target cannot be reached.")
            .WithQueryProblems();

        group.MapGet("/impact", Impact)
            .WithName("ImpactAnalysis")
            .WithSummary("Impact analysis")
            .WithDescription("What depends on a node: breadth-first over incoming edges, the node itself first.")
            .WithQueryProblems();

        group.MapGet("/subgraph", Subgraph)
            .WithName("Subgraph")
            .WithSummary("Neighbourhood subgraph")
            .WithDescription("Nodes within `hops` of the start in either direction, and the edges met on the way.")
            .WithQueryProblems();

        group.MapGet("/topological-sort", TopologicalSort)
            .WithName("TopologicalSort")
            .WithSummary("Topological order")
            .WithDescription("Every live node with sources first (Kahn; ties in id order), or null when the visible edges have a cycle.")
            .WithQueryProblems();

        group.MapGet("/has-cycle", HasCycle)
            .WithName("HasCycle")
            .WithSummary("Cycle check")
            .WithQueryProblems();

        group.MapPost("/pattern-match", PatternMatch)
            .WithName("PatternMatch")
            .WithSummary("Match a chain of node types")
            .WithDescription("Chains of nodes linked by outgoing edges whose types follow the sequence; no node twice in a chain.")
            .WithJsonBody();

        return app;
    }

    internal static Results<Ok<NodeIdList>, BadRequestProblem, NotFoundProblem> Bfs(
        StoreHost host,
        [FromQuery, Description(StartDescription)] string start,
        [FromQuery(Name = "max_depth"), Description(MaxDepthDescription)] int? maxDepth,
        [FromQuery(Name = "edge_type"), Description("Follow only edges of exactly this type.")] string? edgeType,
        [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf) =>
        Traverse(host, start, maxDepth, asOf, g => g.Bfs(start, maxDepth, edgeType));

    internal static Results<Ok<NodeIdList>, BadRequestProblem, NotFoundProblem> Dfs(
        StoreHost host,
        [FromQuery, Description(StartDescription)] string start,
        [FromQuery(Name = "max_depth"), Description(MaxDepthDescription)] int? maxDepth,
        [FromQuery(Name = "edge_type"), Description("Follow only edges of exactly this type.")] string? edgeType,
        [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf) =>
        Traverse(host, start, maxDepth, asOf, g => g.Dfs(start, maxDepth, edgeType));

    internal static Results<Ok<NodeIdList>, BadRequestProblem, NotFoundProblem> Impact(
        StoreHost host,
        [FromQuery, Description("The node whose dependants to find.")] string start,
        [FromQuery(Name = "max_depth"), Description(MaxDepthDescription)] int? maxDepth,
        [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf) =>
        Traverse(host, start, maxDepth, asOf, g => g.ImpactAnalysis(start, maxDepth));

    internal static Results<Ok<PathResult>, NotFoundProblem> ShortestPath(
        StoreHost host,
        [FromQuery, Description("The node to start from.")] string from,
        [FromQuery, Description("The node to reach.")] string to,
        [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
    {
        var (missing, path) = host.Store.Read(asOf, g =>
            g.GetNode(from) is null ? (from, null) : g.GetNode(to) is null ? (to, null) : ((string?)null, g.ShortestPath(from, to)));
        return missing is not null ? ApiProblems.NotFound(NodesApi.NotFoundMessage(missing, asOf)) : TypedResults.Ok(new PathResult(path));
    }

    internal static Results<Ok<Subgraph>, BadRequestProblem, NotFoundProblem> Subgraph(
        StoreHost host,
        [FromQuery, Description(StartDescription)] string start,
        [FromQuery, Description("How many hops to go in either direction (default 1).")] int? hops,
        [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
    {
        if (hops is < 0) return ApiProblems.BadRequest($"hops must not be negative, got {hops}");
        var result = host.Store.Read(asOf, g =>
        {
            if (g.GetNode(start) is null) return null;
            var view = g.Subgraph(start, hops ?? 1);
            return new Subgraph(
                view.NodeIds.Select(g.GetNode).OfType<NodeView>().Select(Node.From).ToList(),
                view.EdgeIds.Select(g.GetEdge).OfType<EdgeView>().Select(Edge.From).ToList());
        });
        return result is null ? ApiProblems.NotFound(NodesApi.NotFoundMessage(start, asOf)) : TypedResults.Ok(result);
    }

    internal static Ok<TopologicalOrder> TopologicalSort(
        StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
    {
        var order = host.Store.Read(asOf, g => g.TopologicalSort());
        return TypedResults.Ok(new TopologicalOrder(order, order is null));
    }

    internal static Ok<CycleCheck> HasCycle(StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf) =>
        TypedResults.Ok(new CycleCheck(host.Store.Read(asOf, g => g.HasCycle())));

    internal static Results<Ok<PatternMatches>, BadRequestProblem> PatternMatch(
        PatternMatchRequest body, StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
    {
        if (body.MaxResults is < 0) return ApiProblems.BadRequest($"max_results must not be negative, got {body.MaxResults}");
        var matches = host.Store.Read(asOf, g => g.PatternMatch(body.TypeSequence, body.MaxResults ?? 1000));
        return TypedResults.Ok(new PatternMatches(matches));
    }

    private static Results<Ok<NodeIdList>, BadRequestProblem, NotFoundProblem> Traverse(
        StoreHost host, string start, int? maxDepth, AsOf? asOf, Func<IGraphReader, IReadOnlyList<string>> traverse)
    {
        if (maxDepth is < 0) return ApiProblems.BadRequest($"max_depth must not be negative, got {maxDepth}");
        var ids = host.Store.Read(asOf, g => g.GetNode(start) is null ? null : traverse(g));
        return ids is null ? ApiProblems.NotFound(NodesApi.NotFoundMessage(start, asOf)) : TypedResults.Ok(new NodeIdList(ids));
    }
}
