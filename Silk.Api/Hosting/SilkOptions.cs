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

    /// <summary>
    /// How long a graceful shutdown (SIGTERM, Ctrl+C) waits for in-flight requests before it closes them and
    /// the store anyway. A second SIGTERM does not wait at all.
    /// </summary>
    public double ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>Requests slower than this are logged (method, route template, status, duration); 0 turns it off. GET /tail is never logged.</summary>
    public double SlowRequestSeconds { get; set; } = 1;

    /// <summary>Optional export of the metrics (<c>Silk:Telemetry:*</c>).</summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Indexes declared at every start (<c>Silk:Indexes:&lt;i&gt;:Name</c>, <c>NodeType</c>, <c>Property</c>).</summary>
    public List<Indexes.IndexSetting> Indexes { get; set; } = [];

    /// <summary>The automatic compaction policy (<c>Silk:Compaction:*</c>).</summary>
    public Compaction.CompactionOptions Compaction { get; set; } = new();
}

/// <summary>The <c>Silk:Telemetry</c> settings: OpenTelemetry export of the <c>Silk</c> meters, off unless an endpoint is set.</summary>
public sealed class TelemetryOptions
{
    /// <summary>An OTLP collector's URL (e.g. <c>http://127.0.0.1:4317</c>); empty turns export off.</summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary><c>grpc</c> (port 4317 by convention) or <c>http/protobuf</c> (4318).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Seconds between metric exports.</summary>
    public double ExportIntervalSeconds { get; set; } = 60;
}
