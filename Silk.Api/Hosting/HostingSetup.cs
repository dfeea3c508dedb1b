using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Silk.Api.Diagnostics;
using Silk.Api.OpenApi;
using Silk.Api.Peers;
using Silk.Core.Diagnostics;

namespace Silk.Api.Hosting;

/// <summary>Server settings, the store, and the startup log lines.</summary>
public static partial class HostingSetup
{
    public static IServiceCollection AddSilkOptions(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<SilkOptions>, SilkOptionsValidator>();
        services.AddOptions<SilkOptions>().BindConfiguration(SilkOptions.SectionName).ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<SilkOptions>>((host, silk) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(silk.Value.ShutdownTimeoutSeconds));
        return services;
    }

    public static IServiceCollection AddSilkStore(this IServiceCollection services)
    {
        services.AddSingleton(sp => StoreHost.Open(
            sp.GetRequiredService<IOptions<SilkOptions>>().Value,
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<SilkMetrics>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Silk.Api")));
        return services;
    }

    /// <summary>
    /// Opens the store (and the peer list) now rather than on the first request, so that a bad setting stops
    /// startup with one message naming it (logged once, as Critical), and a slow open happens before the server
    /// accepts requests.
    /// </summary>
    public static StoreHost OpenSilkStore(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            var host = app.Services.GetRequiredService<StoreHost>();
            app.LogStartupInfo(host);
            app.OpenSilkPeers();
            app.Services.GetRequiredService<StorageMetrics>();
            return host;
        }
        catch (Exception ex) when (IsSettingsProblem(ex))
        {
            app.Logger.LogSettingsProblem(ex.Message);
            throw;
        }
    }

    /// <summary>A bad setting (as opposed to a bug): the message says which setting and what is wrong.</summary>
    public static bool IsSettingsProblem(Exception ex) => ex is SilkSettingsException or OptionsValidationException;

    /// <summary>
    /// appsettings.json's <c>Urls</c> is only the default listen address. The host adds the JSON files after the
    /// <c>ASPNETCORE_</c>/<c>DOTNET_</c>-prefixed environment variables, so the file would beat
    /// <c>ASPNETCORE_URLS</c>; re-adding that variable and the command line restores the usual order:
    /// <c>--urls</c> over <c>ASPNETCORE_URLS</c> (or <c>DOTNET_URLS</c>) over appsettings.json.
    /// </summary>
    public static WebApplicationBuilder RestoreUrlPrecedence(this WebApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var envUrls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is { Length: > 0 } aspnet
            ? aspnet
            : Environment.GetEnvironmentVariable("DOTNET_URLS");
        if (!string.IsNullOrEmpty(envUrls))
        {
            builder.Configuration.AddInMemoryCollection([new(WebHostDefaults.ServerUrlsKey, envUrls)]);
        }
        builder.Configuration.AddCommandLine(args);
        return builder;
    }

    /// <summary>
    /// Logs the store (folder, instance id, entries, durability) once it is open, and the listening address(es)
    /// with the Swagger UI address once the server has started. The in-process test server has no addresses.
    /// </summary>
    public static WebApplication LogStartupInfo(this WebApplication app, StoreHost host)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(host);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Silk.Api");
        if (logger.IsEnabled(LogLevel.Information))
        {
            var store = host.Store;
            logger.LogStore(host.DataPath, store.InstanceId, store.EntryCount, DurabilitySetting.Name(store.Durability));
            if (host.IgnoredInstanceId is { } ignored) logger.LogInstanceIdIgnored(ignored, store.InstanceId);
            var telemetry = app.Services.GetRequiredService<IOptions<SilkOptions>>().Value.Telemetry;
            if (app.Services.GetService<OpenTelemetry.Metrics.MeterProvider>() is not null)
            {
                logger.LogTelemetry(telemetry.OtlpEndpoint, telemetry.OtlpProtocol, telemetry.ExportIntervalSeconds);
            }
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features
                .Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (!logger.IsEnabled(LogLevel.Information))
            {
                return;
            }
            foreach (var address in addresses)
            {
                logger.LogListening(address, $"{address.TrimEnd('/')}/{OpenApiSetup.SwaggerUiPrefix}");
            }
        });
        return app;
    }

    [LoggerMessage(EventId = LogEvents.StoreOpened, Level = LogLevel.Information,
        Message = "Silk store at {DataPath}: instance id {InstanceId}, {EntryCount} entries, durability {Durability}")]
    private static partial void LogStore(this ILogger logger, string dataPath, string instanceId, int entryCount, string durability);

    [LoggerMessage(EventId = LogEvents.Listening, Level = LogLevel.Information, Message = "Silk API listening on {Address}; Swagger UI at {SwaggerUi}")]
    private static partial void LogListening(this ILogger logger, string address, string swaggerUi);

    [LoggerMessage(EventId = LogEvents.InstanceIdIgnored, Level = LogLevel.Warning,
        Message = "Setting Silk:InstanceId ({Configured}) is ignored: this store was created as {InstanceId} and keeps that id")]
    private static partial void LogInstanceIdIgnored(this ILogger logger, string configured, string instanceId);

    /// <summary>Logs a setting that stops startup (the caller then throws it).</summary>
    internal static void LogSettingsProblem(this WebApplication app, SilkSettingsException problem)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(problem);
        app.Logger.LogSettingsProblem(problem.Message);
    }

    [LoggerMessage(EventId = LogEvents.TelemetryExport, Level = LogLevel.Information,
        Message = "Exporting metrics to the OTLP collector at {Endpoint} ({Protocol}) every {IntervalSeconds} s")]
    private static partial void LogTelemetry(this ILogger logger, string endpoint, string protocol, double intervalSeconds);

    [LoggerMessage(EventId = LogEvents.CannotStart, Level = LogLevel.Critical, Message = "Silk cannot start: {Problem}")]
    private static partial void LogSettingsProblem(this ILogger logger, string problem);
}
