using Silk.Core.Wire;

namespace Silk.Core.Persistence;

/// <summary>
/// How hard a store works to keep an acknowledged write: <see cref="Fsync"/> survives power loss
/// (data reaches the disk before the write is acknowledged); <see cref="Process"/> survives a killed
/// process (data reaches the operating system) but not a power cut.
/// </summary>
public enum DurabilityMode
{
    Fsync,
    Process,
}

/// <summary>One persisted entry: its local arrival sequence, hash and wire bytes (7-field form).</summary>
public readonly record struct StoredEntry(long Sequence, Hash Hash, ReadOnlyMemory<byte> Bytes);

/// <summary>
/// The durable home of one oplog, defined by the core and implemented by Silk.Storage. A single
/// writer (the engine) calls it; every method is one atomic transaction: after a crash a batch or
/// a replacement is either fully there or not at all.
/// </summary>
public interface IEntryStore : IDisposable
{
    DurabilityMode Durability { get; }

    /// <summary>Every persisted entry in arrival order; empty for a new store.</summary>
    IReadOnlyList<StoredEntry> LoadEntries();

    /// <summary>Appends a batch in one transaction and returns only once it is durable per <see cref="Durability"/>.</summary>
    void Append(IReadOnlyList<StoredEntry> batch);

    /// <summary>Replaces every entry with <paramref name="entries"/> in one durable transaction (compaction).</summary>
    void ReplaceAll(IReadOnlyList<StoredEntry> entries);

    /// <summary>Gives space freed by <see cref="ReplaceAll"/> back to the file system.</summary>
    void Reclaim();

    /// <summary>A small named value kept with the log (instance id, peers, trusted authors, …); null when unset.</summary>
    string? GetMetadata(string key);

    /// <summary>Sets (or with null, removes) a named value durably.</summary>
    void SetMetadata(string key, string? value);
}
