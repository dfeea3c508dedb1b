using System.IO.Pipelines;
using System.Reflection;
using MessagePack;
using Microsoft.AspNetCore.Http.Metadata;
using Silk.Core.Entries;
using Silk.Core.Store;

namespace Silk.Api.Sync;

/// <summary>
/// <c>GET /sync/snapshot</c>: the Snapshot <c>[entries[]]</c> written entry by entry to the response as it
/// is encoded (flushed every ~64 KiB), so that the encoded bytes are never held whole in memory. The
/// entries are those of the log at the moment the request started, in topological order.
/// </summary>
public sealed class SnapshotStreamResult(GraphStore store) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    /// <summary>Response header with the number of entries that follow.</summary>
    public const string EntryCountHeader = "X-Silk-Entry-Count";

    private const int FlushBytes = 64 * 1024;

    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var entries = store.ExportSnapshot().Entries;
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = SyncBody.MediaType;
        response.Headers[EntryCountHeader] = entries.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pipe = response.BodyWriter;
        var next = WriteHeader(pipe, entries.Count);
        var cancellation = httpContext.RequestAborted;
        while (true)
        {
            var flushed = await pipe.FlushAsync(cancellation);
            if (flushed.IsCanceled || flushed.IsCompleted || next >= entries.Count) break;
            next = WriteSome(pipe, entries, next);
        }
    }

    private static int WriteHeader(PipeWriter pipe, int count)
    {
        var writer = new MessagePackWriter(pipe);
        writer.WriteArrayHeader(1);
        writer.WriteArrayHeader(count);
        writer.Flush();
        return 0;
    }

    private static int WriteSome(PipeWriter pipe, IReadOnlyList<Entry> entries, int from)
    {
        var writer = new MessagePackWriter(pipe);
        long written = 0;
        var i = from;
        for (; i < entries.Count && written < FlushBytes; i++)
        {
            entries[i].Write(ref writer);
            written += entries[i].EncodedLength();
        }

        writer.Flush();
        return i;
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(MsgPackBytes), [SyncBody.MediaType]));
    }
}
