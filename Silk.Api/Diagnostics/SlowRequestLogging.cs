using System.Diagnostics;
using Microsoft.Extensions.Options;
using Silk.Api.Hosting;

namespace Silk.Api.Diagnostics;

/// <summary>
/// Logs requests slower than <see cref="SilkOptions.SlowRequestSeconds"/> with method, route template, status and
/// duration. The route template, never the path and query: a path holds node ids and a query may carry an
/// access token. <c>GET /tail</c> waits (long poll) or streams by design and is left out.
/// </summary>
public sealed partial class SlowRequestLogging(RequestDelegate next, IOptions<SilkOptions> options, ILogger<SlowRequestLogging> logger)
{
    private readonly TimeSpan _threshold = TimeSpan.FromSeconds(options.Value.SlowRequestSeconds);

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_threshold <= TimeSpan.Zero)
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= _threshold && logger.IsEnabled(LogLevel.Warning))
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } raw ? "/" + raw.Trim('/') : "(no route)";
                if (!IsWaitingByDesign(route))
                {
                    LogSlowRequest(logger, context.Request.Method, route, context.Response.StatusCode, elapsed.TotalMilliseconds);
                }
            }
        }
    }

    private static bool IsWaitingByDesign(string route) => route.TrimEnd('/').Equals("/tail", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = LogEvents.SlowRequest, Level = LogLevel.Warning,
        Message = "Slow request: {Method} {Route} answered {StatusCode} after {ElapsedMs:F0} ms")]
    private static partial void LogSlowRequest(ILogger logger, string method, string route, int statusCode, double elapsedMs);
}
