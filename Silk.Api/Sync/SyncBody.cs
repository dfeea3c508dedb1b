using System.Buffers;
using MessagePack;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RequestDecompression;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Silk.Api.Limits;
using Silk.Core.Store;
using Silk.Core.Sync;

namespace Silk.Api.Sync;

/// <summary>
/// Sync message bodies: MessagePack (<c>application/msgpack</c>), plain or gzip/br-encoded (<see cref="SyncCompression"/>),
/// at most 64 MiB (or the lower <c>Silk:Limits:MaxSyncBodyBytes</c>) once inflated and 100,000 entries (413 above), read
/// whole before anything is decoded so that a broken message changes nothing.
/// </summary>
public static class SyncBody
{
    public const string MediaType = "application/msgpack";

    /// <summary>Request header by which a Silk peer asks for delta payloads (and, on a push, for held-back entries).</summary>
    public const string PayloadModeHeader = "X-Silk-Payload-Mode";

    public const string DeltaMode = "delta";

    public const string CompatibleMode = "compatible";

    public static IReadOnlyList<string> MediaTypes { get; } = [MediaType, "application/x-msgpack", "application/vnd.msgpack", "application/octet-stream"];

    /// <summary>Delta only when the caller says it speaks it; an original peer sends no such header.</summary>
    public static PayloadMode Mode(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Equals(request.Headers[PayloadModeHeader].ToString().Trim(), DeltaMode, StringComparison.OrdinalIgnoreCase)
            ? PayloadMode.Delta
            : PayloadMode.Compatible;
    }

    /// <summary>Whether the client prefers the JSON rendering (Accept names application/json and not msgpack).</summary>
    public static bool WantsJson(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.GetTypedHeaders().Accept;
        if (accept is null || accept.Count == 0) return false;
        var json = accept.Where(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var msgpack = accept.Where(a => MediaTypes.Contains(a.MediaType.Value ?? "", StringComparer.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        return json > 0 && json > msgpack;
    }

    /// <summary>
    /// The whole body, inflated when it comes gzip- or br-encoded, or a 415 (not MessagePack, or another content
    /// coding) / 413 (over the limit) / 400 (a compressed stream that does not inflate) thrown as the framework's
    /// bad-request exception. The limit bounds the compressed bytes (Content-Length and the server's own limit) and
    /// the inflated ones as they stream, so a small body that inflates past it is refused without being held.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(request.ContentType)
            && !(MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) && MediaTypes.Contains(parsed.MediaType.Value ?? "", StringComparer.OrdinalIgnoreCase)))
        {
            throw new BadHttpRequestException($"Expected a sync message as {MediaType}, got '{request.ContentType}'.", StatusCodes.Status415UnsupportedMediaType);
        }

        var limit = (int)Math.Min(SyncLimits.MaxMessageBytes,
            request.HttpContext.RequestServices.GetService<IOptions<SilkLimitsOptions>>()?.Value.MaxSyncBodyBytes ?? SyncLimits.MaxMessageBytes);
        if (request.ContentLength > limit) throw TooLarge(limit);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        var (inflating, coding) = Inflating(request);
        var body = inflating ?? request.Body;
        var buffer = new ArrayBufferWriter<byte>(inflating is null && request.ContentLength is > 0 && request.ContentLength <= limit ? (int)request.ContentLength.Value : 16 * 1024);
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(buffer.GetMemory(64 * 1024), cancellationToken);
                if (read == 0) break;
                buffer.Advance(read);
                if (buffer.WrittenCount > limit) throw TooLarge(limit);
            }
        }
        catch (Exception ex) when (inflating is not null && ex is InvalidDataException or InvalidOperationException)
        {
            // GZipStream reports bad data as InvalidDataException, BrotliStream as InvalidOperationException.
            throw new BadHttpRequestException($"The request body is not valid {coding} data: {ex.Message}", StatusCodes.Status400BadRequest, ex);
        }
        finally
        {
            if (inflating is not null) await inflating.DisposeAsync();
        }

        CheckEntryCount(buffer.WrittenMemory);
        return buffer.WrittenMemory;
    }

    /// <summary>An inflating view of a gzip or br body and its coding, null for a plain one; 415 for any other content coding.</summary>
    private static (Stream? Inflating, string Coding) Inflating(HttpRequest request)
    {
        var encoding = request.Headers.ContentEncoding;
        var coding = string.Join(", ", encoding.Select(e => e?.Trim()));
        if (StringValues.IsNullOrEmpty(encoding) || (encoding.Count == 1 && string.Equals(coding.Trim(), "identity", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, "");
        }

        // ASP.NET Core's request decompression: null for an unknown coding or several (and then the header stays).
        var inflating = request.HttpContext.RequestServices.GetService<IRequestDecompressionProvider>()?.GetDecompressionStream(request.HttpContext);
        return inflating is null
            ? throw new BadHttpRequestException(
                $"A sync message may be sent with Content-Encoding {SyncCompression.AcceptedEncodings} or none, not '{coding}'.", StatusCodes.Status415UnsupportedMediaType)
            : (inflating, coding);
    }

    internal static BadHttpRequestException TooLarge(int limit) => new(
        limit == SyncLimits.MaxMessageBytes
            ? $"A sync message is limited to {SyncLimits.MaxMessageBytes} bytes (64 MiB)."
            : $"A sync message is limited to {limit} bytes on this server (setting Silk:Limits:MaxSyncBodyBytes).",
        StatusCodes.Status413PayloadTooLarge);

    private static BadHttpRequestException TooLarge(string detail) => new(detail, StatusCodes.Status413PayloadTooLarge);

    /// <summary>
    /// Refuses with 413 a payload or entry list that declares more than 100,000 entries, before decoding:
    /// a bare list <c>[entry…]</c> or a payload <c>[[entry…], need]</c>. Anything else is left to the decoder.
    /// </summary>
    private static void CheckEntryCount(ReadOnlyMemory<byte> body)
    {
        // Headers are read by hand: the reader refuses a count larger than the bytes left, which would
        // turn an oversized declaration into a decode error (400) instead of a 413.
        var span = body.Span;
        if (ArrayHeader(span, out var outer, out var size) is false) return;
        var inner = outer == 2 && ArrayHeader(span[size..], out var first, out _) ? first : 0;
        var declared = Math.Max(outer, inner);
        if (declared > SyncLimits.MaxEntries)
        {
            throw TooLarge($"A sync message declares {declared} entries; the limit is {SyncLimits.MaxEntries} per message.");
        }
    }

    private static bool ArrayHeader(ReadOnlySpan<byte> span, out long count, out int size)
    {
        count = 0;
        size = 0;
        if (span.IsEmpty) return false;
        var code = span[0];
        if (code is >= MessagePackCode.MinFixArray and <= MessagePackCode.MaxFixArray)
        {
            (count, size) = (code & 0x0f, 1);
            return true;
        }

        if (code == MessagePackCode.Array16 && span.Length >= 3)
        {
            (count, size) = (System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(span[1..]), 3);
            return true;
        }

        if (code == MessagePackCode.Array32 && span.Length >= 5)
        {
            (count, size) = (System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(span[1..]), 5);
            return true;
        }

        return false;
    }
}
