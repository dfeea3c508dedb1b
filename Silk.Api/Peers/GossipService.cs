using Microsoft.Extensions.Options;

namespace Silk.Api.Peers;

/// <summary>
/// Background gossip: every <see cref="GossipOptions.IntervalSeconds"/> (±25 % jitter, so peers do not
/// fall into step) one round of <see cref="PeerSync.RunRoundAsync"/>. A round never throws out of the
/// loop; failures are in the peers' state (GET /peers) and the log.
/// </summary>
public sealed partial class GossipService(PeerSync sync, IOptions<GossipOptions> options, ILogger<GossipService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.IntervalSeconds;
        if (!(interval > 0)) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var jittered = interval * (0.75 + (Random.Shared.NextDouble() * 0.5));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(jittered), stoppingToken);
                await sync.RunRoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogRoundFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = Diagnostics.LogEvents.GossipRoundFailed, Level = LogLevel.Warning, Message = "Gossip round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
