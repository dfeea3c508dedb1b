using System.Net;

namespace Silk.Tests.Api;

/// <summary>Stopping the app and starting a new one on the same folder keeps everything.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly SilkApiFactory _first = new();

    [Fact]
    public async Task A_new_app_on_the_same_folder_has_the_same_store()
    {
        string instanceId, heads, entry;
        int entries;
        using (var client = _first.CreateClient())
        {
            await client.CreateNode("r-a", "person", """{"name":"a","f":1.0}""");
            await client.CreateNode("r-b", "document");
            await client.CreateEdge("r-ab", "r-a", "r-b", "AUTHORED");
            using (var patch = await client.PatchJson("/nodes/r-a", """{"properties":{"email":"a@example.org"}}""")) await patch.Json(HttpStatusCode.OK);
            using (var extend = await client.PostJson("/ontology/extensions", """{"node_types":{"r_type":{}}}""")) await extend.Json(HttpStatusCode.Created);
            using (var sample = await client.PostJson("/observations", """{"source":"s","value":1.5}""")) await sample.Json(HttpStatusCode.Created);
            using var info = await client.Get("/info");
            var body = await info.Json(HttpStatusCode.OK);
            (instanceId, entries, heads) = (body.Str("instance_id"), body.GetProperty("entry_count").GetInt32(), body.GetProperty("heads").GetRawText());
            using var node = await client.Get("/nodes/r-a");
            entry = (await node.Json(HttpStatusCode.OK)).GetRawText();
        }

        await _first.DisposeAsyncKeepingFolder();

        await using var second = _first.OnSameFolder();
        using var again = second.CreateClient();
        using var info2 = await again.Get("/info");
        var body2 = await info2.Json(HttpStatusCode.OK);
        Assert.Equal(instanceId, body2.Str("instance_id"));
        Assert.Equal(entries, body2.GetProperty("entry_count").GetInt32());
        Assert.Equal(heads, body2.GetProperty("heads").GetRawText());
        using var node2 = await again.Get("/nodes/r-a");
        Assert.Equal(entry, (await node2.Json(HttpStatusCode.OK)).GetRawText());
        using var edge = await again.Get("/edges/r-ab");
        await edge.Json(HttpStatusCode.OK);
        using var ontology = await again.Get("/ontology");
        Assert.True((await ontology.Json(HttpStatusCode.OK)).GetProperty("node_types").TryGetProperty("r_type", out _));
        using var sample2 = await again.Get("/observations/latest?source=s");
        Assert.Equal(1.5, (await sample2.Json(HttpStatusCode.OK)).GetProperty("value").GetDouble());

        // Writes go on from the reopened log.
        await again.CreateNode("r-c");
        using var integrity = await again.Get("/integrity");
        Assert.True((await integrity.Json(HttpStatusCode.OK)).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_configured_instance_id_names_a_new_store_and_an_existing_store_keeps_its_own()
    {
        await using var named = SilkApiFactory.With(new Dictionary<string, string?> { ["Silk:InstanceId"] = "replica-7" });
        using (var client = named.CreateClient())
        {
            using var info = await client.Get("/info");
            Assert.Equal("replica-7", (await info.Json(HttpStatusCode.OK)).Str("instance_id"));
        }

        await named.DisposeAsyncKeepingFolder();
        await using var renamed = named.OnSameFolder(new Dictionary<string, string?> { ["Silk:InstanceId"] = "replica-8" });
        using var again = renamed.CreateClient();
        using var info2 = await again.Get("/info");
        Assert.Equal("replica-7", (await info2.Json(HttpStatusCode.OK)).Str("instance_id"));
        SilkApiFactory.DeleteFolder(named.DataPath);
    }

    public void Dispose()
    {
        _first.Dispose();
        SilkApiFactory.DeleteFolder(_first.DataPath);
    }
}
