using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Silk.Api.Auth;
using Silk.Api.Hosting;
using Silk.Api.Limits;
using Silk.Api.Problems;
using Silk.Core.Log;
using Silk.Core.Store;
using Silk.Core.Tail;
using Silk.Core.Wire;

namespace Silk.Api.Tail;

/// <summary>
/// <c>GET /tail</c>: the log's changes past a cursor, exactly once across calls (decision D4), as a long poll
/// (JSON) or as Server-Sent Events (<c>Accept: text/event-stream</c>). Waiting holds no thread: it is the
/// store's bell. Conventions follow CouchDB's <c>_changes</c> feed.
/// </summary>
public static class TailApi
{
    public const string LastEventIdHeader = "Last-Event-ID";

    public static IEndpointRouteBuilder MapTailApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tail", GetTail)
            .RequireSilkRole(SilkRole.Read)
            .AllowQueryAccessToken()
            .WithTags("Tail")
            .WithName("GetTail")
            .WithSummary("Follow the log (long poll or Server-Sent Events)")
            .WithDescription(
                "Entries past `cursor` (or the last `last` entries and what follows), each delivered exactly once across calls, also when an answer is cut at max_count. "
                + "Long poll (default, `application/json`): answers at once when entries are there, else waits up to timeout_ms for one; "
                + "`{\"events\":[…],\"cursor\":[…],\"up_to_date\":bool}`, an empty `events` with the same cursor on timeout. "
                + "Send the returned `cursor` next time. "
                + "Server-Sent Events (`Accept: text/event-stream`): `retry:` first, then `event: entry` per entry with `id:` = the cursor "
                + "after it and `data:` = the event JSON, `event: up-to-date` (data `{\"cursor\":[…]}`) when caught up, a comment line as "
                + "heartbeat (Silk:Tail:HeartbeatSeconds, default 15 s); the stream stays open until the client leaves, and resumes from "
                + "`Last-Event-ID` (which wins over `cursor`). A client that does not read is disconnected after Silk:Tail:SlowConsumerSeconds "
                + "and resumes from its last id with nothing lost. "
                + "A cursor naming an entry the store no longer holds (compacted away) is 410: re-bootstrap by tailing from the beginning.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The stream is the same 200 in another media type; its events' data is described by TailEvent.
                if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
                {
                    response.Description = "The events: as one JSON answer (long poll), or as a stream (Accept: text/event-stream).";
                    response.Content ??= new Dictionary<string, OpenApiMediaType>();
                    response.Content[TailEventStream.MediaType] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.String,
                            Description = "Server-Sent Events. `event: entry`: `id` = the cursor after the entry, `data` = a TailEvent as JSON "
                                + "(the same objects as `events` of the JSON answer). `event: up-to-date`: `id` = the cursor, `data` = `{\"cursor\":[…]}`. "
                                + "Lines starting with `:` are heartbeats.",
                        },
                        Example = JsonValue.Create(
                            "retry: 2000\n\nevent: entry\nid: <cursor after this entry>\ndata: {\"hash\":\"…\",\"op\":\"add_node\",…}\n\n"
                            + "event: up-to-date\nid: <cursor>\ndata: {\"cursor\":[\"…\"]}\n\n: heartbeat\n\n"),
                    };
                }

                return Task.CompletedTask;
            });
        return app;
    }

    internal static async Task<Results<Ok<TailResponse>, TailEventStream, BadRequestProblem, GoneProblem, TooManyRequestsProblem>> GetTail(
        HttpContext context,
        StoreHost host,
        TailStreams streams,
        SharedTailReads reads,
        [FromQuery(Name = "cursor"), Description(TailQuery.CursorDescription)] string? cursor,
        [FromQuery(Name = "timeout_ms"), Description(TailQuery.TimeoutDescription)] int? timeoutMs,
        [FromQuery(Name = "max_count"), Description(TailQuery.MaxCountDescription)] int? maxCount,
        [FromQuery(Name = "types"), Description(TailQuery.TypesDescription)] string? types,
        [FromQuery(Name = "last"), Description(TailQuery.LastDescription)] int? last,
        [FromHeader(Name = LastEventIdHeader), Description("Event streams: the id of the last event received; resumes after it and wins over `cursor` (browsers send it when they reconnect).")] string? lastEventId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stream = WantsEventStream(context.Request);
        if (stream && ReserveStream(context, streams) is { } refused) return refused;
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var result = await Tail(host, streams, reads, stream, cursor, timeoutMs, maxCount, types, last, lastEventId, stopping, cancellationToken);
        return result.Result switch
        {
            Ok<TailResponse> ok => ok,
            TailEventStream events => events,
            BadRequestProblem bad => bad,
            GoneProblem gone => gone,
            _ => throw new InvalidOperationException("unexpected tail result"),
        };
    }

    /// <summary>
    /// Holds one of the caller's stream places (Silk:Limits:MaxStreamsPerCaller) until the response ends; a 429 when the
    /// caller holds them all. Callers without a key on this machine are not counted (see <see cref="SilkCaller.PartitionOf"/>).
    /// </summary>
    private static TooManyRequestsProblem? ReserveStream(HttpContext context, TailStreams streams)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<SilkLimitsOptions>>().Value;
        if (limits.MaxStreamsPerCaller <= 0 || SilkCaller.PartitionOf(context, limits.LimitLoopback) is not { } caller) return null;
        if (streams.TryReserve(caller, limits.MaxStreamsPerCaller) is not { } reservation)
        {
            return LimitsSetup.TooMany(context, 5,
                $"This caller already holds {limits.MaxStreamsPerCaller} open event streams (setting Silk:Limits:MaxStreamsPerCaller); close one first.");
        }

        context.Response.RegisterForDispose(reservation);
        return null;
    }

    private static async Task<Results<Ok<TailResponse>, TailEventStream, BadRequestProblem, GoneProblem>> Tail(
        StoreHost host,
        TailStreams streams,
        SharedTailReads reads,
        bool stream,
        string? cursor,
        int? timeoutMs,
        int? maxCount,
        string? types,
        int? last,
        string? lastEventId,
        CancellationToken stopping,
        CancellationToken cancellationToken)
    {
        var (timeout, timeoutError) = TailQuery.Timeout(timeoutMs);
        if (timeoutError is not null) return ApiProblems.BadRequest(timeoutError);
        var (batchSize, countError) = TailQuery.MaxCount(maxCount);
        if (countError is not null) return ApiProblems.BadRequest(countError);
        var (filter, typesError) = TailQuery.Types(types);
        if (typesError is not null) return ApiProblems.BadRequest(typesError);
        var (lastCount, lastError) = TailQuery.Last(last, cursor);
        if (lastError is not null) return ApiProblems.BadRequest(lastError);

        var store = host.Store;
        var fromHeader = stream && !string.IsNullOrWhiteSpace(lastEventId);
        string? cursorError = null;
        var start = !fromHeader && lastCount is { } count
            ? store.CursorBeforeLast(count)
            : ResolveCursor(store, fromHeader ? lastEventId : cursor, out cursorError);
        if (start is null) return ApiProblems.BadRequest(fromHeader ? $"{LastEventIdHeader}: {cursorError}" : cursorError!);

        var subscription = new TailSubscription(reads, start);
        try
        {
            if (stream)
            {
                // One read before answering, so that a stale cursor is a 410 rather than a broken stream.
                var first = await subscription.NextBatchAsync(TimeSpan.Zero, batchSize, cancellationToken);
                return new TailEventStream(subscription, first, start, batchSize, filter);
            }

            // A shutdown answers a waiting poll at once (nothing new, cursor unchanged) rather than holding the stop up.
            using (streams.OpenLongPoll())
            using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping))
            {
                return TypedResults.Ok(await LongPollAsync(subscription, timeout, batchSize, filter, waiting.Token));
            }
        }
        catch (TailCursorStaleException stale)
        {
            subscription.Dispose();
            return Stale(stale);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            // The client left (nobody reads this), or the server is stopping (the client polls again from this cursor).
            subscription.Dispose();
            return TypedResults.Ok(new TailResponse([], Hex(subscription.Cursor), false));
        }
        finally
        {
            if (!stream) subscription.Dispose();
        }
    }

    /// <summary>
    /// Reads until there is an event to answer with or the timeout passes. Entries the filter leaves out still
    /// move the cursor, so the wait goes on past them without delivering them again.
    /// </summary>
    private static async Task<TailResponse> LongPollAsync(
        TailSubscription subscription, TimeSpan timeout, int maxCount, OpFilter? filter, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var remaining = timeout - TimeProvider.System.GetElapsedTime(started);
            if (remaining < TimeSpan.Zero) remaining = TimeSpan.Zero;
            var batch = await subscription.NextBatchAsync(remaining, maxCount, cancellationToken);
            var events = batch.Entries.Where(e => filter?.Includes(e) ?? true).Select(TailEvent.From).ToList();
            if (events.Count > 0 || remaining == TimeSpan.Zero)
            {
                return new TailResponse(events, Hex(batch.Cursor), batch.UpToDate);
            }
        }
    }

    private static GoneProblem Stale(TailCursorStaleException stale)
    {
        var problem = ApiProblems.Create(
            StatusCodes.Status410Gone,
            $"the cursor names entry {stale.Missing.ToHex()}, which this store does not hold (the log was compacted, or the cursor comes "
            + "from another store). Re-bootstrap: drop what was built from this tail and tail again from the beginning (empty cursor); "
            + "after a compaction the first event is the checkpoint holding the whole live state.",
            "Stale cursor");
        problem.Extensions["missing"] = stale.Missing.ToHex();
        return new GoneProblem(problem);
    }

    /// <summary>The start cursor: <c>now</c> = the store's acknowledged frontier; else parsed hex (empty = the beginning). Null on malformed input.</summary>
    private static IReadOnlyList<Hash>? ResolveCursor(GraphStore store, string? text, out string? error)
    {
        error = null;
        if (string.Equals(text?.Trim(), TailQuery.Now, StringComparison.Ordinal)) return store.CurrentCursor;
        return TailQuery.TryParseCursor(text, out var cursor, out error) ? cursor : null;
    }

    private static bool WantsEventStream(HttpRequest request)
    {
        foreach (var accept in request.Headers.Accept)
        {
            if (accept?.Contains(TailEventStream.MediaType, StringComparison.OrdinalIgnoreCase) == true) return true;
        }

        return false;
    }

    private static List<string> Hex(IReadOnlyList<Hash> cursor) => cursor.Select(h => h.ToHex()).ToList();
}
