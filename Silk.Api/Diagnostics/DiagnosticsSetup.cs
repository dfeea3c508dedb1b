using System.Diagnostics.Metrics;
using Silk.Core.Diagnostics;

namespace Silk.Api.Diagnostics;

/// <summary>Metrics (the <c>Silk</c> meter, through the host's <see cref="IMeterFactory"/>), their optional OTLP export, and slow-request logging.</summary>
public static class DiagnosticsSetup
{
    public static IServiceCollection AddSilkDiagnostics(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // One meter per service provider (the factory disposes it): two apps in one process, as in the tests, count apart.
        services.AddSingleton(sp => new SilkMetrics(sp.GetRequiredService<IMeterFactory>().Create(SilkMetrics.MeterName)));
        services.AddSingleton<StorageMetrics>();
        services.AddSilkTelemetry(configuration);
        return services;
    }

    /// <summary>Outermost, so that the time includes everything the server did and the status is the one sent.</summary>
    public static WebApplication UseSlowRequestLogging(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<SlowRequestLogging>();
        return app;
    }
}
