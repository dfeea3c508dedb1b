using Silk.Api.Diagnostics;
using Silk.Api.Hosting;

namespace Silk.Api.Signing;

/// <summary>Services for signing: the settings section and the service that keeps the key, trusted authors and strict mode.</summary>
public static partial class SigningSetup
{
    public static IServiceCollection AddSilkSigning(this IServiceCollection services)
    {
        services.AddOptions<SigningOptions>().BindConfiguration(SigningOptions.SectionName);
        services.AddSingleton<SigningService>();
        return services;
    }

    /// <summary>
    /// Loads the signing key and settings now, before the server takes requests: the first local write
    /// must already be signed, and a damaged key file must stop startup with a message naming it.
    /// </summary>
    public static SigningService OpenSilkSigning(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            return app.Services.GetRequiredService<SigningService>();
        }
        catch (SilkSettingsException ex)
        {
            LogCannotStart(app.Logger, ex.Message);
            throw;
        }
    }

    [LoggerMessage(EventId = LogEvents.CannotStart, Level = LogLevel.Critical, Message = "Silk cannot start: {Problem}")]
    private static partial void LogCannotStart(ILogger logger, string problem);
}
