using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Silk.Api.Diagnostics;
using Silk.Api.Hosting;
using Silk.Api.OpenApi;

namespace Silk.Api.Auth;

/// <summary>
/// API keys (<c>Silk:Auth:Keys</c>) and the auth middleware. With no keys, authentication is off and the server
/// refuses to listen anywhere but loopback; startup says which mode it is in.
/// </summary>
public static partial class AuthSetup
{
    /// <summary>Logger category of ASP.NET Core's per-request lines ("Request starting GET …?access_token=…").</summary>
    private const string RequestLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static IServiceCollection AddSilkAuth(this IServiceCollection services)
    {
        services.AddSingleton(sp => ApiKeyRing.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<TailTokens>();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        services.Configure<OpenApiOptions>(OpenApiSetup.DocumentName, AuthOpenApi.Configure);
        // Those lines carry the whole query string, and so an EventSource's access_token: held at Warning whatever the
        // configured levels say (this rule is added after the configuration's and wins over it).
        services.AddLogging(logging => logging.AddFilter(RequestLogCategory, LogLevel.Warning));
        return services;
    }

    /// <summary>
    /// Loads the keys (a bad entry stops startup, naming it), refuses a non-loopback address without keys, logs the
    /// mode, and checks keys from here on (after routing, which finds the endpoint's role; before any body is read).
    /// </summary>
    public static WebApplication UseSilkAuth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Silk.Api.Auth");
        ApiKeyRing keys;
        try
        {
            keys = app.Services.GetRequiredService<ApiKeyRing>();
            var seconds = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.TailTokenSeconds;
            if (seconds is < 10 or > 86_400)
            {
                throw new SilkSettingsException($"Setting {AuthOptions.SectionName}:TailTokenSeconds is {seconds}; it must be between 10 and 86400.");
            }

            if (!keys.Enabled && LoopbackGuard.NonLoopbackAddresses(app.Configuration) is { Count: > 0 } exposed)
            {
                throw NotLoopback(exposed);
            }
        }
        catch (SilkSettingsException ex)
        {
            app.LogSettingsProblem(ex);
            throw;
        }

        if (keys.Enabled)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var names = string.Join(", ", keys.Entries.Select(e => $"{e.Name} ({e.Role.Name()})"));
                LogAuthOn(logger, keys.Entries.Count, names);
            }
        }
        else
        {
            LogAuthOff(logger, ApiKeyRing.SectionName);
            // The configuration is not the only way to add addresses; what the server really bound is checked once it runs.
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                var exposed = bound.Where(a => !LoopbackGuard.IsLoopback(a)).ToList();
                if (exposed.Count == 0) return;
                app.LogSettingsProblem(NotLoopback(exposed));
                app.Lifetime.StopApplication();
            });
        }

        app.UseMiddleware<SilkAuthMiddleware>();
        return app;
    }

    private static SilkSettingsException NotLoopback(IEnumerable<string> addresses) => new(
        $"No API keys are configured ({ApiKeyRing.SectionName}), so authentication is off and the server may only listen on loopback, "
        + $"but Urls (or HTTP_PORTS / Kestrel:Endpoints) names {string.Join(", ", addresses)}. Configure keys in {ApiKeyRing.SectionName}, "
        + "or listen on 127.0.0.1 / localhost.");

    [LoggerMessage(EventId = LogEvents.AuthOff, Level = LogLevel.Warning,
        Message = "Authentication is OFF: no API keys in {Setting}. Every route is open to anyone who can connect, so the server listens on loopback only.")]
    private static partial void LogAuthOff(ILogger logger, string setting);

    [LoggerMessage(EventId = LogEvents.AuthOn, Level = LogLevel.Information, Message = "Authentication on: {Count} API keys: {Keys}")]
    private static partial void LogAuthOn(ILogger logger, int count, string keys);
}
