using System.Buffers;
using System.IO.Pipelines;

namespace Silk.Api.Import;

/// <summary>One line of an NDJSON body: its number (from 1), its bytes without the newline, and whether it was longer than the limit (then its bytes are dropped).</summary>
internal readonly record struct NdjsonLine(int Number, ReadOnlyMemory<byte> Bytes, bool TooLong, long BodyBytes);

/// <summary>
/// Reads an NDJSON request body line by line as it arrives, holding at most one line (up to the limit) at a time:
/// a line longer than the limit is reported as too long and skipped to its end without being kept.
/// </summary>
internal sealed class NdjsonLineReader(PipeReader reader, int maxLineBytes)
{
    private int _number;
    private bool _finished;

    public async ValueTask<NdjsonLine?> NextAsync(CancellationToken cancellationToken)
    {
        if (_finished) return null;
        var tooLong = false;
        long skipped = 0;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } newline)
            {
                var line = buffer.Slice(0, newline);
                var bytes = tooLong || line.Length > maxLineBytes ? ReadOnlyMemory<byte>.Empty : line.ToArray();
                var result = new NdjsonLine(++_number, bytes, tooLong || line.Length > maxLineBytes, skipped + line.Length + 1);
                reader.AdvanceTo(buffer.GetPosition(1, newline));
                return result;
            }

            if (buffer.Length > maxLineBytes)
            {
                // Past the limit and still no newline: drop what there is and keep looking for the line's end.
                tooLong = true;
                skipped += buffer.Length;
                reader.AdvanceTo(buffer.End);
                continue;
            }

            if (read.IsCompleted)
            {
                _finished = true;
                if (buffer.IsEmpty && !tooLong)
                {
                    reader.AdvanceTo(buffer.End);
                    return null;
                }

                // The last line has no newline.
                var result = new NdjsonLine(++_number, tooLong ? ReadOnlyMemory<byte>.Empty : buffer.ToArray(), tooLong, skipped + buffer.Length);
                reader.AdvanceTo(buffer.End);
                return result;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
