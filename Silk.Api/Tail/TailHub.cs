using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.Extensions.Options;
using Silk.Core.Log;
using Silk.Core.Tail;
using Silk.Core.Wire;

namespace Silk.Api.Tail;

/// <summary>
/// Feeds the unfiltered streams that have caught up, from one tail read per pass for all of them: one loop waits on
/// the store's bell (the writer's commit only rings it: nothing there is proportional to the streams), reads past its
/// cursor, encodes the messages once into a <see cref="FeedSegment"/>, and writes into each member's response
/// everything that member is owed (a flush per <see cref="TailOptions.BufferBytes"/>). A member whose client is slow keeps its place: while its flush is
/// pending it is skipped, and once the flush completes its next write carries all it missed (coalesced). Passes over
/// many members are spaced (<see cref="PassSpacing"/>), so that a change costs each member a share of one write rather
/// than a write of its own, at the price of a few milliseconds of delay.
/// <para>
/// A stream joins (<see cref="Join"/>) when its cursor is one of the hub's message boundaries still in its window
/// (<see cref="WindowBytes"/>), or waits a little for the hub to reach it, then hands its response writer over until
/// the hub gives it back (<see cref="Member.Returned"/>): when it falls more than the window behind (it then reads the
/// log by itself from the cursor it is given: the log is the buffer), when its flush stays pending for the slow-consumer
/// limit (the stream is then cut off), when its connection is gone, or when the log was compacted under the hub.
/// A stream that ends while a member leaves first (<see cref="Leave"/>), so the hub never touches a finished response.
/// Each member goes on from the boundary whose cursor is its own, through messages read one batch after another, so it
/// still gets every entry exactly once.
/// </para>
/// </summary>
public sealed partial class TailHub : IDisposable
{
    /// <summary>How long a stream waits to join when it is ahead of the hub (the hub has not read the latest change yet).</summary>
    private static readonly TimeSpan JoinWait = TimeSpan.FromMilliseconds(250);

    /// <summary>Entries the hub reads at once.</summary>
    private const int ReadCount = 1000;

    /// <summary>
    /// Bytes of messages the hub keeps behind its newest one: a member further behind is handed back to read the log by
    /// itself, and a stream joins only within it. Members share these bytes, so this bounds the hub's memory.
    /// </summary>
    internal const int WindowBytes = 4 * 1024 * 1024;

    private static readonly TimeSpan SpacingPerMember = TimeSpan.FromMicroseconds(40);
    private static readonly TimeSpan MaxSpacing = TimeSpan.FromMilliseconds(40);

    private readonly SharedTailReads _reads;
    private readonly TailEventJson _json;
    private readonly TailOptions _options;
    private readonly TailStreams _streams;
    private readonly Lock _gate = new();
    private readonly List<Member> _members = [];
    private readonly List<Member> _waiting = [];
    private readonly CancellationTokenSource _disposing = new();

    // Taken once: the loop may still look at it after the source is disposed.
    private readonly CancellationToken _stopping;

    /// <summary>The hub's newest segment (its position); null while its loop is not running.</summary>
    private FeedSegment? _newest;

    /// <summary>The oldest segment of the window, where joining streams are looked for.</summary>
    private FeedSegment? _oldest;
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
        _stopping = _disposing.Token;
    }

    /// <summary>Streams fed by the hub now.</summary>
    public int Members
    {
        get
        {
            lock (_gate) return _members.Count;
        }
    }

    /// <summary>Members whose client has not taken their last write yet: they keep their place and get all they missed in their next write.</summary>
    public int Lagging
    {
        get
        {
            lock (_gate) return _members.Count(m => m.Flush is { IsCompleted: false });
        }
    }

    /// <summary>
    /// The least time between the starts of two passes that deliver entries: 40 µs per member, at most 40 ms. Each
    /// member's write is a send (a system call, whose socket processing is most of the fan-out's CPU), so however many
    /// streams are open the hub makes at most about 25,000 writes a second; with a thousand members each gets at most
    /// 25 writes a second, each carrying everything since the last. One member is not held back. (On the shared 2-core
    /// VM, 25 and 30 ms left the writer and the fan-out itself short of CPU: fewer events per send, more sends.)
    /// </summary>
    internal static TimeSpan PassSpacing(int members) => TimeSpan.FromTicks(Math.Min(members * SpacingPerMember.Ticks, MaxSpacing.Ticks));

    /// <summary>
    /// Asks to feed a stream that is caught up at <paramref name="cursor"/> (it has sent everything up to there, and its
    /// client's last id is that cursor). Null when the hub does not reach that cursor soon: the stream goes on by itself.
    /// </summary>
    internal async Task<Member?> Join(PipeWriter output, IReadOnlyList<Hash> cursor, long lastOutput, CancellationToken ending)
    {
        var member = new Member(output, cursor, lastOutput);
        lock (_gate)
        {
            if (_disposing.IsCancellationRequested) return null;
            if (_newest is null) Start(cursor);
            if (TryPlace(member)) return member;

            // Not in the window: the hub is behind (it has not read the change this stream just sent); wait a little for it.
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

                // Placed meanwhile, unless the hub stopped and dropped it.
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
        _newest = _oldest = FeedSegment.Anchor(cursor.ToArray());
        _caughtUp = true;
        var generation = ++_generation;
        var subscription = new TailSubscription(_reads, _newest.CursorAfter);
        // Its own thread: a pass over many members is long, and the thread pool's threads are the writers' (and the sends').
        new Thread(() => Loop(subscription, generation)) { IsBackground = true, Name = "silk-tail-hub" }.Start();
    }

    /// <summary>Under the lock: makes the member a member at the last boundary of the window whose cursor is its own.</summary>
    private bool TryPlace(Member member)
    {
        FeedSegment? found = null;
        var offset = -1;
        for (var segment = _oldest; segment is not null; segment = segment.Next)
        {
            var at = segment.Find(member.Cursor);
            if (at >= 0) (found, offset) = (segment, at);
        }

        if (found is null) return false;
        member.PlaceAt(found, offset);
        _members.Add(member);
        return true;
    }

    private void Loop(TailSubscription subscription, int generation)
    {
        var idle = _options.Heartbeat / 2;
        using (subscription)
        {
            while (true)
            {
                TimeSpan wait;
                lock (_gate) wait = _pending > 0 ? PendingCheck : idle;

                TailBatch batch;
                try
                {
                    // Waiting blocks only this thread; the bell's ring wakes it.
                    batch = subscription.NextBatchAsync(wait, ReadCount, _stopping).GetAwaiter().GetResult();
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

                var started = Stopwatch.GetTimestamp();
                TimeSpan spacing;
                lock (_gate)
                {
                    if (generation != _generation) return;
                    if (batch.Entries.Count > 0) Append(batch);
                    Pass();
                    if (_members.Count == 0 && _waiting.Count == 0)
                    {
                        Stop(generation, ended: false);
                        return;
                    }

                    spacing = PassSpacing(_members.Count);
                }

                // Let what comes meanwhile gather, so that the next pass writes it to each member in one go.
                var rest = spacing - Stopwatch.GetElapsedTime(started);
                if (batch.Entries.Count > 0 && rest > TimeSpan.Zero) Thread.Sleep(rest);
            }
        }
    }

    /// <summary>Under the lock: encodes the batch as the newest segment, trims the window, and places the streams waiting for it.</summary>
    private void Append(TailBatch batch)
    {
        var upToDate = batch.UpToDate && !_caughtUp;
        _caughtUp = batch.UpToDate;
        var segment = _newest!.Append(batch, upToDate, _json);
        _newest = segment;
        while (_oldest!.Next is not null && segment.End - _oldest.End > WindowBytes) _oldest = _oldest.Next;

        for (var i = _waiting.Count - 1; i >= 0; i--)
        {
            var member = _waiting[i];
            var offset = segment.Find(member.Cursor);
            if (offset < 0) continue;
            _waiting.RemoveAt(i);
            member.PlaceAt(segment, offset);
            _members.Add(member);
            member.Joined.TrySetResult();
        }
    }

    /// <summary>Under the lock: the loop stops; members are handed back where they are (their streams end when <paramref name="ended"/>).</summary>
    private void Stop(int generation, bool ended)
    {
        if (generation != _generation) return;
        foreach (var member in _members) member.Return(member.HandbackHere(ended));
        foreach (var member in _waiting) member.Joined.TrySetCanceled();
        _members.Clear();
        _waiting.Clear();
        _pending = 0;
        _newest = _oldest = null;
        _generation++;
    }

    public void Dispose()
    {
        _disposing.Cancel();
        _disposing.Dispose();
    }
}
