using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Silk.Api.Auth;
using Silk.Api.Hosting;
using Silk.Api.Problems;

namespace Silk.Api.Limits;

/// <summary>
/// <c>Silk:Limits</c>: a token-bucket rate limit per caller (429 problem with <c>Retry-After</c>; anonymous routes such as
/// health probes are not limited), and Kestrel's limits on connections, header time and slow uploads.
/// </summary>
public static class LimitsSetup
{
    public static IServiceCollection AddSilkLimits(this IServiceCollection services)
    {
        services.AddOptions<SilkLimitsOptions>().BindConfiguration(SilkLimitsOptions.SectionName);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<SilkLimitsOptions>>((kestrel, options) =>
        {
            var limits = options.Value;
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections > 0 ? limits.MaxConcurrentConnections : null;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(Math.Clamp(limits.RequestHeadersTimeoutSeconds, 0.001, 3600));
            kestrel.Limits.MinRequestBodyDataRate = limits.MinRequestBodyBytesPerSecond > 0
                ? new MinDataRate(limits.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(5))
                : null;
        });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SilkLimitsOptions>>((o, options) =>
        {
            var limits = options.Value;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var partition = limits.RequestsPerSecond > 0 && NeedsRole(context) ? SilkCaller.PartitionOf(context, limits.LimitLoopback) : null;
                return partition is null
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.RequestBurst,
                        TokensPerPeriod = limits.RequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
            });
            o.OnRejected = static (rejected, _) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                return new ValueTask(WriteTooMany(rejected.HttpContext, seconds, "Too many requests from this caller (setting Silk:Limits:RequestsPerSecond); retry after the time in Retry-After."));
            };
        });
        services.AddRateLimiter(_ => { });
        return services;
    }

    /// <summary>Checks the settings (a bad one stops startup, naming it) and limits the request rate; after authentication, which names the caller.</summary>
    public static WebApplication UseSilkLimits(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<SilkLimitsOptions>>().Value.Problem() is { } problem)
        {
            var error = new SilkSettingsException(problem);
            app.LogSettingsProblem(error);
            throw error;
        }

        app.UseRateLimiter();
        return app;
    }

    /// <summary>A 429 problem; sets <c>Retry-After</c> (seconds) on the response.</summary>
    public static TooManyRequestsProblem TooMany(HttpContext context, int retryAfterSeconds, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var problem = ApiProblems.Create(StatusCodes.Status429TooManyRequests, detail, "Too many requests");
        problem.Extensions["retry_after_seconds"] = retryAfterSeconds;
        return new TooManyRequestsProblem(problem);
    }

    private static Task WriteTooMany(HttpContext context, int retryAfterSeconds, string detail) =>
        TooMany(context, retryAfterSeconds, detail).ExecuteAsync(context);

    private static bool NeedsRole(HttpContext context) =>
        context.GetEndpoint() is { } endpoint && endpoint.Metadata.GetMetadata<SilkAnonymousMetadata>() is null;
}
