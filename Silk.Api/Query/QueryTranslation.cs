using Silk.Api.Edges;
using Silk.Api.Nodes;
using Silk.Core.Query;

namespace Silk.Api.Query;

/// <summary>From the JSON query to the core's <see cref="GraphQuery"/>, and from its result to the response.</summary>
public static class QueryTranslation
{
    public const string Wildcard = "*";

    /// <summary>The core query, or an error message for the client.</summary>
    public static (GraphQuery? Query, string? Error) ToGraphQuery(QueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Edges is not null && (request.Nodes is not null || request.Subtype is not null))
        {
            return (null, "give either edges, or nodes and subtype, not both");
        }

        if (request.Limit is < 0) return (null, $"limit must not be negative, got {request.Limit}");
        QueryStart start = request.Edges is { } edgeType
            ? new EdgesStart(OrAll(edgeType))
            : new NodesStart(OrAll(request.Nodes), request.Subtype);

        var steps = new List<QueryStep>();
        var requested = request.Steps ?? [];
        for (var i = 0; i < requested.Count; i++)
        {
            var s = requested[i];
            if (s is null) return (null, $"steps[{i}] is null");
            var kinds = (s.Where is null ? 0 : 1) + (s.Follow is null ? 0 : 1) + (s.Limit is null ? 0 : 1);
            if (kinds != 1) return (null, $"steps[{i}] must have exactly one of where, follow or limit");
            if (s.Direction is not null && s.Follow is null) return (null, $"steps[{i}]: direction goes with follow");
            if (s.Limit is < 0) return (null, $"steps[{i}]: limit must not be negative, got {s.Limit}");
            steps.Add(s switch
            {
                { Where: { } where } => new WhereStep(where),
                { Follow: { } follow } => new FollowStep(OrAll(follow), s.Direction ?? EdgeDirection.Out),
                _ => new LimitStep(s.Limit!.Value),
            });
        }

        return (new GraphQuery(start, steps, request.Limit), null);
    }

    public static QueryResponse ToResponse(QueryResult result, QuerySelect select)
    {
        ArgumentNullException.ThrowIfNull(result);
        return select switch
        {
            QuerySelect.Count => new QueryResponse(result.Count),
            QuerySelect.Ids => new QueryResponse(result.Count, Ids: result.Ids),
            _ when result.IsEdges => new QueryResponse(result.Count, Edges: Edge.From(result.Edges!)),
            _ => new QueryResponse(result.Count, Nodes: Node.From(result.Nodes!)),
        };
    }

    private static string? OrAll(string? type) => type is null or Wildcard ? null : type;
}
