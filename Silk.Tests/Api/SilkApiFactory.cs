using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Silk.Api.Hosting;

namespace Silk.Tests.Api;

/// <summary>
/// The real app in memory over a real LiteDB store in its own temporary folder. Each test class gets one
/// (as a class fixture); <see cref="Restart"/> and <see cref="OnSameFolder"/> give a new app over the same folder.
/// </summary>
public class SilkApiFactory : WebApplicationFactory<Program>
{
    private bool _ownsFolder;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public SilkApiFactory() : this(NewFolder(), ownsFolder: true, new Dictionary<string, string?>())
    {
    }

    protected SilkApiFactory(string dataPath, bool ownsFolder, IReadOnlyDictionary<string, string?> settings)
    {
        DataPath = dataPath;
        _ownsFolder = ownsFolder;
        _settings = settings;
    }

    public string DataPath { get; }

    /// <summary>The store behind the app (starts the app if needed).</summary>
    public StoreHost Host => Services.GetRequiredService<StoreHost>();

    /// <summary>A factory with extra settings over a new folder (deleted with it).</summary>
    public static SilkApiFactory With(IReadOnlyDictionary<string, string?> settings) => new(NewFolder(), ownsFolder: true, settings);

    /// <summary>A second app over this one's folder (which this one keeps owning). Dispose this one first.</summary>
    public SilkApiFactory OnSameFolder(IReadOnlyDictionary<string, string?>? settings = null) =>
        new(DataPath, ownsFolder: false, settings ?? _settings);

    /// <summary>
    /// Stops the app but leaves its folder for a next app (<see cref="OnSameFolder"/>); the caller deletes it.
    /// Returns once the store's files are closed (the journal can be opened exclusively again).
    /// </summary>
    public async ValueTask DisposeAsyncKeepingFolder()
    {
        _ownsFolder = false;
        await DisposeAsync();
        var journal = Path.Combine(DataPath, "silk.journal");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (File.Exists(journal))
        {
            try
            {
                using var exclusive = new FileStream(journal, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureAppConfiguration((_, config) =>
        {
            var settings = new Dictionary<string, string?>(_settings) { ["Silk:DataPath"] = DataPath };
            config.AddInMemoryCollection(settings);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsFolder) DeleteFolder(DataPath);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsFolder) DeleteFolder(DataPath);
        GC.SuppressFinalize(this);
    }

    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "silk-api-" + Guid.NewGuid().ToString("N")[..12]);

    internal static void DeleteFolder(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
