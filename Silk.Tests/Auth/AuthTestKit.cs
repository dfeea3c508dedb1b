using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Silk.Tests.Api;

namespace Silk.Tests.Auth;

/// <summary>Keys of every role, the settings that configure them, and clients that send them.</summary>
internal static class AuthTestKit
{
    public const string ReadKey = "read-key-0123456789abcdef";
    public const string WriteKey = "write-key-0123456789abcdef";
    public const string PeerKey = "peer-key-0123456789abcdef";
    public const string AdminKey = "admin-key-0123456789abcdef";

    /// <summary>Silk:Auth:Keys with one key per role (the admin key given as its hash), plus <paramref name="extra"/>.</summary>
    public static Dictionary<string, string?> Keys(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Silk:Auth:Keys:0:Name"] = "reader",
            ["Silk:Auth:Keys:0:Role"] = "read",
            ["Silk:Auth:Keys:0:Key"] = ReadKey,
            ["Silk:Auth:Keys:1:Name"] = "writer",
            ["Silk:Auth:Keys:1:Role"] = "write",
            ["Silk:Auth:Keys:1:Key"] = WriteKey,
            ["Silk:Auth:Keys:2:Name"] = "peer",
            ["Silk:Auth:Keys:2:Role"] = "Peer",
            ["Silk:Auth:Keys:2:Key"] = PeerKey,
            ["Silk:Auth:Keys:3:Name"] = "operator",
            ["Silk:Auth:Keys:3:Role"] = "admin",
            ["Silk:Auth:Keys:3:KeyHash"] = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AdminKey))),
            ["Silk:Gossip:IntervalSeconds"] = "0",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        return settings;
    }

    public static SilkApiFactory Factory(IReadOnlyDictionary<string, string?>? extra = null) => SilkApiFactory.With(Keys(extra));

    /// <summary>A client that sends <paramref name="key"/> as a Bearer token (none when null).</summary>
    public static HttpClient ClientWith(this SilkApiFactory factory, string? key)
    {
        var client = factory.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}

/// <summary>Collects every log line of the app (category, level, message) for tests of what is and is not logged.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public string All() => string.Join("\n", Lines.Select(l => $"{l.Level} {l.Category}: {l.Message}"));

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue((category, logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception)));
    }
}
