namespace Silk.Api.Import;

/// <summary>Services of <c>POST /import</c>.</summary>
public static class ImportSetup
{
    public static IServiceCollection AddSilkImport(this IServiceCollection services)
    {
        services.AddSingleton<ImportMetrics>();
        return services;
    }
}
