using System.Runtime.InteropServices;
using Silk.Api.Diagnostics;
using Silk.Api.Tail;

namespace Silk.Api.Hosting;

/// <summary>
/// Shutdown on SIGTERM or Ctrl+C. The host stops accepting connections and waits (up to
/// <see cref="SilkOptions.ShutdownTimeoutSeconds"/>) for in-flight requests: writes finish and are acknowledged,
/// event streams end cleanly at once (their clients reconnect with Last-Event-ID and resume) and long polls
/// answer at once with what they have. Then the store is disposed: the journal is folded into LiteDB and
/// LiteDB checkpointed. A second signal does not wait for any of that: the process kills itself. Nothing
/// acknowledged is lost either way, since a write is acknowledged only once its journal record is written
/// (and fsynced, in fsync mode), and the next start replays the journal.
/// </summary>
public static partial class GracefulShutdown
{
    public static WebApplication UseGracefulShutdown(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Silk.Api");
        var streams = app.Services.GetRequiredService<TailStreams>();
        var timeout = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value.ShutdownTimeout;
        app.Lifetime.ApplicationStopping.Register(() => LogStopping(logger, streams.OpenStreams, streams.OpenLongPolls, timeout.TotalSeconds));
        var signals = new SecondSignal(logger);
        app.Lifetime.ApplicationStopped.Register(() => GC.KeepAlive(signals));
        return app;
    }

    /// <summary>Counts SIGTERM and SIGINT; the host handles the first (graceful stop), the second ends the process.</summary>
    private sealed class SecondSignal
    {
        private readonly ILogger _logger;
        private readonly PosixSignalRegistration[] _registrations;
        private int _signals;

        public SecondSignal(ILogger logger)
        {
            _logger = logger;
            _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal)];
        }

        private void OnSignal(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref _signals) < 2) return;
            context.Cancel = true;
            var signal = context.Signal == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM";
            LogForcedExit(_logger, signal);
            // The logger writes on its own thread, which the kill would beat.
            Console.Error.WriteLine($"Silk: second {signal} during shutdown: exiting now without waiting (acknowledged writes are in the journal and are replayed at the next start)");
            GC.KeepAlive(_registrations);
            // Environment.Exit would wait for the host's own shutdown (its process-exit handler blocks on it).
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
    }

    [LoggerMessage(EventId = LogEvents.Stopping, Level = LogLevel.Information,
        Message = "Silk stopping: no new connections; ending {Streams} event streams and {LongPolls} long polls; waiting up to {TimeoutSeconds} s for requests in flight (a second SIGTERM exits at once)")]
    private static partial void LogStopping(ILogger logger, int streams, long longPolls, double timeoutSeconds);

    [LoggerMessage(EventId = LogEvents.ForcedExit, Level = LogLevel.Critical, Message = "Second {Signal} during shutdown: exiting now")]
    private static partial void LogForcedExit(ILogger logger, string signal);
}
