namespace Silk.Core.Persistence;

/// <summary>
/// Persisting failed (disk full, I/O error): the write that hit it and every later write is refused,
/// because the in-memory state may be ahead of the disk. Reads still work; reopen the store to recover.
/// </summary>
public sealed class StoreFaultedException(string message, Exception? inner = null) : Exception(message, inner);
