using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Silk.Api.Auth;
using Silk.Api.Hosting;
using Silk.Api.Problems;
using Silk.Storage;
using StoredObservation = Silk.Storage.Observation;

namespace Silk.Api.Observations;

/// <summary>One time-series sample.</summary>
/// <param name="TimestampMs">When it was recorded (ms since the Unix epoch, server clock).</param>
/// <param name="Source">What it measures.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Metadata">Free-form string labels.</param>
public sealed record Observation(long TimestampMs, string Source, double Value, IReadOnlyDictionary<string, string> Metadata)
{
    public static Observation From(StoredObservation o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new Observation(o.TimestampMs, o.Source, o.Value, o.Metadata);
    }
}

/// <summary>Body of <c>POST /observations</c>.</summary>
/// <param name="Source">What it measures (at most 65,535 UTF-8 bytes).</param>
/// <param name="Value">The measured value.</param>
/// <param name="Metadata">Free-form string labels.</param>
public sealed record ObservationRequest(string Source, double Value, IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>Samples of one source, oldest first.</summary>
/// <param name="Items">The samples.</param>
public sealed record ObservationList(IReadOnlyList<Observation> Items);

/// <summary>The sources that have samples.</summary>
/// <param name="Sources">Their names, in ordinal order.</param>
public sealed record SourceList(IReadOnlyList<string> Sources);

/// <summary>
/// The observation log (SPEC §17): local time-series samples next to the store, never synced, pruned
/// after <c>Silk:ObservationMaxAgeSeconds</c>.
/// </summary>
public static class ObservationsApi
{
    public static IEndpointRouteBuilder MapObservationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/observations").WithTags("Observations");
        var reads = group.MapGroup("").RequireSilkRole(SilkRole.Read);
        var writes = group.MapGroup("").RequireSilkRole(SilkRole.Write);

        writes.MapPost("", Append)
            .WithName("AppendObservation")
            .WithSummary("Record a sample")
            .WithDescription("Stamps the sample with the server's time (ms). Two samples of one source in the same millisecond are both kept.")
            .WithJsonBody();

        reads.MapGet("", Query)
            .WithName("QueryObservations")
            .WithSummary("Samples of a source")
            .WithDescription("Samples of one source with since ≤ timestamp (≤ until when given), oldest first.")
            .WithQueryProblems();

        reads.MapGet("/latest", Latest)
            .WithName("GetLatestObservation")
            .WithSummary("Newest sample of a source")
            .WithQueryProblems();

        reads.MapGet("/sources", Sources)
            .WithName("ListObservationSources")
            .WithSummary("Sources that have samples");

        return app;
    }

    internal static Results<Created<Observation>, BadRequestProblem, UnprocessableProblem> Append(ObservationRequest body, StoreHost host)
    {
        if (!double.IsFinite(body.Value))
        {
            // The reader turns 1e999 into infinity, which JSON cannot carry back out.
            return ApiProblems.BadRequest($"value must be a finite number, got {body.Value}");
        }

        if (body.Metadata?.FirstOrDefault(p => p.Value is null) is { Key: { } nullKey })
        {
            return ApiProblems.BadRequest($"metadata['{nullKey}'] is null; metadata values are strings");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(body.Source) > ObservationLog.MaxSourceBytes)
        {
            return ApiProblems.Unprocessable(new Core.Schema.ValidationException("value_limit", $"a source name is at most {ObservationLog.MaxSourceBytes} UTF-8 bytes"));
        }

        var sample = host.Observations.Append(body.Source, body.Value, body.Metadata);
        return TypedResults.Created($"/observations?source={Uri.EscapeDataString(sample.Source)}&since={sample.TimestampMs}", Observation.From(sample));
    }

    internal static Results<Ok<ObservationList>, BadRequestProblem> Query(
        StoreHost host,
        [FromQuery, Description("The source.")] string source,
        [FromQuery, Description("Only samples at or after this time (ms since the Unix epoch); default 0.")] long? since,
        [FromQuery, Description("Only samples at or before this time (ms).")] long? until)
    {
        if (until is { } u && u < (since ?? 0)) return ApiProblems.BadRequest($"until ({u}) is before since ({since ?? 0})");
        var samples = host.Observations.Query(source, since ?? 0, until);
        return TypedResults.Ok(new ObservationList(samples.Select(Observation.From).ToList()));
    }

    internal static Results<Ok<Observation>, NotFoundProblem> Latest(StoreHost host, [FromQuery, Description("The source.")] string source) =>
        host.Observations.Latest(source) is { } sample
            ? TypedResults.Ok(Observation.From(sample))
            : ApiProblems.NotFound($"no sample of source '{source}'");

    internal static Ok<SourceList> Sources(StoreHost host) => TypedResults.Ok(new SourceList(host.Observations.Sources()));
}
