namespace Silk.Core.Store;

/// <summary>A sync message refused as a whole; nothing from it was merged.</summary>
public sealed class SyncRejectedException(string message) : Exception(message);
