using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Silk.Tests.Diagnostics;

/// <summary>One log line as the app wrote it: category, level, event id and the formatted message.</summary>
internal sealed record LoggedLine(string Category, LogLevel Level, int EventId, string Message);

/// <summary>A logger provider that keeps every line (add it to an app with ConfigureLogging).</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LoggedLine> _lines = new();

    public IReadOnlyList<LoggedLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue(new LoggedLine(category, logLevel, eventId.Id, formatter(state, exception)));
    }
}
