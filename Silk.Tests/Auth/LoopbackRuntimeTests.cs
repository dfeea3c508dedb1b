using System.Net;
using Microsoft.AspNetCore.Builder;
using Silk.Api.Hosting;
using Silk.Tests.Api;
using Silk.Tests.Storage;

namespace Silk.Tests.Auth;

/// <summary>
/// Addresses can be bound other than through the settings (here: added in code to the real app after it was built);
/// without keys, the server checks what it really bound once it runs and stops itself.
/// </summary>
public sealed class LoopbackRuntimeTests
{
    [Fact]
    public async Task Without_keys_a_server_bound_to_every_interface_stops_itself()
    {
        using var temp = new TempFolder();
        var folder = temp.Path;
        await using var app = SilkApp.Build(["--urls", "http://127.0.0.1:0", "--Silk:DataPath", folder, "--Logging:LogLevel:Default", "Warning"]);
        app.Urls.Clear();
        app.Urls.Add("http://0.0.0.0:0");
        await app.StartAsync();

        await TailTestExtensions.Eventually(() => app.Lifetime.ApplicationStopping.IsCancellationRequested, "the server stops itself", 30);
        await app.StopAsync();
    }

    [Fact]
    public async Task With_keys_a_server_bound_to_every_interface_runs()
    {
        using var temp = new TempFolder();
        var folder = temp.Path;
        await using var app = SilkApp.Build([
            "--urls", "http://127.0.0.1:0", "--Silk:DataPath", folder, "--Logging:LogLevel:Default", "Warning",
            "--Silk:Auth:Keys:0:Name", "ops", "--Silk:Auth:Keys:0:Role", "admin", "--Silk:Auth:Keys:0:Key", AuthTestKit.AdminKey,
        ]);
        app.Urls.Clear();
        app.Urls.Add("http://0.0.0.0:0");
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var health = await client.Get("/healthz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.False(app.Lifetime.ApplicationStopping.IsCancellationRequested);
        await app.StopAsync();
    }
}
