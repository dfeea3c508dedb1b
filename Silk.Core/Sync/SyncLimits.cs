namespace Silk.Core.Sync;

/// <summary>Limits every sync message is held to before anything grows with its size.</summary>
public static class SyncLimits
{
    /// <summary>64 MiB: the largest offer, payload or snapshot accepted.</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    /// <summary>The most entries one payload or snapshot may carry.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>The newest protocol version we speak: 3 (0.4.x, 7-field entries, 4-field extensions).</summary>
    public const uint ProtocolVersion = 3;

    /// <summary>Offers from peers at version 1 (0.2.4) are answered with 8-field entries.</summary>
    public const uint LegacyEntryProtocolVersion = 1;

    public const double BloomFalsePositiveRate = 0.01;

    public const ulong BloomMinimumItems = 128;
}
