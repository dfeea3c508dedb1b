namespace Silk.Core.Store;

public sealed partial class GraphStore
{
    // Replaced by the tail subsystem: wakes every waiting tail once per published batch.
    private static void RingBell()
    {
    }
}
