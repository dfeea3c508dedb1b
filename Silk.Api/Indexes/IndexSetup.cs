namespace Silk.Api.Indexes;

/// <summary>The index catalog, and declaring its indexes once the store is open (<c>Silk:Indexes</c> is checked with the other settings).</summary>
public static class IndexSetup
{
    public static IServiceCollection AddSilkIndexes(this IServiceCollection services)
    {
        services.AddSingleton<IndexCatalog>();
        return services;
    }

    /// <summary>Declares the indexes of the settings and of earlier <c>POST /indexes</c>; they build in the background.</summary>
    public static WebApplication OpenSilkIndexes(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<IndexCatalog>().DeclareAll();
        return app;
    }
}
