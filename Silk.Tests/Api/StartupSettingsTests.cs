using System.Net;

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

    [Theory]
    [InlineData("Silk:Durability", "sometimes", "Silk:Durability")]
    [InlineData("Silk:Ontology", "{not json", "Silk:Ontology")]
    [InlineData("Silk:Ontology", """{"node_types":{"a":{"parent_type":"ghost"}},"edge_types":{}}""", "ontology")]
    [InlineData("Silk:OntologyPath", "/no/such/ontology.json", "Silk:OntologyPath")]
    [InlineData("Silk:MaxBodyBytes", "0", "Silk:MaxBodyBytes")]
    public async Task A_bad_setting_stops_startup_with_a_message_naming_it(string key, string value, string named)
    {
        await using var factory = SilkApiFactory.With(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains(named, messages, StringComparison.Ordinal);
        await Task.CompletedTask;
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
