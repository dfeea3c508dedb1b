using Silk.Api.Edges;
using Silk.Api.Nodes;
using Silk.Core.Query;
using Silk.Core.Wire;

namespace Silk.Api.Query;

/// <summary>From the JSON query to the core's <see cref="GraphQuery"/>, and from its result to the response.</summary>
public static class QueryTranslation
{
    public const string Wildcard = "*";

    /// <summary>The core query; a <see cref="SelectorException"/> names what is wrong and where (a JSON pointer into the body).</summary>
    public static GraphQuery ToGraphQuery(QueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Edges is not null && (request.Nodes is not null || request.Subtype is not null))
        {
            throw new SelectorException("/edges", "give either edges, or nodes and subtype, not both");
        }

        if (request.Limit is < 0) throw new SelectorException("/limit", $"must not be negative, got {request.Limit}");
        if (request.Skip is < 0) throw new SelectorException("/skip", $"must not be negative, got {request.Skip}");
        QueryStart start = request.Edges is { } edgeType
            ? new EdgesStart(OrAll(edgeType))
            : new NodesStart(OrAll(request.Nodes), request.Subtype);
        var target = request.Edges is null ? QueryTarget.Nodes : QueryTarget.Edges;
        var where = request.Where is { } selector ? SelectorParser.Parse(selector, target, "/where") : null;

        var steps = new List<QueryStep>();
        var requested = request.Steps ?? [];
        for (var i = 0; i < requested.Count; i++)
        {
            var path = $"/steps/{i}";
            var s = requested[i] ?? throw new SelectorException(path, "is null");
            var kinds = (s.Where is null ? 0 : 1) + (s.Follow is null ? 0 : 1) + (s.Limit is null ? 0 : 1);
            if (kinds != 1) throw new SelectorException(path, "must have exactly one of where, follow or limit");
            if (s.Direction is not null && s.Follow is null) throw new SelectorException($"{path}/direction", "goes with follow");
            if (s.Limit is < 0) throw new SelectorException($"{path}/limit", $"must not be negative, got {s.Limit}");
            steps.Add(s switch
            {
                { Where: { } stepWhere } => new WhereStep(SelectorParser.Parse(stepWhere, target, $"{path}/where")),
                { Follow: { } follow } => new FollowStep(OrAll(follow), s.Direction ?? EdgeDirection.Out),
                _ => new LimitStep(s.Limit!.Value),
            });
            if (s.Follow is not null) target = QueryTarget.Nodes;
        }

        return new GraphQuery(start, steps, request.Limit)
        {
            Where = where,
            Sort = SortKeys(request.Sort, target),
            Skip = request.Skip ?? 0,
            After = request.After is { } after ? QueryCursor.Decode(after, "/after") : null,
            GroupBy = request.GroupCount is { } by ? GroupField(by, target) : null,
        };
    }

    /// <summary>Each key a name (ascending) or <c>{"name": "asc"|"desc"}</c>.</summary>
    private static List<SortKey> SortKeys(IReadOnlyList<Value>? sort, QueryTarget target)
    {
        var keys = new List<SortKey>();
        if (sort is null) return keys;
        for (var i = 0; i < sort.Count; i++)
        {
            var path = $"/sort/{i}";
            var key = sort[i];
            if (key.Kind == ValueKind.String && key.AsString.Length > 0)
            {
                keys.Add(new SortKey(QueryField.Of(key.AsString, target)));
                continue;
            }

            if (key.Kind != ValueKind.Map || key.AsMap.Count != 1)
            {
                throw new SelectorException(path, "a sort key is a field or property name, or {\"name\": \"asc\"} / {\"name\": \"desc\"}");
            }

            var (name, direction) = key.AsMap.First();
            if (direction.Kind != ValueKind.String || direction.AsString is not ("asc" or "desc"))
            {
                throw new SelectorException(SelectorException.Child(path, name), "the direction is \"asc\" or \"desc\"");
            }

            keys.Add(new SortKey(QueryField.Of(name, target), direction.AsString == "desc"));
        }

        return keys;
    }

    private static QueryField GroupField(string name, QueryTarget target) =>
        name.Length == 0 ? throw new SelectorException("/group_count", "names a field or property") : QueryField.Of(name, target);

    public static QueryResponse ToResponse(QueryResult result, QueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(request);
        var response = request.Select switch
        {
            QuerySelect.Count => new QueryResponse(result.Count),
            QuerySelect.Ids => new QueryResponse(result.Count, Ids: result.Ids),
            _ when result.IsEdges => new QueryResponse(result.Count, Edges: Project(Edge.From(result.Edges!), request.Fields)),
            _ => new QueryResponse(result.Count, Nodes: Project(Node.From(result.Nodes!), request.Fields)),
        };
        return response with
        {
            Next = result.Next?.Encode(),
            Groups = result.Groups?.Select(g => new QueryGroup(g.Value, g.Count)).ToList(),
            Explain = request.Explain == true ? Explanation(result) : null,
        };
    }

    public static QueryExplanation Explanation(QueryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plan = result.Plan;
        return new QueryExplanation(plan.Strategy, plan.Index, plan.IndexUse, plan.CandidatesExamined, plan.Note, result.Count);
    }

    private static IReadOnlyList<Node> Project(IReadOnlyList<Node> nodes, IReadOnlyList<string>? fields) =>
        fields is null ? nodes : nodes.Select(n => n with { Properties = Keep(n.Properties, fields) }).ToList();

    private static IReadOnlyList<Edge> Project(IReadOnlyList<Edge> edges, IReadOnlyList<string>? fields) =>
        fields is null ? edges : edges.Select(e => e with { Properties = Keep(e.Properties, fields) }).ToList();

    private static ValueMap Keep(ValueMap properties, IReadOnlyList<string> fields) =>
        ValueMap.From(properties.Where(p => fields.Contains(p.Key, StringComparer.Ordinal)));

    private static string? OrAll(string? type) => type is null or Wildcard ? null : type;

    /// <summary>A <c>where=</c> query value (URL-encoded JSON) as a selector; a <see cref="SelectorException"/> says where it is wrong.</summary>
    public static Selector ParseWhereParameter(string text, QueryTarget target)
    {
        ArgumentNullException.ThrowIfNull(text);
        Value value;
        try
        {
            value = ValueJson.Parse(text);
        }
        catch (Exception ex) when (ex is WireFormatException || ValueJson.IsParseFailure(ex))
        {
            throw new SelectorException("", $"is not JSON: {ex.Message}");
        }

        if (value.Kind != ValueKind.Map) throw new SelectorException("", "a selector is a JSON object");
        return SelectorParser.Parse(value.AsMap, target);
    }
}
