using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Silk.Core.Entries;
using Silk.Core.Log;
using Silk.Core.Tail;
using Silk.Core.Wire;

namespace Silk.Api.Tail;

/// <summary>
/// <c>GET /tail</c> as a <c>text/event-stream</c>, written by hand over the response's <see cref="PipeWriter"/>
/// (the framework's SSE helper sends no heartbeats). The stream is:
/// <list type="bullet">
/// <item><c>retry: …</c> first;</item>
/// <item><c>event: entry</c> per delivered entry, <c>id:</c> the cursor right after it (comma-separated hex),
/// <c>data:</c> the <see cref="TailEvent"/> JSON;</item>
/// <item><c>event: up-to-date</c> (with <c>id:</c> and <c>data: {"cursor":[…]}</c>) when the stream catches up, and again
/// after entries the <c>types</c> filter left out, so that the last id always names the stream's position;</item>
/// <item>a comment line after <see cref="TailOptions.HeartbeatSeconds"/> without output.</item>
/// </list>
/// It runs until the client leaves, the server stops, or <see cref="TailStreams.EndAllStreams"/>. Once caught up, an
/// unfiltered stream is fed by the <see cref="TailHub"/> (one read and one encoding for all such streams) until the hub
/// hands it back. Otherwise the stream reads the log itself (the log is the buffer), so a slow client holds back nobody: at most
/// <see cref="TailOptions.BufferBytes"/> wait in front of the server's response buffer, and when that stays full
/// for <see cref="TailOptions.SlowConsumerSeconds"/> the connection is ended; the client resumes from its last id.
/// </summary>
public sealed class TailEventStream : IResult, IStatusCodeHttpResult
{
    public const string MediaType = "text/event-stream";

    private static ReadOnlySpan<byte> Heartbeat => ": heartbeat\n\n"u8;

    private readonly TailSubscription _subscription;
    private readonly TailBatch _first;
    private readonly IReadOnlyList<Hash> _start;
    private readonly int _maxCount;
    private readonly OpFilter? _filter;

    internal TailEventStream(TailSubscription subscription, TailBatch first, IReadOnlyList<Hash> start, int maxCount, OpFilter? filter)
    {
        _subscription = subscription;
        _first = first;
        _start = start;
        _maxCount = maxCount;
        _filter = filter;
    }

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var services = httpContext.RequestServices;
        var streams = services.GetRequiredService<TailStreams>();
        using var registration = streams.OpenStream();
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(
            httpContext.RequestAborted, registration.Ending, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        var writer = new Writer(
            httpContext, services.GetRequiredService<IOptions<TailOptions>>().Value, streams,
            services.GetRequiredService<TailEventJson>(), _filter, _start, ending.Token);
        var hub = _filter is null ? services.GetService<TailHub>() : null;
        await writer.RunAsync(_subscription, _first, _maxCount, hub, services.GetRequiredService<SharedTailReads>());
    }

    /// <summary>One stream's state: where its client is, and what it has been sent.</summary>
    private sealed class Writer(
        HttpContext context, TailOptions options, TailStreams streams, TailEventJson json, OpFilter? filter,
        IReadOnlyList<Hash> start, CancellationToken ending)
    {
        private readonly PipeWriter _out = context.Response.BodyWriter;
        private readonly CursorTrack _track = new(start);
        private long _lastOutput = Stopwatch.GetTimestamp();
        private int _unflushed;

        /// <summary>The client's last id names the stream's position (nothing was skipped since).</summary>
        private bool _idCurrent;

        /// <summary>The stream has said up-to-date since it last fell behind.</summary>
        private bool _caughtUp;

        public async Task RunAsync(TailSubscription subscription, TailBatch first, int maxCount, TailHub? hub, SharedTailReads reads)
        {
            try
            {
                var response = context.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = MediaType;
                response.Headers.CacheControl = "no-cache";
                response.Headers["X-Accel-Buffering"] = "no";
                context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

                Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"retry: {options.RetryMs}\n\n")));
                if (!await WriteBatchAsync(first) || !await FlushAsync()) return;

                var heartbeat = options.Heartbeat;
                var nextJoin = 0L;
                while (!ending.IsCancellationRequested)
                {
                    // Caught up, unfiltered, and the client's last id is the cursor: let the hub feed this stream.
                    if (hub is not null && _caughtUp && _idCurrent && Stopwatch.GetTimestamp() >= nextJoin)
                    {
                        var handback = await FedByHubAsync(hub, subscription.Cursor);
                        if (handback is null)
                        {
                            nextJoin = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
                        }
                        else
                        {
                            if (handback.TooSlow)
                            {
                                streams.CountSlowConsumerEnd();
                                context.Abort();
                                return;
                            }

                            if (handback.Ended) return;
                            nextJoin = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
                            subscription.Dispose();
                            subscription = new TailSubscription(reads, handback.Cursor);
                            _track.Reset(handback.Cursor);
                            _lastOutput = handback.LastOutput;
                            if (handback.PendingFlush is { } pending && !await AwaitFlushAsync(pending, handback.FlushStarted)) return;
                            if (!await WriteChunksAsync(handback.Unwritten) || (_unflushed > 0 && !await FlushAsync())) return;
                            continue;
                        }
                    }

                    var wait = heartbeat - Stopwatch.GetElapsedTime(_lastOutput);
                    if (wait <= TimeSpan.Zero)
                    {
                        Write(Heartbeat);
                        if (!await FlushAsync()) return;
                        continue;
                    }

                    if (hub is not null && _caughtUp && _idCurrent)
                    {
                        // Wake in time to try the hub again.
                        var joinIn = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), nextJoin);
                        if (joinIn < wait) wait = joinIn > TimeSpan.Zero ? joinIn : TimeSpan.FromMilliseconds(1);
                    }

                    TailBatch batch;
                    try
                    {
                        batch = await subscription.NextBatchAsync(wait, maxCount, ending);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    catch (TailCursorStaleException)
                    {
                        // Compacted under the stream: end it; the client's reconnect is answered 410 (re-bootstrap).
                        return;
                    }

                    if (!await WriteBatchAsync(batch)) return;
                    if (_unflushed > 0 && !await FlushAsync()) return;
                }
            }
            finally
            {
                subscription.Dispose();
            }
        }

        /// <summary>
        /// Hands the output to the hub while it feeds this stream; null when the hub does not take it now. When the
        /// stream ends meanwhile, takes the output back first (the hub must not write to a finished response).
        /// </summary>
        private async Task<TailHub.Handback?> FedByHubAsync(TailHub hub, IReadOnlyList<Hash> cursor)
        {
            TailHub.Member? member;
            try
            {
                member = await hub.Join(_out, cursor, _lastOutput, ending);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            if (member is null) return null;
            try
            {
                return await member.Returned.WaitAsync(ending);
            }
            catch (OperationCanceledException)
            {
                hub.Leave(member);
                return new TailHub.Handback(cursor, null, 0, ReadOnlyMemory<byte>.Empty, Ended: true, TooSlow: false, _lastOutput);
            }
        }

        private async ValueTask<bool> WriteChunksAsync(ReadOnlyMemory<byte> bytes)
        {
            for (var offset = 0; offset < bytes.Length; offset += options.BufferBytes)
            {
                Write(bytes.Span.Slice(offset, Math.Min(options.BufferBytes, bytes.Length - offset)));
                if (_unflushed >= options.BufferBytes && !await FlushAsync()) return false;
            }

            return true;
        }

        /// <summary>Writes a batch's events (flushing whenever the buffer bound is reached); false when the stream is over.</summary>
        private async ValueTask<bool> WriteBatchAsync(TailBatch batch)
        {
            var entries = batch.Entries;
            if (entries.Count > 0 && filter is null)
            {
                // Unfiltered: the same bytes for every stream that read this batch from the same cursor (shared reads).
                var frames = json.Frames(entries, _track);
                for (var offset = 0; offset < frames.Length; offset += options.BufferBytes)
                {
                    Write(frames.AsSpan(offset, Math.Min(options.BufferBytes, frames.Length - offset)));
                    if (_unflushed >= options.BufferBytes && !await FlushAsync()) return false;
                }

                streams.CountEvents(entries.Count);
                _idCurrent = true;
            }
            else
            {
                var sent = 0;
                foreach (var entry in entries)
                {
                    _track.Advance(entry);
                    if (filter is not null && !filter.Includes(entry))
                    {
                        _idCurrent = false;
                        continue;
                    }

                    _unflushed += SseFrames.Entry(_out, _track.Current, json.Utf8(entry));
                    _idCurrent = true;
                    sent++;
                    if (_unflushed >= options.BufferBytes && !await FlushAsync())
                    {
                        streams.CountEvents(sent);
                        return false;
                    }
                }

                streams.CountEvents(sent);
            }

            _track.Reset(batch.Cursor);
            if (!batch.UpToDate)
            {
                _caughtUp = false;
            }
            else if (!_caughtUp || !_idCurrent)
            {
                _unflushed += SseFrames.UpToDate(_out, batch.Cursor);
                _idCurrent = true;
                _caughtUp = true;
            }

            return true;
        }

        private void Write(ReadOnlySpan<byte> bytes)
        {
            _out.Write(bytes);
            _unflushed += bytes.Length;
        }

        /// <summary>
        /// Hands what was written to the connection. False when the stream is over: the client left, or its buffer
        /// stayed full for the slow-consumer limit (then the connection is aborted and counted).
        /// </summary>
        private ValueTask<bool> FlushAsync()
        {
            _unflushed = 0;
            _lastOutput = Stopwatch.GetTimestamp();
            streams.CountWrite();
            ValueTask<FlushResult> flush;
            try
            {
                flush = _out.FlushAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                return ValueTask.FromResult(false);
            }

            return flush.IsCompletedSuccessfully ? ValueTask.FromResult(Goes(flush.Result)) : AwaitFlushAsync(flush.AsTask(), Stopwatch.GetTimestamp());
        }

        /// <summary>Waits for a flush (started at <paramref name="started"/>) under the slow-consumer limit; false when the stream is over.</summary>
        private async ValueTask<bool> AwaitFlushAsync(Task<FlushResult> flush, long started)
        {
            try
            {
                var left = options.SlowConsumer - Stopwatch.GetElapsedTime(started);
                var result = await flush.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, ending);
                _lastOutput = Stopwatch.GetTimestamp();
                return Goes(result);
            }
            catch (TimeoutException)
            {
                streams.CountSlowConsumerEnd();
                context.Abort();
                return false;
            }
            catch (OperationCanceledException) when (ending.IsCancellationRequested)
            {
                // Ending while the client's buffer is full: there is no clean end to write.
                context.Abort();
                return false;
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                return false;
            }
        }

        /// <summary>The connection still takes output.</summary>
        private static bool Goes(FlushResult result) => !result.IsCompleted && !result.IsCanceled;
    }
}
