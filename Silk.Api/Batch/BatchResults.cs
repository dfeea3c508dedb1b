using Microsoft.AspNetCore.Mvc;

namespace Silk.Api.Batch;

/// <summary>A batch applied completely.</summary>
/// <param name="Applied">How many operations were applied (all of them).</param>
/// <param name="Hashes">The entry hash of each operation, in order.</param>
public sealed record BatchResult(int Applied, IReadOnlyList<string> Hashes);

/// <summary>
/// A batch that stopped at an operation the store refused: the operations before it are applied (and
/// durable), it and those after it are not. The problem's <c>detail</c> says why.
/// </summary>
public sealed class BatchStopped : ProblemDetails
{
    /// <summary>How many operations were applied before the batch stopped.</summary>
    public required int Applied { get; init; }

    /// <summary>Position (from 0) of the operation that was refused.</summary>
    public required int FailedIndex { get; init; }

    /// <summary>The rule that refused it.</summary>
    public required string Rule { get; init; }

    /// <summary>The entry hashes of the applied operations, in order.</summary>
    public required IReadOnlyList<string> Hashes { get; init; }
}

/// <summary>The answer for a stopped batch: 409 when an edge endpoint was missing, 422 when a rule refused the operation.</summary>
public sealed class BatchStoppedProblem(BatchStopped problem, int statusCode)
    : Problems.ProblemResult<BatchStopped>(problem, statusCode), Microsoft.AspNetCore.Http.Metadata.IEndpointMetadataProvider
{
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder)
    {
        Document(builder, StatusCodes.Status409Conflict);
        Document(builder, StatusCodes.Status422UnprocessableEntity);
    }
}
