using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Silk.Api.Auth;
using Silk.Api.Hosting;
using Silk.Api.Problems;
using Silk.Api.TimeTravel;
using Silk.Core.Query;

namespace Silk.Api.Query;

/// <summary><c>POST /query</c>: the fluent query builder (SPEC §19) as JSON.</summary>
public static class QueryApi
{
    public static IEndpointRouteBuilder MapQueryApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/query", RunQuery)
            .RequireSilkRole(SilkRole.Read)
            .WithTags("Query")
            .WithName("RunQuery")
            .WithSummary("Run a fluent query")
            .WithDescription("Example: `{\"nodes\":\"server\",\"steps\":[{\"where\":{\"status\":\"active\"}},{\"follow\":\"RUNS\",\"direction\":\"out\"}],\"limit\":100,\"select\":\"nodes\"}` finds what active servers run. `where` compares kind and value (1 is not 1.0).")
            .WithJsonBody();
        return app;
    }

    internal static Results<Ok<QueryResponse>, BadRequestProblem> RunQuery(
        QueryRequest body, StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf)
    {
        var (query, error) = QueryTranslation.ToGraphQuery(body);
        if (query is null) return ApiProblems.BadRequest(error!);
        var result = host.Store.Read(asOf, g => QueryRunner.Run(g, query));
        return TypedResults.Ok(QueryTranslation.ToResponse(result, body.Select));
    }
}
