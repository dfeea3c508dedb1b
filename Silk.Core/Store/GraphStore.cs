using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Graph;
using Silk.Core.Log;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>
/// The embeddable Silk engine: an oplog (Merkle-DAG of entries), the graph materialized from it, a
/// hybrid logical clock, and the sync protocol. One writer at a time (local writes and merges
/// serialize on a write lock held for microseconds); readers share a read lock and always see one
/// consistent state. Subscribers are told about entries after they are applied, in log order.
/// </summary>
public sealed partial class GraphStore : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);
    private readonly HybridClock _clock;
    private readonly GraphStoreOptions _options;
    private readonly OpLog _log;
    private readonly MaterializedGraph _graph;
    private bool _disposed;

    private GraphStore(string instanceId, Entry root, HybridClock clock, GraphStoreOptions options, long firstSequence = 0)
    {
        InstanceId = instanceId;
        _clock = clock;
        _options = options;
        _log = new OpLog(root, firstSequence);
        _graph = MaterializedGraph.FromEntries(_log.TopologicalOrder(), RootOntology(root));
        Acknowledge(_log.LastSequence);
        _durableThrough = _log.LastSequence;
    }

    /// <summary>
    /// A new store: the ontology must be self-consistent; the genesis entry (define_ontology, no parents)
    /// is written by <paramref name="instanceId"/> at a fresh clock tick.
    /// </summary>
    public static GraphStore Create(string instanceId, Ontology ontology, GraphStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentNullException.ThrowIfNull(ontology);
        options ??= new GraphStoreOptions();
        if (OntologyRules.ValidateSelf(ontology) is { } problem)
        {
            throw new SchemaException(problem);
        }

        var clock = new HybridClock(instanceId, options.Time);
        var genesis = Entry.Create(new DefineOntology(ontology), [], clock.Tick(), instanceId);
        return new GraphStore(instanceId, genesis, clock, options);
    }

    public string InstanceId { get; }

    /// <summary>The store's clock (physical ms, logical) as of now.</summary>
    public ClockStamp Clock => _clock.Current;

    public int EntryCount => Read(() => _log.Count);

    public IReadOnlyList<Hash> Heads => Read(() => _log.Heads);

    public Ontology Ontology => Read(() => _graph.Ontology);

    public Hash OntologyHash => Read(() => _graph.OntologyHash);

    private static Ontology RootOntology(Entry root) => root.Payload switch
    {
        DefineOntology d => d.Ontology,
        Checkpoint c when c.Ops.OfType<DefineOntology>().FirstOrDefault() is { } inner => inner.Ontology,
        _ => throw new ArgumentException("a log starts with a define_ontology entry or a checkpoint holding one", nameof(root)),
    };

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private T Write<T>(Func<T> write)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _lock.EnterWriteLock();
        try
        {
            return write();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        StopIndexBuilds();
        StopCommitter();
        _signingKey?.Dispose();
        _storage?.Dispose();
        _lock.Dispose();
    }
}
