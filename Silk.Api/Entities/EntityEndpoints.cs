using Microsoft.AspNetCore.Http.HttpResults;
using Silk.Api.Hosting;
using Silk.Api.Problems;
using Silk.Api.TimeTravel;
using Silk.Api.Writes;
using Silk.Core.Graph;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Api.Entities;

/// <summary>
/// What the handlers shared by nodes and edges need to know of one of them: its name in messages, how to read it
/// (now, or from a graph as of a clock), its answer type, and how to remove it.
/// </summary>
internal sealed record EntityKind<TView, TAnswer>(
    string Name,
    Func<IGraphReader, string, TView?> Read,
    Func<TView, TAnswer> Answer,
    Func<Core.Store.GraphStore, string, CancellationToken, Task<Hash>> RemoveAsync)
    where TView : class
{
    public string NotFoundMessage(string id, AsOf? asOf) =>
        asOf is { } at ? $"{Name} '{id}' did not exist at {at}" : $"{Name} '{id}' not found";
}

/// <summary>GET, PATCH and DELETE of one node or edge, the same for both; <c>NodesApi</c> and <c>EdgesApi</c> map and document them.</summary>
internal static class EntityEndpoints
{
    public static Results<Ok<TAnswer>, NotFoundProblem> Get<TView, TAnswer>(EntityKind<TView, TAnswer> kind, string id, StoreHost host, AsOf? asOf)
        where TView : class
    {
        var view = host.Store.Read(asOf, g => kind.Read(g, id));
        return view is null ? ApiProblems.NotFound(kind.NotFoundMessage(id, asOf)) : TypedResults.Ok(kind.Answer(view));
    }

    /// <summary>Sets the properties (all checked first); answers the entity as it is then, with the entry hashes.</summary>
    public static async Task<Results<Ok<TUpdated>, BadRequestProblem, NotFoundProblem, UnprocessableProblem>> UpdateAsync<TView, TAnswer, TUpdated>(
        EntityKind<TView, TAnswer> kind, string id, PropertiesPatch body, StoreHost host, Func<TAnswer, IReadOnlyList<string>, TUpdated> updated, CancellationToken cancellationToken)
        where TView : class
    {
        if (body.Properties.Count == 0) return ApiProblems.BadRequest("properties must name at least one property to set");
        var store = host.Store;
        if (store.Read(null, g => kind.Read(g, id)) is null) return ApiProblems.NotFound(kind.NotFoundMessage(id, null));
        try
        {
            var hashes = await store.UpdatePropertiesAsync(id, body.Properties, cancellationToken);
            return store.Read(null, g => kind.Read(g, id)) is { } view
                ? TypedResults.Ok(updated(kind.Answer(view), hashes.Select(h => h.ToHex()).ToList()))
                : ApiProblems.NotFound($"{kind.Name} '{id}' was removed while it was being updated");
        }
        catch (ValidationException ex)
        {
            return ApiProblems.Unprocessable(ex);
        }
    }

    public static async Task<Results<Ok<WriteResult>, NotFoundProblem>> RemoveAsync<TView, TAnswer>(EntityKind<TView, TAnswer> kind, string id, StoreHost host, CancellationToken cancellationToken)
        where TView : class
    {
        var store = host.Store;
        if (store.Read(null, g => kind.Read(g, id)) is null) return ApiProblems.NotFound(kind.NotFoundMessage(id, null));
        var hash = await kind.RemoveAsync(store, id, cancellationToken);
        return TypedResults.Ok(new WriteResult(hash.ToHex()));
    }
}
