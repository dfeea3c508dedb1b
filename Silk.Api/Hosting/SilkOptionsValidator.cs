using Microsoft.Extensions.Options;
using Silk.Api.Diagnostics;

namespace Silk.Api.Hosting;

/// <summary>
/// Checks the <c>Silk</c> settings when they are first read (at startup: the store is opened while the app
/// is built, and <c>ValidateOnStart</c> covers the rest). Each failure names its setting, so a server that
/// will not start says which line of its configuration to fix. The ontology and the peer list are checked
/// where they are read (<see cref="OntologySettings"/>, <c>PeerDirectory</c>), with the same kind of message.
/// </summary>
public sealed class SilkOptionsValidator : IValidateOptions<SilkOptions>
{
    public ValidateOptionsResult Validate(string? name, SilkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Problems(SilkOptions o)
    {
        if (Durability(o.Durability) is { } durability) yield return durability;
        if (o.MaxBodyBytes <= 0) yield return $"Setting Silk:MaxBodyBytes is {o.MaxBodyBytes}; it must be positive.";
        if (o.ObservationMaxAgeSeconds <= 0) yield return $"Setting Silk:ObservationMaxAgeSeconds is {o.ObservationMaxAgeSeconds}; it must be positive.";
        if (!(o.ShutdownTimeoutSeconds is >= 0 and <= 3600)) yield return $"Setting Silk:ShutdownTimeoutSeconds is {o.ShutdownTimeoutSeconds}; it must be between 0 and 3600.";
        if (!(o.SlowRequestSeconds is >= 0 and <= 3600)) yield return $"Setting Silk:SlowRequestSeconds is {o.SlowRequestSeconds}; it must be between 0 (off) and 3600.";
        if (DataPath(o.DataPath) is { } dataPath) yield return dataPath;
        foreach (var problem in Telemetry(o.Telemetry ?? new TelemetryOptions())) yield return problem;
        foreach (var problem in (o.Compaction ?? new Compaction.CompactionOptions()).Problems()) yield return problem;
        foreach (var problem in Indexes.IndexSetting.Problems(o.Indexes ?? [])) yield return problem;
    }

    private static string? Durability(string? value)
    {
        try
        {
            DurabilitySetting.Parse(value);
            return null;
        }
        catch (SilkSettingsException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The folder must be (or become) a directory this process can create files in.</summary>
    private static string? DataPath(string? value)
    {
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(value) ? "./data" : value);
        if (File.Exists(path)) return $"Setting Silk:DataPath names {path}, which is a file, not a folder.";
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".silk-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return $"Setting Silk:DataPath names {path}, which cannot be created or written: {ex.Message}";
        }
    }

    private static IEnumerable<string> Telemetry(TelemetryOptions t)
    {
        if (!string.IsNullOrWhiteSpace(t.OtlpEndpoint)
            && (!Uri.TryCreate(t.OtlpEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return $"Setting Silk:Telemetry:OtlpEndpoint is \"{t.OtlpEndpoint}\"; it must be an absolute http:// or https:// URL (or empty for no export).";
        }

        if (TelemetrySetup.Protocol(t.OtlpProtocol) is null)
        {
            yield return $"Setting Silk:Telemetry:OtlpProtocol is \"{t.OtlpProtocol}\"; it must be \"grpc\" or \"http/protobuf\".";
        }

        if (!(t.ExportIntervalSeconds is >= 1 and <= 86_400))
        {
            yield return $"Setting Silk:Telemetry:ExportIntervalSeconds is {t.ExportIntervalSeconds}; it must be between 1 and 86400.";
        }
    }
}
