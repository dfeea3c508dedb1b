using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Silk.Api.Tail;

/// <summary>
/// The open tail requests of this server: gauges of open SSE streams and waiting long polls (also published
/// as the <c>Silk.Tail</c> meter), a count of streams ended because their client read too slowly, and
/// <see cref="EndAllStreams"/>, which ends every open stream cleanly (clients reconnect and resume).
/// </summary>
public sealed class TailStreams : IDisposable
{
    public const string MeterName = "Silk.Tail";

    private readonly ConcurrentDictionary<long, CancellationTokenSource> _streams = new();
    private readonly Dictionary<string, int> _perCaller = new(StringComparer.Ordinal);
    private readonly Meter? _meter;
    private long _nextId;
    private long _openLongPolls;
    private long _slowConsumerEnds;
    private long _eventsSent;
    private long _writes;

    public TailStreams(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName);
        if (_meter is null) return;
        _meter.CreateObservableUpDownCounter("silk.tail.open_streams", () => OpenStreams, description: "Open GET /tail event streams.");
        _meter.CreateObservableUpDownCounter("silk.tail.open_long_polls", () => OpenLongPolls, description: "GET /tail long polls in progress.");
        _meter.CreateObservableCounter("silk.tail.slow_consumer_ends", () => SlowConsumerEnds, description: "Event streams ended because the client did not read.");
        _meter.CreateObservableCounter("silk.tail.events_sent", () => EventsSent, description: "Entry events written to event streams.");
        _meter.CreateObservableCounter("silk.tail.writes", () => Writes, description: "Writes (flushes) to event streams; events_sent per write tells how much the fan-out coalesces.");
    }

    /// <summary>Event streams open now.</summary>
    public int OpenStreams => _streams.Count;

    /// <summary>Long polls in progress now.</summary>
    public long OpenLongPolls => Interlocked.Read(ref _openLongPolls);

    /// <summary>Streams ended so far because their output stayed full for <see cref="TailOptions.SlowConsumerSeconds"/>.</summary>
    public long SlowConsumerEnds => Interlocked.Read(ref _slowConsumerEnds);

    /// <summary>Entry events written to streams so far.</summary>
    public long EventsSent => Interlocked.Read(ref _eventsSent);

    /// <summary>Writes (flushes) to event streams so far: a write carries every event its stream was owed.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Ends every open stream as if the server chose to: each response completes normally and its client reconnects.</summary>
    public void EndAllStreams()
    {
        foreach (var stream in _streams.Values)
        {
            try
            {
                stream.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The stream closed meanwhile.
            }
        }
    }

    /// <summary>Registers a stream; disposing the registration removes it. Its token is canceled by <see cref="EndAllStreams"/>.</summary>
    internal StreamRegistration OpenStream()
    {
        var id = Interlocked.Increment(ref _nextId);
        var source = new CancellationTokenSource();
        _streams[id] = source;
        return new StreamRegistration(this, id, source);
    }

    /// <summary>
    /// Reserves one of a caller's <paramref name="cap"/> stream places (released by disposing the reservation), or
    /// null when the caller already holds them all.
    /// </summary>
    internal CallerReservation? TryReserve(string caller, int cap)
    {
        lock (_perCaller)
        {
            var open = _perCaller.GetValueOrDefault(caller);
            if (open >= cap) return null;
            _perCaller[caller] = open + 1;
        }

        return new CallerReservation(this, caller);
    }

    internal LongPollRegistration OpenLongPoll()
    {
        Interlocked.Increment(ref _openLongPolls);
        return new LongPollRegistration(this);
    }

    internal void CountSlowConsumerEnd() => Interlocked.Increment(ref _slowConsumerEnds);

    internal void CountEvents(int count) => Interlocked.Add(ref _eventsSent, count);

    internal void CountWrite() => Interlocked.Increment(ref _writes);

    public void Dispose() => _meter?.Dispose();

    internal readonly struct StreamRegistration(TailStreams owner, long id, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Ending => source.Token;

        public void Dispose()
        {
            owner._streams.TryRemove(id, out _);
            source.Dispose();
        }
    }

    /// <summary>One stream place of a caller; disposing it (once, by the response) gives the place back.</summary>
    internal sealed class CallerReservation(TailStreams owner, string caller) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            lock (owner._perCaller)
            {
                var left = owner._perCaller.GetValueOrDefault(caller) - 1;
                if (left > 0) owner._perCaller[caller] = left;
                else owner._perCaller.Remove(caller);
            }
        }
    }

    internal readonly struct LongPollRegistration(TailStreams owner) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref owner._openLongPolls);
    }
}
