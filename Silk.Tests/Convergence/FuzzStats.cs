using System.Text;

namespace Silk.Tests.Convergence;

/// <summary>What the convergence simulation did and injected, summed over runs (thread-safe adds).</summary>
internal enum FuzzCounter
{
    Runs,
    Peers,
    Steps,
    LocalWritesAcknowledged,
    LocalWritesRefused,
    SchemaExtensionsAcknowledged,
    ConflictBursts,
    SyncsStarted,
    LegacyProtocolOffers,
    PayloadsMerged,
    EntriesInsertedByMerge,
    NeedRounds,
    MergesRefused,
    MessagesSent,
    MessagesDelivered,
    MessagesDropped,
    MessagesDuplicated,
    MessagesDelayed,
    MessagesReordered,
    MessagesTruncated,
    MessagesCorrupted,
    DamagedMessagesRefused,
    MessagesLostToDownPeer,
    MessagesCutByPartition,
    MessagesFromBeforeCompaction,
    Partitions,
    PartitionHeals,
    Restarts,
    CrashesDuringCommit,
    IoFailuresDuringCommit,
    ClockSkewChanges,
    InvalidEntriesInjected,
    ForgedEntriesInjected,
    FutureEntriesInjected,
    OrphanEntriesInjected,
    EntriesDroppedForDrift,
    EntriesDroppedForSignature,
    EntriesDroppedFromBeforeCompaction,
    CompactionsRefusedUnsafe,
    CompactionsRefusedNotRestatable,
    CompactionsSkippedNotConverged,
    Compactions,
    Rebootstraps,
    RebootstrapMergeRefused,
    SignedRuns,
    StrictSignatureRuns,
    MultiRootRuns,
    FinalExchangeRounds,
    TailEntriesDelivered,
    Revalidations,
    SmallPendingBufferRuns,
    FinalEntries,
    FinalQuarantined,
    FinalNodes,
    FinalEdges,
}

internal sealed class FuzzStats
{
    private readonly long[] _counts = new long[Enum.GetValues<FuzzCounter>().Length];

    public void Add(FuzzCounter counter, long amount = 1) => Interlocked.Add(ref _counts[(int)counter], amount);

    public long this[FuzzCounter counter] => Interlocked.Read(ref _counts[(int)counter]);

    public void AddAll(FuzzStats other)
    {
        foreach (var counter in Enum.GetValues<FuzzCounter>()) Add(counter, other[counter]);
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var counter in Enum.GetValues<FuzzCounter>())
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{counter,-34} {this[counter],12:N0}").Append('\n');
        }

        return text.ToString();
    }
}
