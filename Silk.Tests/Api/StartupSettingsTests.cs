using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Silk.Tests.Storage;

namespace Silk.Tests.Api;

/// <summary>Settings that shape startup: durability, where the ontology comes from, a folder in use.</summary>
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("fsync", "fsync")]
    [InlineData("process", "process")]
    [InlineData("Process", "process")]
    public async Task Durability_setting_maps_to_the_store_mode(string setting, string reported)
    {
        await using var factory = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:Durability"] = setting });
        using var client = factory.CreateClient();

        using var info = await client.Get("/info");

        Assert.Equal(reported, (await info.Json(HttpStatusCode.OK)).Str("durability"));
    }

    [Fact]
    public async Task Two_indexes_of_one_name_in_the_settings_stop_startup()
    {
        await using var factory = SilkApiFactory.With(new Dictionary<string, string?>
        {
            ["Silk:Indexes:0:Name"] = "twice", ["Silk:Indexes:0:NodeType"] = "entity", ["Silk:Indexes:0:Property"] = "name",
            ["Silk:Indexes:1:Name"] = "twice", ["Silk:Indexes:1:NodeType"] = "person", ["Silk:Indexes:1:Property"] = "email",
        });

        var messages = string.Join(" | ", Chain(Assert.ThrowsAny<Exception>(() => factory.CreateClient())).Select(e => e.Message));
        Assert.Contains("Setting Silk:Indexes:1:Name is \"twice\"", messages, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("Silk:Durability", "sometimes", "Silk:Durability")]
    [InlineData("Silk:Ontology", "{not json", "Silk:Ontology")]
    [InlineData("Silk:Ontology", """{"node_types":{"a":{"parent_type":"ghost"}},"edge_types":{}}""", "ontology")]
    [InlineData("Silk:OntologyPath", "/no/such/ontology.json", "Silk:OntologyPath")]
    [InlineData("Silk:MaxBodyBytes", "0", "Silk:MaxBodyBytes")]
    [InlineData("Silk:ObservationMaxAgeSeconds", "-1", "Silk:ObservationMaxAgeSeconds")]
    [InlineData("Silk:ShutdownTimeoutSeconds", "-5", "Silk:ShutdownTimeoutSeconds")]
    [InlineData("Silk:SlowRequestSeconds", "NaN", "Silk:SlowRequestSeconds")]
    [InlineData("Silk:Telemetry:OtlpEndpoint", "localhost:4317", "Silk:Telemetry:OtlpEndpoint")]
    [InlineData("Silk:Telemetry:OtlpEndpoint", "ftp://collector", "Silk:Telemetry:OtlpEndpoint")]
    [InlineData("Silk:Telemetry:OtlpProtocol", "carrier-pigeon", "Silk:Telemetry:OtlpProtocol")]
    [InlineData("Silk:Telemetry:ExportIntervalSeconds", "0", "Silk:Telemetry:ExportIntervalSeconds")]
    [InlineData("Silk:Compaction:Policy", "sometimes", "Setting Silk:Compaction:Policy is \"sometimes\"")]
    [InlineData("Silk:Compaction:Policy", "threshold", "Setting Silk:Compaction:MaxEntries is missing")]
    [InlineData("Silk:Compaction:Policy", "interval", "Setting Silk:Compaction:IntervalSeconds is missing")]
    [InlineData("Silk:Compaction:MaxEntries", "0", "Setting Silk:Compaction:MaxEntries is 0")]
    [InlineData("Silk:Compaction:MaxEntries", "-5", "Setting Silk:Compaction:MaxEntries is -5")]
    [InlineData("Silk:Compaction:IntervalSeconds", "0", "Setting Silk:Compaction:IntervalSeconds is 0")]
    [InlineData("Silk:Compaction:IntervalSeconds", "2592001", "Setting Silk:Compaction:IntervalSeconds is 2592001")]
    [InlineData("Silk:Compaction:RetrySeconds", "0", "Setting Silk:Compaction:RetrySeconds is 0")]
    [InlineData("Silk:Indexes:0:Name", "no spaces please", "Setting Silk:Indexes:0 is invalid: index name 'no spaces please'")]
    [InlineData("Silk:Indexes:0:NodeType", "entity", "Setting Silk:Indexes:0 is invalid: index name ''")]
    public async Task A_bad_setting_stops_startup_with_a_message_naming_it(string key, string value, string named)
    {
        await using var factory = SilkApiFactory.With(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains(named, messages, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_malformed_peer_address_stops_startup_naming_the_setting_and_the_address()
    {
        await using var factory = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:Peers:0:Id"] = "n2", ["Silk:Peers:0:Address"] = "127.0.0.1:5081" });

        var messages = string.Join(" | ", Chain(Assert.ThrowsAny<Exception>(() => factory.CreateClient())).Select(e => e.Message));

        Assert.Contains("Setting Silk:Peers", messages, StringComparison.Ordinal);
        Assert.Contains("'127.0.0.1:5081' is not an absolute http:// or https:// URL", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ontology_file_that_is_not_an_ontology_stops_startup_naming_the_setting()
    {
        var file = Path.Combine(Path.GetTempPath(), $"silk-bad-ontology-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"node_types": [1, 2""");
        try
        {
            await using var factory = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:OntologyPath"] = file });

            var messages = string.Join(" | ", Chain(Assert.ThrowsAny<Exception>(() => factory.CreateClient())).Select(e => e.Message));

            Assert.Contains($"Silk:OntologyPath ({file})", messages, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_data_folder_that_cannot_be_created_or_written_stops_startup_naming_the_setting(bool underAFile)
    {
        var file = Path.Combine(Path.GetTempPath(), $"silk-not-a-folder-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "a file");
        var dataPath = underAFile ? Path.Combine(file, "data") : file;
        try
        {
            await using var factory = SilkApiFactory.With(new Dictionary<string, string?>());
            await using var app = factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection([new("Silk:DataPath", dataPath)])));

            var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

            var validation = Assert.IsType<OptionsValidationException>(Chain(error).First(e => e is OptionsValidationException));
            var failure = Assert.Single(validation.Failures);
            Assert.StartsWith($"Setting Silk:DataPath names {dataPath}, which ", failure, StringComparison.Ordinal);
            Assert.Equal("a file", await File.ReadAllTextAsync(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_server_process_refuses_a_bad_setting_with_one_line_and_exit_code_1()
    {
        using var temp = new TempFolder();
        var root = temp.Path;
        using var server = new Silk.Tests.Peers.SilkProcess("bad", Silk.Tests.Peers.SilkProcess.FreePorts(1)[0], root, [$"--Silk:DataPath={Path.Combine(root, "data")}", "--Silk:Durability=sometimes"]);
        server.Start();

        Assert.Equal(1, server.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("Silk cannot start: Setting Silk:Durability is \"sometimes\"", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Otlp_export_to_an_unreachable_collector_does_not_stop_the_server_process()
    {
        using var temp = new TempFolder();
        var root = temp.Path;
        // A collector that accepts each export's connection and closes it at once: every export fails, and each
        // attempt is counted, so the test waits for the attempts themselves.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var collector = $"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}";
        var attempts = 0;
        using var stopCollector = new CancellationTokenSource();
        var collecting = Task.Run(async () =>
        {
            while (!stopCollector.IsCancellationRequested)
            {
                using var connection = await listener.AcceptTcpClientAsync(stopCollector.Token);
                Interlocked.Increment(ref attempts);
            }
        });
        using var server = new Silk.Tests.Peers.SilkProcess("otlp", Silk.Tests.Peers.SilkProcess.FreePorts(1)[0], root, [
            $"--Silk:DataPath={Path.Combine(root, "data")}",
            $"--Silk:Ontology={"""{"node_types":{"entity":{"properties":{"name":{"value_type":"string","required":true}}}},"edge_types":{}}"""}",
            $"--Silk:Telemetry:OtlpEndpoint={collector}",
            "--Silk:Telemetry:OtlpProtocol=http/protobuf",
            "--Silk:Telemetry:ExportIntervalSeconds=1",
        ]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        server.Start();
        await server.WaitReadyAsync(http, TimeSpan.FromSeconds(60));
        using (var content = new StringContent("""{"node_id":"exported","node_type":"entity","label":"e","properties":{"name":"e"}}""", System.Text.Encoding.UTF8, "application/json"))
        using (var created = await http.PostAsync(new Uri($"{server.Url}/nodes"), content))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref attempts) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than two export attempts within 60 s\n{server.Output}");
            await Task.Delay(50);
        }

        Assert.True(server.IsRunning, server.Output);
        using var node = await http.GetAsync(new Uri($"{server.Url}/nodes/exported"));
        Assert.Equal(HttpStatusCode.OK, node.StatusCode);
        Assert.Contains($"Exporting metrics to the OTLP collector at {collector}", server.Output, StringComparison.Ordinal);
        server.Stop();
        Assert.Contains("exit code 0", server.Output, StringComparison.Ordinal);
        await stopCollector.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collecting);
    }

    [Fact]
    public async Task Ontology_from_a_file_or_an_inline_json_string()
    {
        var file = Path.Combine(Path.GetTempPath(), $"silk-ontology-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"node_types":{"from_file":{"properties":{"n":{"value_type":"int","required":true}}}},"edge_types":{}}""");
        try
        {
            await using var fromFile = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:OntologyPath"] = file });
            using var client = fromFile.CreateClient();
            using var ontology = await client.Get("/ontology");
            var types = (await ontology.Json(HttpStatusCode.OK)).GetProperty("node_types");
            Assert.True(types.TryGetProperty("from_file", out _));
            Assert.False(types.TryGetProperty("entity", out _));
        }
        finally
        {
            File.Delete(file);
        }

        await using var inline = SilkApiFactory.With(new Dictionary<string, string?>
        {
            ["Silk:Ontology"] = """{"node_types":{"inline_type":{"properties":{"flag":{"value_type":"bool","required":true}}}},"edge_types":{}}""",
        });
        using var inlineClient = inline.CreateClient();
        using var created = await inlineClient.PostJson("/nodes", """{"node_id":"i","node_type":"inline_type","label":"i","properties":{"flag":true}}""");
        await created.Json(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Default_ontology_keeps_json_types_from_appsettings()
    {
        // Configuration would read "required": true as the string "True"; the ontology is read from the JSON file itself.
        await using var factory = new SilkApiFactory();
        using var client = factory.CreateClient();

        using var ontology = await client.Get("/ontology");
        var name = (await ontology.Json(HttpStatusCode.OK)).GetProperty("node_types").GetProperty("entity").GetProperty("properties").GetProperty("name");

        Assert.Equal(System.Text.Json.JsonValueKind.True, name.GetProperty("required").ValueKind);
    }

    [Fact]
    public async Task A_folder_in_use_by_a_running_app_is_refused()
    {
        await using var first = new SilkApiFactory();
        using var client = first.CreateClient();
        await using var second = first.OnSameFolder();

        var error = Assert.ThrowsAny<Exception>(() => second.CreateClient());

        Assert.Contains("Silk:DataPath", string.Join(" | ", Chain(error).Select(e => e.Message)), StringComparison.Ordinal);
        using var stillServing = await client.Get("/readyz");
        await stillServing.Json(HttpStatusCode.OK);
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
        if (e is AggregateException aggregate) foreach (var inner in aggregate.InnerExceptions) yield return inner;
    }
}
