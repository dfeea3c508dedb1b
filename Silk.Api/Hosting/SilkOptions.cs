namespace Silk.Api.Hosting;

/// <summary>Server settings from the <c>Silk</c> configuration section (appsettings.json, environment, command line).</summary>
public sealed class SilkOptions
{
    public const string SectionName = "Silk";

    /// <summary>Folder for the server's data, relative to the working directory unless absolute. Not used yet.</summary>
    public string DataPath { get; set; } = "./data";

    /// <summary>This replica's instance id; empty means one will be generated. Not used yet.</summary>
    public string InstanceId { get; set; } = "";

    /// <summary>Write durability mode. Not used yet.</summary>
    public string Durability { get; set; } = "fsync";
}
