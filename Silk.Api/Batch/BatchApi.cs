using System.Buffers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Silk.Api.Auth;
using Silk.Api.Hosting;
using Silk.Api.Problems;
using Silk.Core.Schema;

namespace Silk.Api.Batch;

/// <summary><c>POST /batch</c>: many operations in order, as the original's OperationBuffer drain.</summary>
public static class BatchApi
{
    public static IEndpointRouteBuilder MapBatchApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/batch", ApplyBatch)
            .RequireSilkRole(SilkRole.Write)
            .WithTags("Batch")
            .WithName("ApplyBatch")
            .WithSummary("Apply a batch of operations")
            .WithDescription("A JSON array of operations, or NDJSON (`application/x-ndjson`, one operation per line). The whole body is read first: a malformed one is refused (400) and nothing is applied. Then the operations are applied in order through the same validation as single writes, sharing durable commits; the batch stops at the first refused operation (409 for a missing edge endpoint, 422 for a rule), keeping the ones before it, and the problem says how many were applied and why it stopped.")
            .Accepts<IReadOnlyList<BatchOperation>>("application/json", "application/x-ndjson")
            .WithJsonBody();
        return app;
    }

    internal static async Task<Results<Ok<BatchResult>, BadRequestProblem, BatchStoppedProblem>> ApplyBatch(
        HttpRequest request, StoreHost host, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        if (!BatchBodyReader.IsSupported(request.ContentType))
        {
            throw new BadHttpRequestException(
                $"Expected a batch as {string.Join(" or ", BatchBodyReader.MediaTypes)}, got '{request.ContentType}'.",
                StatusCodes.Status415UnsupportedMediaType);
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        var (operations, error) = BatchBodyReader.Parse(body, json.Value.SerializerOptions);
        if (operations is null) return ApiProblems.BadRequest(error!);

        var result = await host.Store.DrainAsync(operations.Select(o => o.ToGraphOp()).ToList(), cancellationToken);
        var hashes = result.Applied.Select(h => h.ToHex()).ToList();
        if (result.Complete) return TypedResults.Ok(new BatchResult(hashes.Count, hashes));

        var conflict = ApiProblems.IsConflict(result.Error!);
        var stopped = new BatchStopped
        {
            Status = conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity,
            Title = "Batch stopped",
            Detail = $"operation {result.FailedIndex} was refused: {result.Error!.Message}; the {hashes.Count} operations before it were applied",
            Applied = hashes.Count,
            FailedIndex = result.FailedIndex!.Value,
            Rule = result.Error.Rule,
            Hashes = hashes,
        };
        if (result.Error is ValueLimitException limit)
        {
            stopped.Extensions["limit"] = limit.Limit;
            stopped.Extensions["limit_value"] = limit.Bound;
        }

        return new BatchStoppedProblem(stopped, stopped.Status.Value);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and < int.MaxValue ? (int)request.ContentLength.Value : 4096);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0) break;
            buffer.Advance(read);
        }

        return buffer.WrittenMemory;
    }
}
