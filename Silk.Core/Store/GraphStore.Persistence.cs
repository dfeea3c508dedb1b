using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Log;
using Silk.Core.Persistence;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>Opening a store backed by an <see cref="IEntryStore"/>: create on first use, reload and re-verify afterwards.</summary>
public sealed partial class GraphStore
{
    public const string InstanceIdKey = "instance_id";

    /// <summary>
    /// Opens the store kept in <paramref name="storage"/> (the store takes ownership of it). An empty
    /// storage gets a new genesis from <paramref name="ontology"/>, written by <paramref name="instanceId"/>
    /// (a new id is generated when null). An existing one is reloaded as it is: every hash is
    /// re-verified, the graph rebuilt from the log (whose own ontology prevails), the instance id is the
    /// one kept in the storage, and the clock resumes after the newest entry. Anything that does not
    /// load cleanly throws <see cref="CorruptStoreException"/>, never a silently smaller graph.
    /// </summary>
    public static GraphStore Open(IEntryStore storage, Ontology ontology, string? instanceId = null, GraphStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(ontology);
        options ??= new GraphStoreOptions();
        var stored = storage.LoadEntries();
        var store = stored.Count == 0
            ? CreatePersisted(storage, ontology, instanceId, options)
            : Reload(storage, stored, options);
        store._storage = storage;
        return store;
    }

    /// <summary>
    /// As <see cref="Open(IEntryStore, Ontology, string?, GraphStoreOptions?)"/>, but an empty storage starts
    /// from another store's state instead of a fresh genesis: <paramref name="initialState"/> is called (only
    /// then) for a snapshot, which is loaded as <see cref="FromSnapshot"/> does (its root may be a genesis or a
    /// checkpoint) and persisted in one batch before the store is returned. A storage that already holds
    /// entries is reopened as it is and <paramref name="initialState"/> is not called.
    /// </summary>
    public static GraphStore Open(IEntryStore storage, Func<Sync.Snapshot> initialState, string? instanceId = null, GraphStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(initialState);
        options ??= new GraphStoreOptions();
        var stored = storage.LoadEntries();
        if (stored.Count > 0)
        {
            var reloaded = Reload(storage, stored, options);
            reloaded._storage = storage;
            return reloaded;
        }

        var id = string.IsNullOrEmpty(instanceId) ? storage.GetMetadata(InstanceIdKey) ?? NewInstanceId() : instanceId;
        var store = FromSnapshot(id, initialState(), options);
        try
        {
            var batch = store._log.InArrivalOrder.Select(e => new StoredEntry(store._log.SequenceOf(e.Hash), e.Hash, e.ToBytes())).ToList();
            storage.SetMetadata(InstanceIdKey, id);
            storage.Append(batch);
            store._durableThrough = store._log.LastSequence;
        }
        catch
        {
            store.Dispose();
            throw;
        }

        store._storage = storage;
        return store;
    }

    private static GraphStore CreatePersisted(IEntryStore storage, Ontology ontology, string? instanceId, GraphStoreOptions options)
    {
        var id = string.IsNullOrEmpty(instanceId) ? storage.GetMetadata(InstanceIdKey) ?? NewInstanceId() : instanceId;
        var store = Create(id, ontology, options);
        var genesis = store._log.InArrivalOrder.First();
        storage.SetMetadata(InstanceIdKey, id);
        storage.Append([new StoredEntry(0, genesis.Hash, genesis.ToBytes())]);
        return store;
    }

    private static GraphStore Reload(IEntryStore storage, IReadOnlyList<StoredEntry> stored, GraphStoreOptions options)
    {
        // Two passes over the entries (decode and verify each, then replay all but the root into the log), then one graph rebuild.
        using var progress = options.Operations?.Start("open", (2L * stored.Count) - 1);
        var entries = new Entry[stored.Count];
        for (var i = 0; i < stored.Count; i++)
        {
            progress?.Advance();
            var record = stored[i];
            if (record.Sequence != stored[0].Sequence + i)
            {
                throw new CorruptStoreException($"arrival sequence jumps from {stored[i - 1].Sequence} to {record.Sequence}: entries are missing");
            }

            Entry entry;
            try
            {
                entry = Entry.Decode(record.Bytes);
            }
            catch (WireFormatException ex)
            {
                throw new CorruptStoreException($"corrupt entry at sequence {record.Sequence} ({record.Hash.ToHex()}): {ex.Message}", ex);
            }

            if (entry.Hash != record.Hash) throw new CorruptStoreException($"entry stored under {record.Hash.ToHex()} at sequence {record.Sequence} carries hash {entry.Hash.ToHex()}");
            if (!entry.VerifyHash()) throw new CorruptStoreException($"entry {record.Hash.ToHex()} at sequence {record.Sequence} does not match its hash");
            entries[i] = entry;
        }

        var root = entries[0];
        if (!root.IsRoot || root.Payload is not (DefineOntology or Checkpoint))
        {
            throw new CorruptStoreException($"the first stored entry ({root.Hash.ToHex()}) is not a genesis or checkpoint");
        }

        var instanceId = storage.GetMetadata(InstanceIdKey) ?? root.Author;
        var newest = entries.Select(e => e.Clock).Aggregate((a, b) => a.CompareTime(b) >= 0 ? a : b);
        var clock = new HybridClock(instanceId, options.Time, newest.PhysicalMs, newest.Logical);
        var store = new GraphStore(instanceId, root, clock, options, stored[0].Sequence);
        try
        {
            // Sequence order is parent-first by construction; the graph is rebuilt once at the end.
            for (var i = 1; i < entries.Length; i++)
            {
                store._log.Append(entries[i], hashVerified: true);
                progress?.Advance();
            }
        }
        catch (OpLogException ex)
        {
            throw new CorruptStoreException($"could not reconstruct oplog: {ex.Message}", ex);
        }

        store._graph.Rebuild(store._log.TopologicalOrder());
        store._durableThrough = store._log.LastSequence;
        store.Acknowledge(store._log.LastSequence);
        return store;
    }

    private static string NewInstanceId() => $"silk-{Guid.NewGuid():N}"[..17];
}
