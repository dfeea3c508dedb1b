namespace Silk.Api.Compaction;

/// <summary>Services of the automatic compaction policy (<c>Silk:Compaction</c>; its settings are checked with the other <c>Silk</c> settings).</summary>
public static class CompactionSetup
{
    public static IServiceCollection AddSilkCompaction(this IServiceCollection services)
    {
        services.AddSingleton<CompactionPolicyState>();
        services.AddSingleton<CompactionMetrics>();
        services.AddHostedService<CompactionPolicyService>();
        return services;
    }
}
