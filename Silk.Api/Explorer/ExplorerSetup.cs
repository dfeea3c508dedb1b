using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Silk.Api.Explorer;

/// <summary>
/// The graph explorer: a static single page (<c>wwwroot/</c>: HTML, CSS, JavaScript modules and the vendored
/// cytoscape) served at <c>/</c>. It only calls the public API, so it is not part of the OpenAPI document.
/// </summary>
public static class ExplorerSetup
{
    private const string WebRootFolder = "wwwroot";
    private const string IndexFile = "index.html";

    public static WebApplication UseSilkExplorer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = new PhysicalFileProvider(FindWebRoot(app.Environment));

        // .mjs (the vendored cytoscape module) is not in the default table; a module must be served as JavaScript.
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".mjs"] = "text/javascript";

        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, DefaultFileNames = [IndexFile] });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = types,
            // Revalidate every time: after an upgrade the page must not mix old and new modules.
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }

    /// <summary>
    /// The content root's wwwroot (the project folder under <c>dotnet run</c> and the test host), else the copy
    /// beside the assembly (the build copies wwwroot to the output, so a server started from any folder finds it).
    /// </summary>
    private static string FindWebRoot(IWebHostEnvironment environment)
    {
        string[] candidates =
        [
            Path.Combine(environment.ContentRootPath, WebRootFolder),
            Path.Combine(AppContext.BaseDirectory, WebRootFolder),
        ];
        foreach (var candidate in candidates)
        {
            if (File.Exists(Path.Combine(candidate, IndexFile))) return candidate;
        }

        throw new InvalidOperationException($"The explorer's files ({WebRootFolder}/{IndexFile}) are in neither {candidates[0]} nor {candidates[1]}.");
    }
}
