using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Silk.Api.Auth;
using Silk.Api.Problems;

namespace Silk.Api.Signing;

/// <summary>
/// Administration of signing (SPEC §8): this server's key, the authors it trusts, strict mode. One route
/// group, so that access control can be put on all of it at once.
/// </summary>
public static class SigningApi
{
    public static RouteGroupBuilder MapSigningApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/signing").WithTags("Signing").RequireSilkRole(SilkRole.Admin);

        group.MapGet("", GetSigning)
            .WithName("GetSigning")
            .WithSummary("Signing on this server")
            .WithDescription("Whether local entries are signed (and the public key), whether strict mode is on, and how many authors are trusted.");

        group.MapGet("/key", GetPublicKey)
            .WithName("GetPublicKey")
            .WithSummary("This server's public key")
            .WithDescription("The ed25519 public key local entries are signed with; 404 when no key is set. The private key is never returned.");

        group.MapPost("/key", GenerateKey)
            .WithName("GenerateSigningKey")
            .WithSummary("Generate a new signing key")
            .WithDescription("Creates a random ed25519 key, stores it in the key file (owner-only; Silk:Signing:KeyPath, default signing.key in the data folder), and signs every local entry with it from now on. Replaces an earlier key. The answer is the public key.");

        group.MapPut("/key", SetKey)
            .WithName("SetSigningKey")
            .WithSummary("Set the signing key")
            .WithDescription("Uses the given ed25519 private key (32-byte seed, 64 hex) from now on, stored in the key file as above. The answer is the public key; the private key is never returned or logged.")
            .WithJsonBody();

        group.MapGet("/authors", ListAuthors)
            .WithName("ListTrustedAuthors")
            .WithSummary("Trusted authors")
            .WithDescription("The authors whose signatures are checked on entries arriving by sync, with their public keys, in author id order.");

        group.MapPut("/authors/{author_id}", TrustAuthor)
            .WithName("TrustAuthor")
            .WithSummary("Trust an author's key")
            .WithDescription("Registers (or replaces) the public key of an author. Its entries arriving by sync must then carry a valid signature by that key; in strict mode only such entries are accepted. Kept across restarts.")
            .WithJsonBody();

        group.MapDelete("/authors/{author_id}", DistrustAuthor)
            .WithName("DistrustAuthor")
            .WithSummary("Stop trusting an author")
            .WithDescription("Removes the author's key; the answer is what was removed.");

        group.MapPut("/strict", SetStrict)
            .WithName("SetStrictMode")
            .WithSummary("Turn strict mode on or off")
            .WithDescription("In strict mode, entries arriving by sync that are unsigned or signed by an author not trusted here are dropped (the sync answer lists them with the reason); define_ontology entries are exempt. Kept across restarts.")
            .WithJsonBody();

        return group;
    }

    internal static Ok<SigningStatus> GetSigning(SigningService signing) =>
        TypedResults.Ok(new SigningStatus(signing.PublicKey, signing.RequireSignatures, signing.TrustedAuthors.Count));

    internal static Results<Ok<PublicKeyView>, NotFoundProblem> GetPublicKey(SigningService signing) =>
        signing.PublicKey is { } key ? TypedResults.Ok(new PublicKeyView(key)) : ApiProblems.NotFound("no signing key is set: POST /signing/key generates one, PUT /signing/key sets one");

    internal static Ok<PublicKeyView> GenerateKey(SigningService signing) => TypedResults.Ok(new PublicKeyView(signing.GenerateKey()));

    internal static Results<Ok<PublicKeyView>, BadRequestProblem> SetKey(PrivateKeyBody body, SigningService signing)
    {
        try
        {
            return TypedResults.Ok(new PublicKeyView(signing.SetKey(body.PrivateKey)));
        }
        catch (ArgumentException ex)
        {
            return ApiProblems.BadRequest($"private_key: {ex.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    internal static Ok<TrustedAuthorList> ListAuthors(SigningService signing) =>
        TypedResults.Ok(new TrustedAuthorList(signing.TrustedAuthors.Select(a => new TrustedAuthorView(a.Key, a.Value)).ToList()));

    internal static Results<Ok<TrustedAuthorView>, BadRequestProblem> TrustAuthor(
        [FromRoute(Name = "author_id"), Description("The author: the instance id that writes the entries.")] string authorId, AuthorKeyBody body, SigningService signing)
    {
        if (SigningService.ValidateAuthorId(authorId) is { } problem) return ApiProblems.BadRequest(problem);
        try
        {
            return TypedResults.Ok(new TrustedAuthorView(authorId, signing.TrustAuthor(authorId, body.PublicKey)));
        }
        catch (ArgumentException ex)
        {
            return ApiProblems.BadRequest($"public_key: {ex.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    internal static Results<Ok<TrustedAuthorView>, NotFoundProblem> DistrustAuthor(
        [FromRoute(Name = "author_id")] string authorId, SigningService signing) =>
        signing.DistrustAuthor(authorId) is { } key ? TypedResults.Ok(new TrustedAuthorView(authorId, key)) : ApiProblems.NotFound($"author '{authorId}' is not trusted");

    internal static Ok<SigningStatus> SetStrict(StrictModeBody body, SigningService signing)
    {
        signing.SetRequireSignatures(body.RequireSignatures);
        return GetSigning(signing);
    }
}
