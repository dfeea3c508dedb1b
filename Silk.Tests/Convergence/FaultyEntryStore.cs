using Silk.Core.Persistence;

namespace Silk.Tests.Convergence;

/// <summary>How an armed storage fault behaves at the next commit.</summary>
public enum StorageFault
{
    None,

    /// <summary>The batch never reaches the disk, then the commit fails.</summary>
    LoseBatch,

    /// <summary>The batch reaches the disk, then the commit fails before it is acknowledged.</summary>
    PersistThenFail,
}

/// <summary>
/// Wraps a real entry store and fails one commit (append or replace) on request, either before or
/// after the data reached the disk. The simulation then treats the peer as crashed (the process
/// died mid-commit) or as having seen an I/O error (the process lives on, the store is faulted).
/// </summary>
internal sealed class FaultyEntryStore(IEntryStore inner) : IEntryStore
{
    public StorageFault Armed { get; set; }

    /// <summary>Set once an armed fault fired; the simulation checks it after every call into the store.</summary>
    public bool Tripped { get; private set; }

    public DurabilityMode Durability => inner.Durability;

    public IReadOnlyList<StoredEntry> LoadEntries() => inner.LoadEntries();

    public void Append(IReadOnlyList<StoredEntry> batch)
    {
        Fail(() => inner.Append(batch));
        inner.Append(batch);
    }

    public void ReplaceAll(IReadOnlyList<StoredEntry> entries)
    {
        Fail(() => inner.ReplaceAll(entries));
        inner.ReplaceAll(entries);
    }

    public void Reclaim() => inner.Reclaim();

    public string? GetMetadata(string key) => inner.GetMetadata(key);

    public void SetMetadata(string key, string? value) => inner.SetMetadata(key, value);

    public void Dispose() => inner.Dispose();

    private void Fail(Action persist)
    {
        var fault = Armed;
        if (fault == StorageFault.None) return;
        Armed = StorageFault.None;
        Tripped = true;
        if (fault == StorageFault.PersistThenFail) persist();
        throw new IOException($"injected storage fault ({fault})");
    }
}
