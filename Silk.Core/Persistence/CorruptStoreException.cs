namespace Silk.Core.Persistence;

/// <summary>A persisted log that cannot be loaded as it is: a corrupt record, a hash that does not verify, a broken chain.</summary>
public sealed class CorruptStoreException(string message, Exception? inner = null) : Exception(message, inner);
