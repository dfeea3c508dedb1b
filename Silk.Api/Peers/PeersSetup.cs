using System.Net;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Polly;
using Silk.Api.Hosting;
using Silk.Api.OpenApi;
using Silk.Api.Sync;

namespace Silk.Api.Peers;

/// <summary>Services for peer sync: the peer directory, exchanges, background gossip, and the HTTP client to peers.</summary>
public static class PeersSetup
{
    /// <summary>
    /// The named client <see cref="PeerSync.HttpClientName"/> goes through a resilience pipeline, one per
    /// peer (by authority), outermost first: a timeout for the whole call, retries with exponential
    /// backoff and jitter, a circuit breaker, and a timeout per attempt. Once a peer has failed
    /// repeatedly its circuit opens and calls to it fail at once for <see cref="GossipOptions.BreakSeconds"/>,
    /// so a dead peer costs a gossip round one fast failure rather than a stall.
    /// </summary>
    public static IServiceCollection AddSilkPeers(this IServiceCollection services)
    {
        services.AddOptions<GossipOptions>().BindConfiguration(GossipOptions.SectionName);
        services.Configure<OpenApiOptions>(OpenApiSetup.DocumentName, o => o.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(MsgPackBytes))
            {
                schema.Type = JsonSchemaType.String;
                schema.Format = "binary";
                schema.Properties = null;
                schema.AdditionalPropertiesAllowed = true;
                schema.Description = "MessagePack bytes in the original's positional encoding (SPEC §7.1).";
            }

            return Task.CompletedTask;
        }));
        // Every gossip call would otherwise log four lines at Information.
        services.AddLogging(logging => logging
            .AddFilter("System.Net.Http.HttpClient." + PeerSync.HttpClientName, LogLevel.Warning)
            .AddFilter("Polly", LogLevel.Warning));
        services.AddSingleton<PeerDirectory>();
        services.AddSingleton<PeerSync>();
        services.AddSingleton<PeerMetrics>();
        services.AddHostedService<GossipService>();
        services.AddHttpClient(PeerSync.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(NewPeerHandler)
            .AddResilienceHandler("silk-peer", static (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<GossipOptions>>().Value;
                pipeline.AddTimeout(Seconds(o.CallTimeoutSeconds, 1));
                if (o.RetryAttempts > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.RetryAttempts,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = Seconds(o.RetryDelaySeconds, 0.001),
                    });
                }

                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 2,
                    SamplingDuration = Seconds(o.SamplingSeconds, 0.5),
                    BreakDuration = Seconds(o.BreakSeconds, 0.5),
                });
                pipeline.AddTimeout(Seconds(o.AttemptTimeoutSeconds, 0.1));
            })
            .SelectPipelineByAuthority();
        return services;
    }

    /// <summary>
    /// The connection handler of calls to peers: it asks for compressed answers (<c>Accept-Encoding: gzip, br</c>) and
    /// inflates them, so a sync answer crosses the network compressed (<see cref="SyncCompression"/>).
    /// </summary>
    public static HttpMessageHandler NewPeerHandler() => new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Brotli,
    };

    /// <summary>Loads the peer list now (stored peers and <c>Silk:Peers</c>), so that a bad setting stops startup and compaction safety knows the peers from the start.</summary>
    public static PeerDirectory OpenSilkPeers(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<PeerDirectory>();
    }

    private static TimeSpan Seconds(double value, double minimum) => TimeSpan.FromSeconds(Math.Max(value, minimum));
}
