using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Silk.Api.Auth;
using Silk.Api.Hosting;
using Silk.Api.Problems;
using Silk.Api.TimeTravel;
using Silk.Core.Wire;

namespace Silk.Api.Oplog;

/// <summary>Reads of the operation log: single entries, heads, provenance of an id, integrity.</summary>
public static class OplogApi
{
    public static IEndpointRouteBuilder MapOplogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Oplog").RequireSilkRole(SilkRole.Read);

        group.MapGet("/entries/{hash}", GetEntry)
            .WithName("GetEntry")
            .WithSummary("Read an entry")
            .WithDescription("The entry with this hash: payload, parents, clock, author and signature.")
            .WithQueryProblems();

        group.MapGet("/heads", GetHeads)
            .WithName("GetHeads")
            .WithSummary("Current heads of the log");

        group.MapGet("/nodes/{id}/history", GetNodeHistory)
            .WithName("GetNodeHistory")
            .WithSummary("Entries that touched a node")
            .WithDescription("Every entry whose operation names the node (including as an edge endpoint), parents first (entries_affecting).")
            .WithQueryProblems();

        group.MapGet("/edges/{id}/history", GetEdgeHistory)
            .WithName("GetEdgeHistory")
            .WithSummary("Entries that touched an edge")
            .WithDescription("Every entry whose operation names the edge, parents first (entries_affecting).")
            .WithQueryProblems();

        group.MapGet("/integrity", VerifyIntegrity)
            .WithName("VerifyIntegrity")
            .WithSummary("Verify the log")
            .WithDescription("Recomputes every hash and checks parents and heads (verify_integrity).");

        return app;
    }

    internal static Results<Ok<LogEntry>, BadRequestProblem, NotFoundProblem> GetEntry(
        [Description("The entry's hash, 64 hex characters.")] string hash, StoreHost host)
    {
        if (!Hash.TryParseHex(hash, out var parsed)) return ApiProblems.BadRequest($"'{hash}' is not a hash (64 hex characters)");
        return host.Store.GetEntry(parsed) is { } entry
            ? TypedResults.Ok(LogEntry.From(entry))
            : ApiProblems.NotFound($"no entry {hash}");
    }

    internal static Ok<HeadList> GetHeads(StoreHost host) =>
        TypedResults.Ok(new HeadList(host.Store.Heads.Select(h => h.ToHex()).ToList()));

    internal static Results<Ok<LogEntryList>, NotFoundProblem> GetNodeHistory(
        [Description("The node's id (URL-encoded in the path).")] string id, StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf) =>
        History(host, id, "node", asOf);

    internal static Results<Ok<LogEntryList>, NotFoundProblem> GetEdgeHistory(
        [Description("The edge's id (URL-encoded in the path).")] string id, StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf) =>
        History(host, id, "edge", asOf);

    internal static Ok<IntegrityReport> VerifyIntegrity(StoreHost host)
    {
        var errors = host.Store.VerifyIntegrity();
        return TypedResults.Ok(new IntegrityReport(errors.Count == 0, errors));
    }

    private static Results<Ok<LogEntryList>, NotFoundProblem> History(StoreHost host, string id, string kind, AsOf? asOf)
    {
        var entries = host.Store.EntriesAffecting(id)
            .Where(e => asOf is not { } at || e.Clock.IsAtOrBefore(at.PhysicalMs, at.Logical))
            .Select(LogEntry.From)
            .ToList();
        return entries.Count == 0
            ? ApiProblems.NotFound(asOf is { } cut ? $"no entry names {kind} '{id}' up to {cut}" : $"no entry names {kind} '{id}'")
            : TypedResults.Ok(new LogEntryList(entries));
    }
}
