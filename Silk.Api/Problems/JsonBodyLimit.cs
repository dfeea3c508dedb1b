using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Silk.Api.Hosting;

namespace Silk.Api.Problems;

/// <summary>Marks an endpoint whose request body is JSON (or NDJSON) and bounded by <see cref="SilkOptions.MaxBodyBytes"/>.</summary>
public sealed class JsonBodyMetadata
{
    public static JsonBodyMetadata Instance { get; } = new();
}

/// <summary>
/// Enforces the body limit of JSON routes with a 413 problem: at once when Content-Length says too much,
/// otherwise while the body is read (by Kestrel's own limit, or by a counting stream where the server has none).
/// </summary>
internal sealed class JsonBodyLimitMiddleware(RequestDelegate next, IOptions<SilkOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<JsonBodyMetadata>() is null) return next(context);

        var limit = options.Value.MaxBodyBytes;
        if (context.Request.ContentLength is { } length && length > limit)
        {
            throw TooLarge(limit);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
        {
            server.MaxRequestBodySize = limit;
        }
        else
        {
            context.Request.Body = new LimitedReadStream(context.Request.Body, limit);
        }

        return next(context);
    }

    internal static BadHttpRequestException TooLarge(long limit) =>
        new($"The request body is larger than the limit of {limit} bytes for this route (setting Silk:MaxBodyBytes).", StatusCodes.Status413PayloadTooLarge);
}

/// <summary>A read-only view of a request body that fails with a 413 once more than the limit has been read.</summary>
internal sealed class LimitedReadStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        _read += n;
        if (_read > limit) throw JsonBodyLimitMiddleware.TooLarge(limit);
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
