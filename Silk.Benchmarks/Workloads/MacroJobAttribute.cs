using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace Silk.Benchmarks.Workloads;

/// <summary>As the baseline was measured: one warm-up, then 11 timed runs of the whole workload; medians compared.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class MacroJobAttribute : Attribute, IConfigSource
{
    public MacroJobAttribute()
    {
        Config = ManualConfig.CreateEmpty()
            .AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithWarmupCount(1).WithIterationCount(11).WithLaunchCount(1).WithInvocationCount(1).WithUnrollFactor(1))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }

    public IConfig Config { get; }
}
