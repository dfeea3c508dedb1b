using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Silk.Api.Auth;
using Silk.Api.Hosting;
using Silk.Api.Problems;
using Silk.Api.TimeTravel;
using Silk.Api.Writes;
using Silk.Core.Schema;

namespace Silk.Api.Ontology;

/// <summary>The ontology: read it (as of now or a past clock), compare another with it, extend it.</summary>
public static class OntologyApi
{
    public static IEndpointRouteBuilder MapOntologyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ontology").WithTags("Ontology");
        var reads = group.MapGroup("").RequireSilkRole(SilkRole.Read);
        var writes = group.MapGroup("").RequireSilkRole(SilkRole.Write);

        reads.MapGet("", GetOntology)
            .WithName("GetOntology")
            .WithSummary("Read the ontology")
            .WithDescription("The resolved ontology: the genesis definition with every extension merged in, with its content hash and fingerprint (its sorted facts).")
            .WithQueryProblems();

        reads.MapPost("/compatibility", CheckCompatibility)
            .WithName("CheckOntologyCompatibility")
            .WithSummary("Compare another ontology with this one")
            .WithDescription("Body: another store's ontology hash and fingerprint (as GET /ontology gives them). Answer: identical (same hash, or same facts), superset (this store has every fact of the other, and more), subset (the other has every fact of this one, and more) or divergent. Advisory: sync never consults it.")
            .WithJsonBody();

        writes.MapPost("/extensions", ExtendOntology)
            .WithName("ExtendOntology")
            .WithSummary("Extend the ontology")
            .WithDescription("Writes an extend_ontology entry: new types, new optional properties, relaxed required properties, new subtypes, more endpoint types. Entries quarantined under the old ontology are judged again. A change that breaks an existing rule, or changes nothing, is refused (422).")
            .WithJsonBody();

        return app;
    }

    internal static Ok<OntologyDefinition> GetOntology(StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf) =>
        TypedResults.Ok(OntologyTranslation.ToDefinition(host.Store.Read(asOf, g => g.Ontology)));

    internal static Results<Ok<CompatibilityVerdict>, BadRequestProblem> CheckCompatibility(OntologyFacts body, StoreHost host)
    {
        if (!Silk.Core.Wire.Hash.TryParseHex(body.Hash, out _)) return ApiProblems.BadRequest($"hash must be 64 hex digits, got '{Shorten(body.Hash)}'");
        var (ontology, hash) = host.Store.ReadGraph(g => (g.Ontology, g.OntologyHash));
        return TypedResults.Ok(new CompatibilityVerdict(OntologyRules.CheckCompatibility(ontology, body.Hash, body.Fingerprint), hash.ToHex()));
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;

    internal static async Task<Results<Created<WriteResult>, UnprocessableProblem>> ExtendOntology(
        OntologyExtensionRequest body, StoreHost host, CancellationToken cancellationToken)
    {
        try
        {
            var hash = await host.Store.ExtendOntologyAsync(OntologyTranslation.ToExtension(body), cancellationToken);
            return TypedResults.Created("/ontology", new WriteResult(hash.ToHex()));
        }
        catch (ValidationException ex)
        {
            return ApiProblems.Unprocessable(ex);
        }
    }
}
