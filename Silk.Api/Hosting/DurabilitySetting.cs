using Silk.Core.Persistence;

namespace Silk.Api.Hosting;

/// <summary>The <c>Silk:Durability</c> setting: <c>fsync</c> or <c>process</c>, nothing else.</summary>
public static class DurabilitySetting
{
    public static DurabilityMode Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "fsync" => DurabilityMode.Fsync,
        "process" => DurabilityMode.Process,
        _ => throw new SilkSettingsException(
            $"Setting Silk:Durability is \"{value}\"; it must be \"fsync\" (acknowledge a write once it is on disk) or \"process\" (once the operating system has it)."),
    };

    public static string Name(DurabilityMode? mode) => mode switch
    {
        DurabilityMode.Fsync => "fsync",
        DurabilityMode.Process => "process",
        _ => "memory",
    };
}
