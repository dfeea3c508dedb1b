namespace Silk.Api.Hosting;

/// <summary>Server settings from the <c>Silk</c> configuration section (appsettings.json, environment, command line).</summary>
public sealed class SilkOptions
{
    public const string SectionName = "Silk";

    /// <summary>Folder of the store (created on first start), relative to the working directory unless absolute.</summary>
    public string DataPath { get; set; } = "./data";

    /// <summary>This replica's instance id for a new store; empty means one is generated once and kept in the store.</summary>
    public string InstanceId { get; set; } = "";

    /// <summary><c>fsync</c> (a write is acknowledged once on disk) or <c>process</c> (once handed to the operating system).</summary>
    public string Durability { get; set; } = "fsync";

    /// <summary>A file holding the ontology JSON for a new store; when set it wins over <c>Silk:Ontology</c>.</summary>
    public string OntologyPath { get; set; } = "";

    /// <summary>Largest accepted request body on JSON routes, in bytes.</summary>
    public long MaxBodyBytes { get; set; } = 1_048_576;

    /// <summary>
    /// Where a new (empty) store starts from instead of a fresh genesis: a peer's base URL (its
    /// <c>/sync/snapshot</c> is fetched) or the path of a snapshot file. Ignored once the store has entries.
    /// </summary>
    public string BootstrapFrom { get; set; } = "";

    /// <summary>The key sent (as <c>Authorization: Bearer</c>) to the peer of <see cref="BootstrapFrom"/>: one it knows with role peer or admin.</summary>
    public string BootstrapApiKey { get; set; } = "";

    /// <summary>Observations older than this are pruned automatically.</summary>
    public long ObservationMaxAgeSeconds { get; set; } = 86_400;
}
