using Silk.Core.Graph;
using Silk.Core.Wire;

namespace Silk.Core.Query;

/// <summary>
/// The fluent builder of SPEC §19 over a graph reader (the live store's graph or a snapshot):
/// <c>QueryBuilder.Over(g).Nodes("server").Where(("status", "active")).Follow("RUNS").Collect()</c>.
/// Where/follow/limit before <see cref="Nodes"/> or <see cref="Edges"/> throw, as the original raises.
/// </summary>
public sealed class QueryBuilder
{
    private readonly IGraphReader _graph;
    private QueryStart? _start;
    private readonly List<QueryStep> _steps = [];

    private QueryBuilder(IGraphReader graph) => _graph = graph;

    public static QueryBuilder Over(IGraphReader graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new QueryBuilder(graph);
    }

    public QueryBuilder Nodes(string? nodeType = null, string? subtype = null)
    {
        _start = new NodesStart(nodeType, subtype);
        _steps.Clear();
        return this;
    }

    public QueryBuilder Edges(string? edgeType = null)
    {
        _start = new EdgesStart(edgeType);
        _steps.Clear();
        return this;
    }

    public QueryBuilder Where(params (string Key, Value Value)[] equals) => Step(new WhereStep(ValueMap.Of(equals)), "where");

    public QueryBuilder Follow(string? edgeType = null, EdgeDirection direction = EdgeDirection.Out) => Step(new FollowStep(edgeType, direction), "follow");

    public QueryBuilder Limit(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Step(new LimitStep(count), "limit");
    }

    /// <summary>The query built so far, as data.</summary>
    public GraphQuery ToGraphQuery() =>
        new(_start ?? throw new InvalidOperationException("Call .Nodes() or .Edges() first"), [.. _steps]);

    public QueryResult Run() => QueryRunner.Run(_graph, ToGraphQuery());

    public IReadOnlyList<NodeView> Collect() => Run().Nodes ?? [];

    public IReadOnlyList<EdgeView> CollectEdges() => Run().Edges ?? [];

    public IReadOnlyList<string> CollectIds() => Run().Ids;

    public int Count() => Run().Count;

    private QueryBuilder Step(QueryStep step, string name)
    {
        if (_start is null) throw new InvalidOperationException($"Call .Nodes() or .Edges() before .{char.ToUpperInvariant(name[0])}{name[1..]}()");
        _steps.Add(step);
        return this;
    }
}
