using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Silk.Api.Explorer;

/// <summary>
/// The graph explorer: a static single page (<c>wwwroot/</c>: HTML, CSS, JavaScript modules and the vendored
/// cytoscape) served at <c>/</c>. It only calls the public API, so it is not part of the OpenAPI document.
/// </summary>
public static partial class ExplorerSetup
{
    private const string WebRootFolder = "wwwroot";
    private const string IndexFile = "index.html";

    /// <summary>
    /// Serves wwwroot from the content root (the project folder under <c>dotnet run</c> and the test host), else from
    /// the copy beside the assembly (the build copies wwwroot to the output, so a server started from any folder finds it).
    /// </summary>
    public static WebApplication UseSilkExplorer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        string[] candidates =
        [
            Path.Combine(app.Environment.ContentRootPath, WebRootFolder),
            Path.Combine(AppContext.BaseDirectory, WebRootFolder),
        ];
        var webRoot = candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, IndexFile)));
        if (webRoot is null)
        {
            // The API does not depend on the page: a server installed without it still serves every route.
            LogNoExplorer(app.Logger, candidates[0], candidates[1]);
            return app;
        }

        var files = new PhysicalFileProvider(webRoot);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The explorer page is not served: its files (wwwroot/index.html) are in neither {ContentRootCopy} nor {AssemblyCopy}.")]
    private static partial void LogNoExplorer(ILogger logger, string contentRootCopy, string assemblyCopy);
}
