using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Silk.Api.OpenApi;

namespace Silk.Api.Hosting;

/// <summary>Server settings and the startup log lines.</summary>
public static partial class HostingSetup
{
    public static IServiceCollection AddSilkOptions(this IServiceCollection services)
    {
        services.AddOptions<SilkOptions>().BindConfiguration(SilkOptions.SectionName);
        return services;
    }

    /// <summary>
    /// appsettings.json's <c>Urls</c> is only the default listen address. The host adds the JSON files after the
    /// <c>ASPNETCORE_</c>/<c>DOTNET_</c>-prefixed environment variables, so the file would beat
    /// <c>ASPNETCORE_URLS</c>; re-adding that variable and the command line restores the usual order:
    /// <c>--urls</c> over <c>ASPNETCORE_URLS</c> (or <c>DOTNET_URLS</c>) over appsettings.json.
    /// </summary>
    public static WebApplicationBuilder RestoreUrlPrecedence(this WebApplicationBuilder builder, string[] args)
    {
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
    /// Logs the settings once the app is built, and the listening address(es) with the Swagger UI address
    /// once the server has started. The in-process test server has no addresses; then only the settings are logged.
    /// </summary>
    public static WebApplication LogStartupInfo(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Silk.Api");
        var options = app.Services.GetRequiredService<IOptions<SilkOptions>>().Value;
        var ontology = app.Configuration.GetSection($"{SilkOptions.SectionName}:Ontology");

        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogSettings(options.DataPath,
                string.IsNullOrEmpty(options.InstanceId) ? "(generated)" : options.InstanceId, options.Durability);
            logger.LogOntology(
                string.Join(", ", ontology.GetSection("node_types").GetChildren().Select(c => c.Key)),
                string.Join(", ", ontology.GetSection("edge_types").GetChildren().Select(c => c.Key)));
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

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Silk settings: DataPath={DataPath}, InstanceId={InstanceId}, Durability={Durability}")]
    private static partial void LogSettings(this ILogger logger, string dataPath, string instanceId, string durability);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Default ontology (not applied yet): node types [{NodeTypes}], edge types [{EdgeTypes}]")]
    private static partial void LogOntology(this ILogger logger, string nodeTypes, string edgeTypes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silk API listening on {Address}; Swagger UI at {SwaggerUi}")]
    private static partial void LogListening(this ILogger logger, string address, string swaggerUi);
}
