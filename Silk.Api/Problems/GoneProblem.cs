using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Silk.Api.Problems;

/// <summary>410: what the request names existed once and is gone for good (e.g. a tail cursor whose entries were compacted away).</summary>
public sealed class GoneProblem(ProblemDetails problem) : ProblemResult<ProblemDetails>(problem, StatusCodes.Status410Gone), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Document(builder, StatusCodes.Status410Gone);
}
