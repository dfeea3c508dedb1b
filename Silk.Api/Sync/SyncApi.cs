using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Silk.Api.Auth;
using Silk.Api.Diagnostics;
using Silk.Api.Hosting;
using Silk.Api.Ontology;
using Silk.Api.Peers;
using Silk.Api.Problems;
using Silk.Core.Entries;
using Silk.Core.Persistence;
using Silk.Core.Schema;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Api.Sync;

/// <summary>
/// The sync protocol over HTTP (SPEC §7): the original's MessagePack messages as request and answer
/// bodies, so that a peer speaking only the original's bytes is answered as the original would; compressed
/// both ways when the caller asks for it (<see cref="SyncCompression"/>).
/// </summary>
public static class SyncApi
{
    private const string CompressionDescription = " The body may be gzip- or br-encoded (Content-Encoding; its limits count the inflated bytes), and with Accept-Encoding: gzip or br the answer is compressed.";

    /// <summary>Query parameter of <c>POST /sync/offer</c> naming a node type to filter the payload to (repeated for several).</summary>
    public const string NodeTypesQuery = "node_types";

    /// <summary>The rule of the 409 a partial replica answers offers and snapshot requests with.</summary>
    public const string PartialReplicaRule = "partial_replica";

    private const string NodeTypesDescription =
        "Filtered sync: only entries concerning these node types (exact names; a parent type does not bring its subtypes), plus their ancestors. Repeat the parameter for several types. An empty name is a 400, a type the ontology does not define a 422.";

    private const string FilterDescription =
        " With `node_types` the payload is filtered as the original's `receive_filtered_sync_offer` does: `add_node` of those types, `add_edge` touching one of those nodes, `update_property`/`remove_node` of one, every `remove_edge`, `define_ontology`, `extend_ontology`, `checkpoint` and `define_lens`, then every ancestor of those within the payload, in the payload's order, with the same `need`. Without the delta header the wanted nodes are those added in the payload, byte for byte as the original; in delta mode they are every node of those types in this log (and their edges), so that updates of nodes the caller already has reach it. A partial replica (a server with `Silk:Peers:<i>:NodeTypes`) answers 409: its log is not the whole history.";

    private const string ModeDescription = "Send `X-Silk-Payload-Mode: delta` (Silk peers) for only what the caller certainly lacks; without it the answer follows the original's rule (every ancestor of what is sent, up to the caller's heads), which an original peer needs.";

    public static IEndpointRouteBuilder MapSyncApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sync").WithTags("Sync").RequireSilkRole(SilkRole.Peer);

        group.MapGet("/offer", GetOffer)
            .WithName("GetSyncOffer")
            .WithSummary("This store's sync offer")
            .WithDescription("The SyncOffer `[protocol_version, heads, bloom, physical_ms, logical]` in MessagePack; with `Accept: application/json`, a readable rendering (heads, clock, bloom dimensions).")
            .AlsoAnswersMsgPack();

        group.MapPost("/offer", AnswerOffer)
            .WithName("AnswerSyncOffer")
            .WithSummary("What the sender of an offer lacks")
            .WithDescription("Body: a peer's SyncOffer (MessagePack). Answer: the SyncPayload `[entries, need]` of what that peer lacks, parents first, in MessagePack (8-field entries for a protocol-1 offer, as silk-graph 0.2.4 reads them), or rendered as JSON with `Accept: application/json`. " + ModeDescription + FilterDescription + " A payload is cut to 100,000 entries and 64 MiB (a prefix in topological order; the next exchange sends the rest)." + CompressionDescription)
            .Accepts<MsgPackBytes>(SyncBody.MediaType)
            .WithSyncBody()
            .WithCompressedAnswer()
            .AlsoAnswersMsgPack();

        group.MapPost("/payload", MergePayload)
            .WithName("MergeSyncPayload")
            .WithCompressedAnswer()
            .WithSummary("Merge a peer's entries")
            .WithDescription("Body: a SyncPayload `[entries, need]` or a bare MessagePack list of entries (merge_entries_bytes). Merged atomically: every hash is checked first and any decoding or hash error refuses the whole message (400, 422) with nothing merged. Entries too far in the future or refused by the signature policy are dropped and listed. Without `X-Silk-Payload-Mode: delta` an entry whose parent is unknown refuses the message (422), as the original does; with it such entries are held back and their missing parents listed, to be sent next." + CompressionDescription)
            .Accepts<MsgPackBytes>(SyncBody.MediaType)
            .WithSyncBody();

        group.MapPost("/entries", GetEntries)
            .WithName("GetSyncEntries")
            .WithCompressedAnswer()
            .WithSummary("Entries by hash")
            .WithDescription("Body: a SyncPayload whose `need` lists the wanted hashes (its entries are ignored), e.g. the `missing_parents` a merge reported. Answer: a SyncPayload of those of them this store has, parents first. Unknown hashes are skipped." + CompressionDescription)
            .Accepts<MsgPackBytes>(SyncBody.MediaType)
            .WithSyncBody();

        group.MapGet("/ontology", GetOntologyFacts)
            .WithName("GetSyncOntology")
            .WithSummary("This store's ontology hash and fingerprint")
            .WithDescription("What a peer compares its own ontology with before each exchange (the verdict shows in its GET /peers); the same hash and fingerprint as GET /ontology, reachable with a peer key.");

        group.MapGet("/snapshot", GetSnapshot)
            .WithName("GetSyncSnapshot")
            .WithCompressedAnswer()
            .WithSummary("A snapshot of the whole log")
            .WithDescription("The Snapshot `[entries]` of every entry in topological order (MessagePack), streamed as it is encoded. A new peer can start from it (Silk:BootstrapFrom). The X-Silk-Entry-Count header gives the number of entries. A partial replica (a server with `Silk:Peers:<i>:NodeTypes`) answers 409 instead: a server started from its snapshot would lack the other types without knowing it. With Accept-Encoding: gzip or br it is compressed as it streams.");

        return app;
    }

    /// <summary>Documents the MessagePack form of a 200 whose JSON rendering the typed result already documents.</summary>
    private static RouteHandlerBuilder AlsoAnswersMsgPack(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is Microsoft.OpenApi.OpenApiResponse response)
            {
                response.Content ??= new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>();
                response.Content[SyncBody.MediaType] = new Microsoft.OpenApi.OpenApiMediaType
                {
                    Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary" },
                };
            }

            return Task.CompletedTask;
        });

    /// <summary>A MessagePack body, plain, gzip or br: 400 garbage, 413 over 64 MiB (inflated) or 100,000 entries, 415 not MessagePack or another coding, 503 store faulted.</summary>
    private static RouteHandlerBuilder WithSyncBody(this RouteHandlerBuilder builder) => builder
        .WithMetadata(SyncBodyMetadata.Instance)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    internal static Results<MsgPackResult, Ok<SyncOfferView>> GetOffer(HttpRequest request, StoreHost host)
    {
        var offer = host.Store.GenerateOffer();
        return SyncBody.WantsJson(request) ? TypedResults.Ok(SyncOfferView.From(offer)) : new MsgPackResult(offer.ToBytes());
    }

    internal static async Task<Results<MsgPackResult, Ok<SyncPayloadView>, BadRequestProblem, ConflictProblem, UnprocessableProblem>> AnswerOffer(
        HttpRequest request, StoreHost host, PeerDirectory peers,
        [FromQuery(Name = NodeTypesQuery), Description(NodeTypesDescription)] string[]? nodeTypes, CancellationToken cancellationToken)
    {
        if (PartialReplica(peers) is { } partial) return partial;
        var filter = nodeTypes is { Length: > 0 } ? nodeTypes : null;
        if (filter is not null && filter.Any(string.IsNullOrWhiteSpace))
        {
            return ApiProblems.BadRequest($"{NodeTypesQuery} names an empty node type; repeat the parameter once per type ({NodeTypesQuery}=a&{NodeTypesQuery}=b)");
        }

        var body = await SyncBody.ReadAsync(request, cancellationToken);
        SyncOffer offer;
        try
        {
            offer = SyncOffer.Decode(body);
        }
        catch (WireFormatException ex)
        {
            return ApiProblems.BadRequest(ex.Message);
        }

        if (filter is not null && host.Store.ReadGraph(g => filter.FirstOrDefault(t => !g.Ontology.NodeTypes.ContainsKey(t))) is { } unknown)
        {
            var problem = ApiProblems.Validation(StatusCodes.Status422UnprocessableEntity, new SchemaException(SchemaViolation.UnknownNodeType(unknown)));
            problem.Detail = $"{NodeTypesQuery}: {problem.Detail}";
            return new UnprocessableProblem(problem);
        }

        var form = offer.EntryFormForReply;
        var payload = Fit(host.Store.ComputePayload(offer, SyncBody.Mode(request), filter), form);
        return SyncBody.WantsJson(request) ? TypedResults.Ok(SyncPayloadView.From(payload)) : new MsgPackResult(payload.ToBytes(form));
    }

    internal static async Task<Results<Ok<SyncMergeResult>, BadRequestProblem, UnprocessableProblem, UnavailableProblem>> MergePayload(
        HttpRequest request, StoreHost host, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var body = await SyncBody.ReadAsync(request, cancellationToken);
        IReadOnlyList<Entry> entries;
        try
        {
            entries = DecodeEntries(body);
        }
        catch (WireFormatException ex)
        {
            return ApiProblems.BadRequest(ex.Message);
        }

        try
        {
            var hold = SyncBody.Mode(request) == PayloadMode.Delta;
            var result = await host.Store.MergeAsync(entries, hold, cancellationToken);
            if (result.Quarantined > 0)
            {
                var logger = logs.CreateLogger(StoreLog.Category);
                if (logger.IsEnabled(LogLevel.Information)) StoreLog.Quarantined(logger, result.Quarantined, result.Inserted, "POST /sync/payload");
            }

            return TypedResults.Ok(SyncMergeResult.From(result));
        }
        catch (SyncRejectedException ex)
        {
            return ApiProblems.Unprocessable("sync_rejected", $"{ex.Message}; nothing was merged", "Sync message refused");
        }
        catch (StoreFaultedException ex)
        {
            return ApiProblems.Unavailable(ex.Message);
        }
    }

    internal static async Task<Results<MsgPackResult, BadRequestProblem>> GetEntries(
        HttpRequest request, StoreHost host, CancellationToken cancellationToken)
    {
        var body = await SyncBody.ReadAsync(request, cancellationToken);
        SyncPayload wanted;
        try
        {
            wanted = SyncPayload.Decode(body);
        }
        catch (WireFormatException ex)
        {
            return ApiProblems.BadRequest(ex.Message);
        }

        return new MsgPackResult(Fit(host.Store.EntriesFor(wanted.Need), EntryForm.Current).ToBytes());
    }

    internal static Ok<OntologyFacts> GetOntologyFacts(StoreHost host)
    {
        var (ontology, hash) = host.Store.ReadGraph(g => (g.Ontology, g.OntologyHash));
        return TypedResults.Ok(OntologyTranslation.ToFacts(ontology, hash));
    }


    internal static Results<SnapshotStreamResult, ConflictProblem> GetSnapshot(StoreHost host, PeerDirectory peers) =>
        PartialReplica(peers) is { } partial ? partial : new SnapshotStreamResult(host.Store);

    /// <summary>
    /// The 409 of a partial replica to a request for its whole history (an offer's answer, a snapshot): what it holds
    /// is some node types of its peers' logs (and what their closure pulled in), so a peer that took it for complete
    /// would lack the rest without knowing it. Null on a full server.
    /// </summary>
    private static ConflictProblem? PartialReplica(PeerDirectory peers)
    {
        if (peers.PartialReplicaTypes is not { } types) return null;
        var conflict = ApiProblems.Conflict(
            $"this server is a partial replica: it pulls only node types {string.Join(", ", types.Select(t => $"'{t}'"))} from its peers (Silk:Peers:<i>:NodeTypes), so its log is not the whole history; sync with, or bootstrap from, a full peer instead",
            PartialReplicaRule);
        conflict.Value.Extensions["node_types"] = types;
        return conflict;
    }

    /// <summary>A SyncPayload <c>[entries, need]</c>, else a bare entry list; the payload's error is reported when neither reads.</summary>
    internal static IReadOnlyList<Entry> DecodeEntries(ReadOnlyMemory<byte> body)
    {
        try
        {
            return SyncPayload.Decode(body).Entries;
        }
        catch (WireFormatException payloadError)
        {
            try
            {
                return SyncPayload.DecodeEntryList(body);
            }
            catch (WireFormatException)
            {
                throw payloadError;
            }
        }
    }

    /// <summary>
    /// Cuts a payload to what a receiver accepts (100,000 entries, 64 MiB): a prefix in topological order,
    /// whose parents are all in the prefix or already at the receiver, so it merges; the rest follows in the next exchange.
    /// </summary>
    public static SyncPayload Fit(SyncPayload payload, EntryForm form)
    {
        var budget = (long)SyncLimits.MaxMessageBytes - 16 - (payload.Need.Count * 40L);
        var count = 0;
        long bytes = 0;
        foreach (var entry in payload.Entries)
        {
            bytes += entry.EncodedLength(form);
            if (count == SyncLimits.MaxEntries || bytes > budget) break;
            count++;
        }

        return count == payload.Entries.Count ? payload : payload with { Entries = payload.Entries.Take(count).ToList() };
    }
}
