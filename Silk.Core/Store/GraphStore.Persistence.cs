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
    /// re-verified, the graph materialized from the log (whose own ontology prevails), the instance id is the
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
        for (var i = 1; i < stored.Count; i++)
        {
            if (stored[i].Sequence != stored[0].Sequence + i)
            {
                throw new CorruptStoreException($"arrival sequence jumps from {stored[i - 1].Sequence} to {stored[i].Sequence}: entries are missing");
            }
        }

        // Two passes over the entries, run side by side: decoding and verifying (on every core, each entry stands
        // alone) and, in sequence order behind it, appending to the log and materializing the graph as they come.
        using var progress = options.Operations?.Start("open", (2L * stored.Count) - 1);
        using var decoder = new ReloadDecoder(stored, progress);
        var root = decoder.Take(0);
        if (!root.IsRoot || root.Payload is not (DefineOntology or Checkpoint))
        {
            throw new CorruptStoreException($"the first stored entry ({root.Hash.ToHex()}) is not a genesis or checkpoint");
        }

        var instanceId = storage.GetMetadata(InstanceIdKey) ?? root.Author;
        var clock = new HybridClock(instanceId, options.Time, root.Clock.PhysicalMs, root.Clock.Logical);
        var store = new GraphStore(instanceId, root, clock, options, stored[0].Sequence);
        try
        {
            var newest = root.Clock;
            store._log.EnsureCapacity(stored.Count);
            var rebuild = false;
            for (var i = 1; i < stored.Count; i++)
            {
                var entry = decoder.Take(i);
                if (entry.Clock.CompareTime(newest) > 0) newest = entry.Clock;
                store._log.Append(entry, hashVerified: true);
                rebuild = rebuild || entry.IsRoot || !store._graph.Apply(entry);
                progress?.Advance();
            }

            // The clock resumes after the newest entry, without ticking.
            clock.Resume(newest.PhysicalMs, newest.Logical);
            if (rebuild) store._graph.Rebuild(store._log.TopologicalOrder());
        }
        catch (OpLogException ex)
        {
            store.Dispose();
            throw new CorruptStoreException($"could not reconstruct oplog: {ex.Message}", ex);
        }
        catch
        {
            store.Dispose();
            throw;
        }

        store._durableThrough = store._log.LastSequence;
        store.Acknowledge(store._log.LastSequence);
        return store;
    }

    private static string NewInstanceId() => $"silk-{Guid.NewGuid():N}"[..17];
}
