using System.Net;
using System.Text;

namespace Silk.Benchmarks.Reports;

/// <summary>An NDJSON request body of <paramref name="count"/> generated lines, written as it is sent (chunked; no Content-Length), never held whole.</summary>
internal sealed class GeneratedLinesContent(int count, Func<int, string> line) : HttpContent
{
    public long BytesWritten { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var text = new StringBuilder(1 << 20);
        for (var i = 0; i < count; i++)
        {
            text.Append(line(i)).Append('\n');
            if (text.Length > (1 << 20) - 512) await Flush();
        }

        await Flush();

        async Task Flush()
        {
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            BytesWritten += bytes.Length;
            await stream.WriteAsync(bytes);
            text.Clear();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
