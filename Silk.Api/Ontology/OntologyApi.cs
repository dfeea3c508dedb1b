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

/// <summary>The ontology: read it (as of now or a past clock), extend it.</summary>
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
            .WithDescription("The resolved ontology: the genesis definition with every extension merged in.")
            .WithQueryProblems();

        writes.MapPost("/extensions", ExtendOntology)
            .WithName("ExtendOntology")
            .WithSummary("Extend the ontology")
            .WithDescription("Writes an extend_ontology entry: new types, new optional properties, relaxed required properties, new subtypes, more endpoint types. Entries quarantined under the old ontology are judged again. A change that breaks an existing rule, or changes nothing, is refused (422).")
            .WithJsonBody();

        return app;
    }

    internal static Ok<OntologyDefinition> GetOntology(StoreHost host, [FromQuery(Name = AsOf.QueryName), Description(AsOf.Description)] AsOf? asOf) =>
        TypedResults.Ok(OntologyTranslation.ToDefinition(host.Store.Read(asOf, g => g.Ontology)));

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
