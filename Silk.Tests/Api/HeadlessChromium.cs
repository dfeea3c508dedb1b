using Microsoft.Playwright;

namespace Silk.Tests.Api;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium), headless, driven by Playwright, which never downloads a browser here.
/// Every browser test launches it through <see cref="LaunchAsync"/>.
/// </summary>
internal static class HeadlessChromium
{
    public const string Path = "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
    ];

    /// <summary>Fails the test with the way to install it when the browser is missing.</summary>
    public static void Require()
    {
        if (!File.Exists(Path))
        {
            Assert.Fail($"{Path} is missing: the browser tests need Debian's chromium package (`apt-get install chromium`; `bash .ci/run` installs it when missing).");
        }
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = Args,
            Timeout = 20_000,
        });
}
