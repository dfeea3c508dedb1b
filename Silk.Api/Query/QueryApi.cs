using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Silk.Api.Auth;
using Silk.Api.Hosting;
using Silk.Api.Problems;
using Silk.Api.TimeTravel;
using Silk.Core.Query;

namespace Silk.Api.Query;

/// <summary><c>POST /query</c>: the fluent query builder (SPEC §19) as JSON, with Mango-like selectors; <c>POST /query/explain</c>: how it runs.</summary>
public static class QueryApi
{
    public static IEndpointRouteBuilder MapQueryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/query").WithTags("Query").RequireSilkRole(SilkRole.Read);
        group.MapPost("", RunQuery)
            .WithName("RunQuery")
            .WithSummary("Run a query")
            .WithDescription("Example: `{\"nodes\":\"server\",\"where\":{\"status\":\"active\",\"cpu\":{\"$gte\":0.5}},\"steps\":[{\"follow\":\"RUNS\",\"direction\":\"out\"}],\"sort\":[{\"name\":\"desc\"}],\"fields\":[\"name\"],\"limit\":100}` finds what busy active servers run. Selectors: plain values are equalities of kind and value (1 is not 1.0); operators `$eq $ne $gt $gte $lt $lte $in $nin $exists $prefix $contains $regex $not` on fields (`node_id`, `node_type`, `subtype`, `label`; edges: `edge_id`, `edge_type`, `source_id`, `target_id`) and properties, and `$and $or $not` over selectors. A bad selector is a 400 whose `pointer` names where it is wrong. An index on the start type serves `where` (see GET /indexes).")
            .WithJsonBody();
        group.MapPost("/explain", ExplainQuery)
            .WithName("ExplainQuery")
            .WithSummary("Explain a query")
            .WithDescription("Runs the query and says how its start items were found: the index read (and for what: equality, in, range, prefix) or a scan, and how many candidates it examined.")
            .WithJsonBody();
        return app;
    }

    internal static Results<Ok<QueryResponse>, BadRequestProblem> RunQuery(
        QueryRequest body, StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
    {
        try
        {
            var query = QueryTranslation.ToGraphQuery(body);
            var result = host.Store.Read(asOf, g => QueryRunner.Run(g, query));
            return TypedResults.Ok(QueryTranslation.ToResponse(result, body));
        }
        catch (SelectorException ex)
        {
            return ApiProblems.BadRequest(ex);
        }
    }

    internal static Results<Ok<QueryExplanation>, BadRequestProblem> ExplainQuery(
        QueryRequest body, StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
    {
        try
        {
            var query = QueryTranslation.ToGraphQuery(body);
            var result = host.Store.Read(asOf, g => QueryRunner.Run(g, query));
            return TypedResults.Ok(QueryTranslation.Explanation(result));
        }
        catch (SelectorException ex)
        {
            return ApiProblems.BadRequest(ex);
        }
    }
}
