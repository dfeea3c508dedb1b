using Silk.Api.Hosting;

namespace Silk.Api.Tail;

/// <summary>Services of <c>GET /tail</c>: its settings (checked at startup), the open-stream registry, the event JSON cache and the shared tail reads.</summary>
public static class TailSetup
{
    public static IServiceCollection AddSilkTail(this IServiceCollection services)
    {
        services.AddOptions<TailOptions>()
            .BindConfiguration(TailOptions.SectionName)
            .Validate(o => o.Problem() is null, "Silk:Tail settings out of range (HeartbeatSeconds and SlowConsumerSeconds in (0, 3600], RetryMs ≥ 0, BufferBytes ≥ 1024)")
            .ValidateOnStart();
        services.AddSingleton<TailStreams>();
        services.AddSingleton<TailEventJson>();
        services.AddSingleton(sp => new SharedTailReads(sp.GetRequiredService<StoreHost>().Store));
        services.AddSingleton<TailHub>();
        return services;
    }
}
