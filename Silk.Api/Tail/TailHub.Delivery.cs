using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Silk.Api.Tail;

/// <summary>The hub's pass: each member is written what it is owed (or a heartbeat), slow ones are skipped, stalled ones cut off.</summary>
public sealed partial class TailHub
{
    /// <summary>How often the loop looks at members whose flush is pending when nothing is written meanwhile.</summary>
    private static readonly TimeSpan PendingCheck = TimeSpan.FromMilliseconds(20);

    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    /// <summary>Members served under the gate at a time; between slices the pass yields, so that a pass over many members never holds a thread long.</summary>
    private const int PassSlice = 64;

    /// <summary>Members whose last flush had not completed at the end of the last pass.</summary>
    private int _pending;

    /// <summary>The members a pass goes over (the loop's own; reused).</summary>
    private Member[] _passMembers = [];

    /// <summary>
    /// One pass over the members as they were at its start (members that joined since are served by the next), in
    /// slices: the gate is taken for each slice and the pass yields between slices, so that the requests queued behind
    /// it (a writer's among them) and the sends of the slice's flushes run between them.
    /// </summary>
    private async Task PassAsync(int generation)
    {
        int count;
        long end;
        lock (_gate)
        {
            if (generation != _generation) return;
            count = _members.Count;
            if (_passMembers.Length < count) _passMembers = new Member[Math.Max(count, _passMembers.Length * 2)];
            _members.CopyTo(_passMembers);
            end = _newest!.End;
        }

        var pending = 0;
        for (var from = 0; from < count; from += PassSlice)
        {
            if (from > 0) await Task.Yield();
            var to = Math.Min(count, from + PassSlice);
            lock (_gate)
            {
                if (generation != _generation) return;
                var now = Stopwatch.GetTimestamp();
                for (var i = from; i < to; i++)
                {
                    var member = _passMembers[i];
                    _passMembers[i] = null!;
                    if (!member.InHub) continue;
                    if (Serve(member, end, now) is { } handback)
                    {
                        Remove(member);
                        member.Return(handback);
                    }
                    else if (member.Flush is not null)
                    {
                        pending++;
                    }
                }
            }
        }

        lock (_gate) _pending = pending;
    }

    /// <summary>Under the lock: serves one member; a handback when it leaves the hub.</summary>
    private Handback? Serve(Member member, long end, long now)
    {
        if (member.Flush is { } flush)
        {
            if (!flush.IsCompleted)
            {
                if (Stopwatch.GetElapsedTime(member.FlushStarted, now) >= _options.SlowConsumer) return member.HandbackHere(ended: true, tooSlow: true);

                // Far behind while its client does not read: the stream waits for that flush itself, then reads the log.
                return end - member.Position > WindowBytes ? member.HandbackHere(ended: false) : null;
            }

            member.Flush = null;
            if (!flush.IsCompletedSuccessfully || !Goes(flush.Result)) return member.HandbackHere(ended: true);
            member.LastOutput = now;
        }

        var owed = end - member.Position;
        if (owed > WindowBytes) return member.HandbackHere(ended: false);
        try
        {
            if (owed == 0)
            {
                if (Stopwatch.GetElapsedTime(member.LastOutput, now) < _options.Heartbeat) return null;
                member.Output.Write(Heartbeat);
                return Flush(member, now);
            }

            // Everything owed, a buffer's worth per flush, until the output pushes back.
            while (member.Position < end)
            {
                _streams.CountEvents(member.WriteOwed(_options.BufferBytes));
                if (Flush(member, now) is { } gone) return gone;
                if (member.Flush is not null) return null;
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            return member.HandbackHere(ended: true);
        }
    }

    /// <summary>Flushes a member's output: a handback when its connection is gone; otherwise the flush is done or left pending on the member.</summary>
    private Handback? Flush(Member member, long now)
    {
        _streams.CountWrite();
        var flush = member.Output.FlushAsync(CancellationToken.None);
        if (!flush.IsCompletedSuccessfully)
        {
            member.Flush = flush.AsTask();
            member.FlushStarted = now;
            return null;
        }

        if (!Goes(flush.Result)) return member.HandbackHere(ended: true);
        member.LastOutput = now;
        return null;
    }

    /// <summary>The connection still takes output.</summary>
    private static bool Goes(FlushResult result) => !result.IsCompleted && !result.IsCanceled;
}
