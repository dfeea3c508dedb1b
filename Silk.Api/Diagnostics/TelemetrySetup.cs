using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Silk.Api.Hosting;
using Silk.Api.Tail;
using Silk.Core.Diagnostics;

namespace Silk.Api.Diagnostics;

/// <summary>
/// Optional OpenTelemetry export: with <c>Silk:Telemetry:OtlpEndpoint</c> set, the Silk meters (and ASP.NET Core's
/// request and connection meters) are pushed to that OTLP collector every <c>ExportIntervalSeconds</c>. Without
/// it nothing of OpenTelemetry is registered. An unreachable collector costs failed exports, never a failed start
/// or request: the exporter runs on its own thread and drops what it cannot send.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>The meters exported (dotnet-counters reads the same names).</summary>
    public static readonly string[] Meters =
        [SilkMetrics.MeterName, TailStreams.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    public static IServiceCollection AddSilkTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection($"{SilkOptions.SectionName}:Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        // A malformed setting is reported by SilkOptionsValidator at startup; nothing is registered for it here.
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint)
            || !Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint)
            || endpoint.Scheme is not ("http" or "https")
            || Protocol(options.OtlpProtocol) is not { } protocol
            || !(options.ExportIntervalSeconds is >= 1 and <= 86_400))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("silk"))
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = endpoint;
                    exporter.Protocol = protocol;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)(options.ExportIntervalSeconds * 1000);
                }));
        return services;
    }

    /// <summary>The exporter protocol named by the setting, or null when it names none.</summary>
    public static OtlpExportProtocol? Protocol(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" or "http" => OtlpExportProtocol.HttpProtobuf,
        _ => null,
    };
}
