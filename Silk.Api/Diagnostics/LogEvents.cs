namespace Silk.Api.Diagnostics;

/// <summary>
/// Event ids of Silk's own log lines, stable across versions so that log queries and alerts can match on them
/// rather than on message text. 1xxx startup and shutdown, 2xxx sync, 3xxx the store, 4xxx requests.
/// </summary>
public static class LogEvents
{
    public const int StoreOpened = 1000;
    public const int Listening = 1001;
    public const int InstanceIdIgnored = 1002;
    public const int CannotStart = 1003;
    public const int Stopping = 1010;
    public const int StoreClosed = 1011;
    public const int ForcedExit = 1012;
    public const int TelemetryExport = 1020;
    public const int AuthOff = 1030;
    public const int AuthOn = 1031;
    public const int SigningKey = 1040;
    public const int SigningKeyExposed = 1041;

    public const int SyncExchange = 2000;
    public const int PeerFailed = 2001;
    public const int PeerRecovered = 2002;
    public const int GossipRoundFailed = 2003;
    public const int EntriesDropped = 2004;
    public const int OntologyDivergent = 2005;

    public const int Quarantined = 3000;
    public const int Compacted = 3001;
    public const int CompactionSkipped = 3002;
    public const int CompactionFailed = 3003;
    public const int OperationProgress = 3010;
    public const int OperationDone = 3011;
    public const int ImportChunk = 3020;
    public const int ImportInterrupted = 3021;

    public const int SlowRequest = 4000;
    public const int RequestRefused = 4001;
}
