using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Silk.Api.Sync;

/// <summary>Marks a sync route whose answers are compressed when the caller sends <c>Accept-Encoding</c>.</summary>
public sealed class CompressedAnswerMetadata
{
    public static CompressedAnswerMetadata Instance { get; } = new();
}

/// <summary>Marks a sync route that reads a MessagePack body, which may come gzip- or br-encoded.</summary>
public sealed class SyncBodyMetadata
{
    public static SyncBodyMetadata Instance { get; } = new();
}

/// <summary>
/// Compression of sync messages, as the original compresses them at its transport boundary (zlib level 1):
/// <list type="bullet">
/// <item>Answers of the routes that carry entries (<c>POST /sync/offer</c>, whose answer is the payload,
/// <c>POST /sync/payload</c>, <c>POST /sync/entries</c>, <c>GET /sync/snapshot</c>) go through ASP.NET Core's response
/// compression, br or gzip at the fastest level, when the caller's <c>Accept-Encoding</c> asks for it. No other route
/// is compressed: not the JSON API, not <c>GET /tail</c> (an event stream must never be buffered by a compressor),
/// and not <c>GET /sync/offer</c>, whose bloom filter is random bits.</item>
/// <item>Request bodies of the sync routes may be gzip or br (<c>Content-Encoding</c>); they are inflated by
/// <see cref="SyncBody.ReadAsync"/> with ASP.NET Core's decompression providers, the body limit counting the
/// inflated bytes. Their answers say so with <c>Accept-Encoding: gzip, br</c> (RFC 7694), which is how a Silk
/// peer knows it may compress what it posts next; an older server never says it and gets plain bodies.</item>
/// </list>
/// Compression is on for HTTPS too: the BREACH family needs a secret and attacker-chosen text in one compressed
/// answer, and a sync answer holds only replicated entries, which any caller able to put text into them (a
/// <c>write</c> key, which reads everything) or to ask for them (a <c>peer</c> key) may read anyway; keys travel in
/// headers, which this does not compress.
/// </summary>
public static class SyncCompression
{
    /// <summary>The content codings the sync routes accept on request bodies, as their answers announce them.</summary>
    public const string AcceptedEncodings = "gzip, br";

    public static IServiceCollection AddSilkSyncCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = [.. SyncBody.MediaTypes, "application/json"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        // Only what peers are told they may send: gzip and br.
        services.AddRequestDecompression(o => o.DecompressionProviders.Remove("deflate"));
        return services;
    }

    /// <summary>Response compression on the marked routes only, and the announcement on the routes that read a body.</summary>
    public static WebApplication UseSilkSyncCompression(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(static c => c.GetEndpoint()?.Metadata.GetMetadata<CompressedAnswerMetadata>() is not null, static b => b.UseResponseCompression());
        app.UseWhen(static c => c.GetEndpoint()?.Metadata.GetMetadata<SyncBodyMetadata>() is not null, static b => b.Use(static (context, next) =>
        {
            // At the start of the answer, so that a problem written after an exception (which clears headers) has it too.
            context.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers.AcceptEncoding = AcceptedEncodings;
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        }));
        return app;
    }

    /// <summary>Answers compressed when the caller accepts it.</summary>
    public static RouteHandlerBuilder WithCompressedAnswer(this RouteHandlerBuilder builder) => builder.WithMetadata(CompressedAnswerMetadata.Instance);
}
