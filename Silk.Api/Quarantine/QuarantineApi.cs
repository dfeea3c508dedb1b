using Microsoft.AspNetCore.Http.HttpResults;
using Silk.Api.Auth;
using Silk.Api.Hosting;

namespace Silk.Api.Quarantine;

/// <summary>An entry kept in the log but left out of the graph because it broke a rule.</summary>
/// <param name="Hash">The entry's hash.</param>
/// <param name="Op">Its operation tag.</param>
/// <param name="Reason">The rule it broke.</param>
/// <param name="OntologyHash">Hash of the ontology it was judged against.</param>
public sealed record QuarantinedEntry(string Hash, string Op, string Reason, string OntologyHash);

/// <summary>The quarantined entries, in hash order.</summary>
/// <param name="Items">The entries.</param>
public sealed record QuarantineList(IReadOnlyList<QuarantinedEntry> Items);

/// <summary>The outcome of a revalidation.</summary>
/// <param name="Released">How many entries left quarantine.</param>
/// <param name="Remaining">How many are still quarantined.</param>
public sealed record RevalidationResult(int Released, int Remaining);

/// <summary>Quarantine: what was left out and why; judge it again.</summary>
public static class QuarantineApi
{
    public static IEndpointRouteBuilder MapQuarantineApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/quarantine").WithTags("Quarantine");
        var reads = group.MapGroup("").RequireSilkRole(SilkRole.Read);
        var writes = group.MapGroup("").RequireSilkRole(SilkRole.Write);

        reads.MapGet("", GetQuarantine)
            .WithName("GetQuarantine")
            .WithSummary("Quarantined entries with reasons");

        writes.MapPost("/revalidate", Revalidate)
            .WithName("RevalidateQuarantine")
            .WithSummary("Judge every entry again")
            .WithDescription("Re-evaluates the whole log against the current ontology; returns how many entries left quarantine.");

        return app;
    }

    internal static Ok<QuarantineList> GetQuarantine(StoreHost host) =>
        TypedResults.Ok(new QuarantineList(host.Store.Quarantined()
            .Select(q => new QuarantinedEntry(q.Hash.ToHex(), q.OpKind, q.Reason, q.OntologyHash.ToHex()))
            .ToList()));

    internal static Ok<RevalidationResult> Revalidate(StoreHost host)
    {
        var released = host.Store.Revalidate();
        return TypedResults.Ok(new RevalidationResult(released, host.Store.Quarantined().Count));
    }
}
