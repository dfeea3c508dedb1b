using System.ComponentModel;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Silk.Api.Auth;
using Silk.Api.Diagnostics;
using Silk.Api.Hosting;
using Silk.Api.Problems;

namespace Silk.Api.Import;

/// <summary>
/// <c>POST /import</c>: bulk loading from NDJSON of any size, streamed, in durable chunks, skipping invalid lines.
/// <c>POST /batch</c> is the all-or-stop counterpart bounded by one request body.
/// </summary>
public static class ImportApi
{
    public const int DefaultChunkLines = 5_000;
    public const int MaxChunkLines = 100_000;

    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/import", Import)
            .RequireSilkRole(SilkRole.Write)
            .WithTags("Batch")
            .WithName("ImportNdjson")
            .WithSummary("Bulk import from NDJSON, streamed, in durable chunks")
            .WithDescription("NDJSON (`application/x-ndjson`, one operation per line, the shapes of POST /batch), read as it arrives with bounded memory, so the body has no size limit; only each line is bounded (Silk:MaxBodyBytes). "
                + "Operations are applied in order in chunks of `chunk_lines` lines, each chunk sharing durable commits. An invalid line (malformed, too long, or refused by the ontology or a value limit) is skipped and reported with its line number and problem; the import goes on. "
                + "The answer counts what happened and gives `last_committed_line`: every line up to it is durable or skipped. Each chunk is logged (event 3020) and counted (`silk.import.lines`); a running import is in GET /info's operations (`import`, in body bytes). "
                + "An interrupted import (the connection lost) keeps its committed chunks: the server log (event 3021) names the last committed line; resume with `from_line` set to the line after it.")
            // Another Content-Type is refused before the handler runs (415); a JSON array goes to POST /batch.
            .Accepts<string>("application/x-ndjson", "application/ndjson", "application/jsonl")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    internal static async Task<Results<Ok<ImportResult>, BadRequestProblem>> Import(
        HttpRequest request,
        StoreHost host,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        IOptions<SilkOptions> silk,
        ImportMetrics metrics,
        ILoggerFactory loggers,
        [FromQuery(Name = "from_line"), Description("The first line to apply (from 1, the default); the lines before it are read and passed over. Resume an interrupted import with its last committed line + 1.")] int? fromLine,
        [FromQuery(Name = "chunk_lines"), Description("Lines per chunk (1 to 100000, default 5000): each chunk's operations share durable commits, and each chunk is logged.")] int? chunkLines,
        CancellationToken cancellationToken)
    {
        if (fromLine is < 1) return ApiProblems.BadRequest($"from_line must be 1 or more, got {fromLine}");
        if (chunkLines is < 1 or > MaxChunkLines) return ApiProblems.BadRequest($"chunk_lines must be from 1 to {MaxChunkLines}, got {chunkLines}");

        // Streamed: only each line is bounded, not the body.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;

        var logger = loggers.CreateLogger(StoreLog.Category);
        using var progress = host.Operations.Start("import", request.ContentLength ?? 0);
        var import = new NdjsonImport(host.Store, json.Value.SerializerOptions, metrics, logger, progress);
        var lines = new NdjsonLineReader(request.BodyReader, (int)Math.Min(int.MaxValue, silk.Value.MaxBodyBytes));
        return TypedResults.Ok(await import.RunAsync(lines, fromLine ?? 1, chunkLines ?? DefaultChunkLines, cancellationToken));
    }

}
