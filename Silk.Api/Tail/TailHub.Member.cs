using System.Buffers;
using System.IO.Pipelines;
using Silk.Core.Wire;

namespace Silk.Api.Tail;

/// <summary>A stream fed by the hub: its output, where it is in the hub's segments, and how it is handed back.</summary>
public sealed partial class TailHub
{
    /// <summary>
    /// What the hub hands back: the cursor the stream is at (everything up to it was written to its output), a flush
    /// still in progress (pending since <paramref name="FlushStarted"/>) and bytes not yet written (both the stream's to
    /// finish), whether the stream must end, and whether that is because its client did not read for the slow-consumer limit.
    /// </summary>
    internal sealed record Handback(
        IReadOnlyList<Hash> Cursor, Task<FlushResult>? PendingFlush, long FlushStarted, ReadOnlyMemory<byte> Unwritten, bool Ended, bool TooSlow, long LastOutput);

    internal sealed class Member(PipeWriter output, IReadOnlyList<Hash> cursor, long lastOutput)
    {
        private readonly TaskCompletionSource<Handback> _returned = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private FeedSegment? _segment;
        private int _offset;

        public PipeWriter Output { get; } = output;

        /// <summary>The cursor it asked to join at.</summary>
        public IReadOnlyList<Hash> Cursor { get; } = cursor;

        public long LastOutput { get; set; } = lastOutput;

        /// <summary>Its last flush, while it has not completed (the client has not taken the bytes yet).</summary>
        public Task<FlushResult>? Flush { get; set; }

        public long FlushStarted { get; set; }

        public TaskCompletionSource Joined { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the hub hands the stream back.</summary>
        public Task<Handback> Returned => _returned.Task;

        /// <summary>Where its output is in the hub's whole output.</summary>
        public long Position => _segment!.Start + _offset;

        public void PlaceAt(FeedSegment segment, int offset) => (_segment, _offset) = (segment, offset);

        /// <summary>
        /// Writes (without flushing) up to <paramref name="budget"/> bytes of what it is owed, from one segment into the
        /// next; returns the entry messages of the segments it finished.
        /// </summary>
        public int WriteOwed(int budget)
        {
            var finished = 0;
            while (budget > 0)
            {
                var segment = _segment!;
                if (_offset == segment.Bytes.Length)
                {
                    if (segment.Next is not { } next) break;
                    (_segment, _offset) = (next, 0);
                    continue;
                }

                var count = Math.Min(budget, segment.Bytes.Length - _offset);
                Output.Write(segment.Bytes.AsSpan(_offset, count));
                _offset += count;
                budget -= count;
                if (_offset == segment.Bytes.Length) finished += segment.Entries;
            }

            return finished;
        }

        /// <summary>The handback for where it is now: the cursor of its last whole message, the rest of a message it is in the middle of.</summary>
        public Handback HandbackHere(bool ended, bool tooSlow = false)
        {
            var (cursor, rest) = _segment is { } segment ? segment.PositionAt(_offset) : (Cursor, ReadOnlyMemory<byte>.Empty);
            return new Handback(cursor, Flush, FlushStarted, rest, ended, tooSlow, LastOutput);
        }

        public void Return(Handback handback) => _returned.TrySetResult(handback);
    }
}
