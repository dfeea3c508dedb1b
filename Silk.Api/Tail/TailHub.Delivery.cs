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

    /// <summary>Members whose last flush had not completed at the end of the last pass.</summary>
    private int _pending;

    /// <summary>Under the lock: one pass over the members.</summary>
    private void Pass()
    {
        var end = _newest!.End;
        var now = Stopwatch.GetTimestamp();
        var pending = 0;
        for (var i = _members.Count - 1; i >= 0; i--)
        {
            var member = _members[i];
            if (Serve(member, end, now) is { } handback)
            {
                // Swap-remove: the order of members does not matter.
                _members[i] = _members[^1];
                _members.RemoveAt(_members.Count - 1);
                member.Return(handback);
            }
            else if (member.Flush is not null)
            {
                pending++;
            }
        }

        _pending = pending;
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
