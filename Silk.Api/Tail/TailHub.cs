using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using Silk.Core.Log;
using Silk.Core.Tail;
using Silk.Core.Wire;

namespace Silk.Api.Tail;

/// <summary>
/// Feeds the streams that are caught up and unfiltered from one tail read per change: one loop waits on the
/// bell, reads past its cursor, encodes the messages once and writes them into every member's response, so a
/// write costs one wake-up and one read for all of them instead of one per stream.
/// <para>
/// A stream joins (<see cref="Join"/>) when its cursor is the hub's, then hands its response writer over until
/// the hub gives it back (<see cref="Member.Returned"/>): when a flush does not complete at once (its client
/// reads slowly; the stream then waits for that flush under its own slow-consumer limit and goes on reading the
/// log by itself from the cursor it is given), when its connection is gone, or when the log was compacted under
/// the hub. A stream that ends while a member leaves first (<see cref="Leave"/>), so the hub never touches a
/// finished response. Every batch the hub reads starts at the cursor where the previous one ended, and a
/// member joins only at the hub's current cursor, so each member still gets every entry exactly once.
/// </para>
/// </summary>
public sealed class TailHub : IDisposable
{
    /// <summary>How long a stream waits to join when it is ahead of the hub (the hub has not read the latest change yet).</summary>
    private static readonly TimeSpan JoinWait = TimeSpan.FromMilliseconds(100);

    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    private readonly SharedTailReads _reads;
    private readonly TailEventJson _json;
    private readonly TailOptions _options;
    private readonly TailStreams _streams;
    private readonly Lock _gate = new();
    private readonly List<Member> _members = [];
    private readonly List<Member> _waiting = [];
    private readonly CancellationTokenSource _disposing = new();

    /// <summary>The hub's position; null while its loop is not running.</summary>
    private IReadOnlyList<Hash>? _cursor;
    private TailSubscription? _subscription;
    private bool _caughtUp;
    private int _generation;

    public TailHub(SharedTailReads reads, TailEventJson json, IOptions<TailOptions> options, TailStreams streams)
    {
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(streams);
        _reads = reads;
        _json = json;
        _options = options.Value;
        _streams = streams;
    }

    /// <summary>Streams fed by the hub now.</summary>
    public int Members
    {
        get
        {
            lock (_gate) return _members.Count;
        }
    }

    /// <summary>
    /// Asks to feed a stream that is caught up at <paramref name="cursor"/> (it has sent everything up to there, and
    /// its client's last id is that cursor). Null when the hub is elsewhere: the stream goes on by itself.
    /// </summary>
    internal async Task<Member?> Join(PipeWriter output, IReadOnlyList<Hash> cursor, long lastOutput, CancellationToken ending)
    {
        var member = new Member(output, cursor, lastOutput);
        lock (_gate)
        {
            if (_disposing.IsCancellationRequested) return null;
            if (_cursor is null) Start(cursor);
            if (Same(_cursor!, cursor))
            {
                _members.Add(member);
                return member;
            }
        }

        // Not at the hub's cursor. When something is already past this stream's cursor, the stream is behind and
        // reads on by itself; otherwise the hub is behind (it has not read the change this stream just sent): wait a
        // little for it to get here.
        try
        {
            if (_reads.Read(cursor, 1).Entries.Count > 0) return null;
        }
        catch (TailCursorStaleException)
        {
            return null;
        }

        lock (_gate)
        {
            if (_cursor is null) return null;
            if (Same(_cursor, cursor))
            {
                _members.Add(member);
                return member;
            }

            _waiting.Add(member);
        }

        try
        {
            await member.Joined.Task.WaitAsync(JoinWait, ending);
            return member;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            lock (_gate)
            {
                if (_waiting.Remove(member)) return null;

                // Promoted meanwhile, unless the hub stopped and dropped it.
                return _members.Contains(member) ? member : null;
            }
        }
    }

    /// <summary>Takes a member back (its stream is ending). After this the hub does not touch its output.</summary>
    internal void Leave(Member member)
    {
        lock (_gate)
        {
            _members.Remove(member);
            _waiting.Remove(member);
        }
    }

    /// <summary>Under the lock: a loop reading from <paramref name="cursor"/> (the first member's, at most as new as the store's).</summary>
    private void Start(IReadOnlyList<Hash> cursor)
    {
        _cursor = cursor.ToArray();
        _caughtUp = true;
        _subscription = new TailSubscription(_reads, _cursor);
        var generation = ++_generation;
        var subscription = _subscription;
        _ = Task.Run(() => LoopAsync(subscription, generation));
    }

    private async Task LoopAsync(TailSubscription subscription, int generation)
    {
        var heartbeat = _options.Heartbeat;
        var check = heartbeat / 2;
        using (subscription)
        {
            while (true)
            {
                TailBatch batch;
                try
                {
                    batch = await subscription.NextBatchAsync(check, 1000, _disposing.Token);
                }
                catch (OperationCanceledException)
                {
                    lock (_gate) Stop(generation, ended: true);
                    return;
                }
                catch (TailCursorStaleException)
                {
                    // Compacted: every member's stream ends (its client's reconnect is answered 410).
                    lock (_gate) Stop(generation, ended: true);
                    return;
                }

                lock (_gate)
                {
                    if (generation != _generation) return;
                    if (batch.Entries.Count > 0) Deliver(batch);
                    PromoteWaiting();
                    SendHeartbeats(heartbeat);
                    if (_members.Count == 0 && _waiting.Count == 0)
                    {
                        Stop(generation, ended: false);
                        return;
                    }
                }
            }
        }
    }

    /// <summary>Under the lock: every member gets the batch (and up-to-date when the hub caught up again).</summary>
    private void Deliver(TailBatch batch)
    {
        var frames = SseFrames.Entries(batch.Entries, new CursorTrack(_cursor!), _json);
        if (batch.UpToDate && !_caughtUp)
        {
            var buffer = new ArrayBufferWriter<byte>(frames.Length + 256);
            buffer.Write(frames);
            SseFrames.UpToDate(buffer, batch.Cursor);
            frames = buffer.WrittenSpan.ToArray();
        }

        _cursor = batch.Cursor;
        _caughtUp = batch.UpToDate;
        for (var i = _members.Count - 1; i >= 0; i--)
        {
            var member = _members[i];
            if (!Send(member, frames))
            {
                _members.RemoveAt(i);
                continue;
            }

            _streams.CountEvents(batch.Entries.Count);
        }
    }

    /// <summary>Under the lock: waiting streams whose cursor the hub has now reached become members.</summary>
    private void PromoteWaiting()
    {
        for (var i = _waiting.Count - 1; i >= 0; i--)
        {
            var member = _waiting[i];
            if (!Same(_cursor!, member.Cursor)) continue;
            _waiting.RemoveAt(i);
            _members.Add(member);
            member.Joined.TrySetResult();
        }
    }

    private void SendHeartbeats(TimeSpan heartbeat)
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = _members.Count - 1; i >= 0; i--)
        {
            var member = _members[i];
            if (Stopwatch.GetElapsedTime(member.LastOutput, now) < heartbeat) continue;
            if (!Send(member, Heartbeat)) _members.RemoveAt(i);
        }
    }

    /// <summary>
    /// Under the lock: writes to a member and flushes. False when the member was handed back: its flush is
    /// pending (the stream waits for it) or its connection is gone.
    /// </summary>
    private bool Send(Member member, byte[] frames)
    {
        try
        {
            var first = Math.Min(frames.Length, _options.BufferBytes);
            member.Output.Write(frames.AsSpan(0, first));
            var rest = frames.AsMemory(first);
            var flush = member.Output.FlushAsync(CancellationToken.None);
            if (flush.IsCompletedSuccessfully && rest.IsEmpty)
            {
                var result = flush.Result;
                if (result.IsCompleted || result.IsCanceled)
                {
                    member.Return(new Handback(_cursor!, null, ReadOnlyMemory<byte>.Empty, Ended: true, member.LastOutput));
                    return false;
                }

                member.LastOutput = Stopwatch.GetTimestamp();
                return true;
            }

            // Its client is slow, or the messages are larger than its buffer: the stream takes over from here.
            member.Return(new Handback(_cursor!, flush.AsTask(), rest, Ended: false, Stopwatch.GetTimestamp()));
            return false;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            member.Return(new Handback(_cursor!, null, ReadOnlyMemory<byte>.Empty, Ended: true, member.LastOutput));
            return false;
        }
    }

    /// <summary>Under the lock: the loop stops; members are handed back (their streams end when <paramref name="ended"/>).</summary>
    private void Stop(int generation, bool ended)
    {
        if (generation != _generation) return;
        foreach (var member in _members) member.Return(new Handback(_cursor!, null, ReadOnlyMemory<byte>.Empty, ended, member.LastOutput));
        foreach (var member in _waiting) member.Joined.TrySetCanceled();
        _members.Clear();
        _waiting.Clear();
        _cursor = null;
        _subscription = null;
        _generation++;
    }

    private static bool Same(IReadOnlyList<Hash> a, IReadOnlyList<Hash> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i]) return false;
        }

        return true;
    }

    public void Dispose()
    {
        _disposing.Cancel();
        _disposing.Dispose();
    }

    /// <summary>
    /// What the hub hands back: the cursor the stream is at (everything up to it was written to its output), a flush
    /// still in progress and bytes not yet written (both the stream's to finish), and whether the stream must end.
    /// </summary>
    internal sealed record Handback(IReadOnlyList<Hash> Cursor, Task<FlushResult>? PendingFlush, ReadOnlyMemory<byte> Unwritten, bool Ended, long LastOutput);

    /// <summary>A stream fed by the hub.</summary>
    internal sealed class Member(PipeWriter output, IReadOnlyList<Hash> cursor, long lastOutput)
    {
        private readonly TaskCompletionSource<Handback> _returned = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PipeWriter Output { get; } = output;

        /// <summary>The cursor it asked to join at.</summary>
        public IReadOnlyList<Hash> Cursor { get; } = cursor;

        public long LastOutput { get; set; } = lastOutput;

        public TaskCompletionSource Joined { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the hub hands the stream back.</summary>
        public Task<Handback> Returned => _returned.Task;

        public void Return(Handback handback) => _returned.TrySetResult(handback);
    }
}
