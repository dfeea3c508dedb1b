using System.ComponentModel;
using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Silk.Api.Auth;
using Silk.Api.Problems;

namespace Silk.Api.Peers;

/// <summary>Body of <c>PUT /peers/{peer_id}</c>.</summary>
/// <param name="Address">The peer's base URL, e.g. http://127.0.0.1:5081.</param>
public sealed record PeerAddress(string Address);

/// <summary>502: the peer could not be synced with (unreachable, timed out, circuit open, or it refused).</summary>
public sealed class BadGatewayProblem(ProblemDetails problem) : ProblemResult<ProblemDetails>(problem, StatusCodes.Status502BadGateway), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status502BadGateway);
}

/// <summary>The gossip peers of this server and syncing with them on demand.</summary>
public static class PeersApi
{
    public static IEndpointRouteBuilder MapPeersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/peers").WithTags("Peers").RequireSilkRole(SilkRole.Admin);

        group.MapGet("", ListPeers)
            .WithName("ListPeers")
            .WithSummary("Known peers and their sync state")
            .WithDescription("Every peer in id order with its address, the time of the last successful exchange (which the compaction safety check reads), the last error, consecutive failures and entries exchanged since this server started.");

        group.MapPut("/{peer_id}", PutPeer)
            .WithName("PutPeer")
            .WithSummary("Add a peer or change its address")
            .WithDescription("Registers the peer (kept across restarts). Changing the address of a known peer resets its sync state.")
            .WithJsonBody();

        group.MapDelete("/{peer_id}", DeletePeer)
            .WithName("DeletePeer")
            .WithSummary("Forget a peer")
            .WithDescription("Removes the peer from the list (and from gossip and the compaction safety check); the answer is its last state.");

        group.MapPost("/{peer_id}/sync", SyncPeer)
            .WithName("SyncPeer")
            .WithSummary("Sync with one peer now")
            .WithDescription("One bidirectional exchange (pull, push, and rounds for missing parents) with the peer, as a gossip round does. 502 when it fails; the failure is also in the peer's state.");

        app.MapPost("/sync/run", RunRound)
            .RequireSilkRole(SilkRole.Admin)
            .WithTags("Sync")
            .WithName("RunGossipRound")
            .WithSummary("Run one gossip round now")
            .WithDescription("Picks ⌈ln N + 1⌉ of the N peers (all when N ≤ 2) as a background round does and syncs with each; the answer lists each exchange's outcome.");

        return app;
    }

    internal static Ok<PeerList> ListPeers(PeerDirectory peers) => TypedResults.Ok(new PeerList(peers.List()));

    internal static Results<Ok<PeerView>, BadRequestProblem> PutPeer(
        [FromRoute(Name = "peer_id"), Description("The name to know the peer by.")] string peerId, PeerAddress body, PeerDirectory peers)
    {
        if (PeerDirectory.Validate(peerId, body.Address) is { } problem) return ApiProblems.BadRequest(problem);
        return TypedResults.Ok(peers.Register(peerId, body.Address));
    }

    internal static Results<Ok<PeerView>, NotFoundProblem> DeletePeer(
        [FromRoute(Name = "peer_id")] string peerId, PeerDirectory peers) =>
        peers.Get(peerId) is { } peer && peers.Remove(peerId) ? TypedResults.Ok(peer) : ApiProblems.NotFound($"no peer '{peerId}'");

    internal static async Task<Results<Ok<PeerSyncOutcome>, NotFoundProblem, BadGatewayProblem>> SyncPeer(
        [FromRoute(Name = "peer_id")] string peerId, PeerSync sync, CancellationToken cancellationToken)
    {
        var outcome = await sync.SyncAsync(peerId, cancellationToken);
        if (outcome is null) return ApiProblems.NotFound($"no peer '{peerId}'");
        if (outcome.Ok) return TypedResults.Ok(outcome);
        var problem = ApiProblems.Create(StatusCodes.Status502BadGateway, $"sync with peer '{peerId}' failed: {outcome.Error}", "Peer sync failed");
        problem.Extensions["peer_id"] = peerId;
        return new BadGatewayProblem(problem);
    }

    internal static async Task<Ok<GossipRoundResult>> RunRound(PeerSync sync, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sync.RunRoundAsync(cancellationToken));
}
