namespace Silk.Api.Diagnostics;

/// <summary>
/// Log lines about the store's content, shared by the routes that change it. Counts and ids only: entry
/// payloads (property values) never go to the log.
/// </summary>
public static partial class StoreLog
{
    /// <summary>The category of these lines.</summary>
    public const string Category = "Silk.Api.Store";

    [LoggerMessage(EventId = LogEvents.Quarantined, Level = LogLevel.Information,
        Message = "{Quarantined} of {Inserted} entries merged from {Source} are quarantined: valid, but refused by this store's schema (GET /quarantine says why)")]
    public static partial void Quarantined(ILogger logger, int quarantined, int inserted, string source);

    [LoggerMessage(EventId = LogEvents.Compacted, Level = LogLevel.Information,
        Message = "Compacted the log ({Trigger}): {Before} entries replaced by {After} (checkpoint {Checkpoint}), safe check {SafeCheck}, {ElapsedMs:F0} ms")]
    public static partial void Compacted(ILogger logger, string trigger, int before, int after, string checkpoint, bool safeCheck, double elapsedMs);
}
