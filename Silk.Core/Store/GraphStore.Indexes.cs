using System.Diagnostics;
using Silk.Core.Indexing;

namespace Silk.Core.Store;

/// <summary>
/// Declaring, listing and dropping (node type, property) indexes. An index is derived state kept in memory beside the
/// materialized graph (never in the log, never synced). A new one is built in the background: it is registered under
/// the write lock (from then on the graph remembers the nodes that change), its nodes are read in chunks under the
/// read lock, sorted without any lock, and installed under the write lock with the remembered nodes refiled. Queries
/// scan until it is ready.
/// </summary>
public sealed partial class GraphStore
{
    /// <summary>Nodes read per hold of the read lock while an index builds, so writers wait at most for one chunk.</summary>
    public const int IndexBuildChunk = 20_000;

    /// <summary>
    /// Declares an index and starts building it in the background (or returns the one already declared with the
    /// same definition). Throws <see cref="ArgumentException"/> for a bad definition and
    /// <see cref="InvalidOperationException"/> when the name is taken by another definition.
    /// </summary>
    public IndexStatus DeclareIndex(IndexDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Problem() is { } problem) throw new ArgumentException(problem, nameof(definition));
        var (index, created) = Write(() =>
        {
            if (_graph.Indexes.Get(definition.Name) is { } existing)
            {
                return existing.Definition == definition
                    ? (existing, false)
                    : throw new InvalidOperationException($"an index named '{definition.Name}' already exists on {existing.Definition.NodeType}.{existing.Definition.Property}");
            }

            return (_graph.AddIndex(definition), true);
        });
        if (created)
        {
            lock (_indexBuilds)
            {
                _indexBuilds.RemoveAll(t => t.IsCompleted);
                _indexBuilds.Add(Task.Run(() => BuildIndex(index, _stopIndexBuilds.Token)));
            }
        }

        return Read(index.Status);
    }

    private readonly List<Task> _indexBuilds = [];
    private readonly CancellationTokenSource _stopIndexBuilds = new();

    /// <summary>Stops the background builds and waits for them (before the store closes: they hold its read lock in turns).</summary>
    private void StopIndexBuilds()
    {
        _stopIndexBuilds.Cancel();
        Task[] running;
        lock (_indexBuilds) running = [.. _indexBuilds];
        Task.WaitAll(running, TimeSpan.FromSeconds(30));
        _stopIndexBuilds.Dispose();
    }

    /// <summary>Drops an index; false when there is none of that name.</summary>
    public bool DropIndex(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Write(() => _graph.RemoveIndex(name));
    }

    /// <summary>Every index with its state and build progress, by name.</summary>
    public IReadOnlyList<IndexStatus> Indexes() =>
        Read(() => _graph.Indexes.All.Select(i => i.Status()).OrderBy(s => s.Definition.Name, StringComparer.Ordinal).ToList());

    /// <summary>One index's state, or null.</summary>
    public IndexStatus? IndexStatusOf(string name) => Read(() => _graph.Indexes.Get(name)?.Status());

    /// <summary>Waits until every declared index is ready (or dropped), up to <paramref name="timeout"/>; true when they are.</summary>
    public bool WaitForIndexes(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Indexes().Any(s => s.State == IndexState.Building))
        {
            if (Stopwatch.GetTimestamp() > deadline) return false;
            Thread.Sleep(10);
        }

        return true;
    }

    private void BuildIndex(PropertyIndex index, CancellationToken stop)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var (ids, generation) = Read(() => (_graph.NodeIdsCoveredBy(index), index.Generation));
            index.StartBuild(ids.Count);
            using var progress = _options.Operations?.Start($"index {index.Definition.Name}", ids.Count);
            var entries = new List<IndexEntry>(ids.Count);
            for (var from = 0; from < ids.Count; from += IndexBuildChunk)
            {
                var to = Math.Min(ids.Count, from + IndexBuildChunk);
                var stale = Read(() =>
                {
                    if (index.Generation != generation || _graph.Indexes.Get(index.Definition.Name) != index) return true;
                    for (var i = from; i < to; i++)
                    {
                        if (_graph.IndexedValue(index, ids[i]) is { } value) entries.Add(new IndexEntry(value, ids[i]));
                    }

                    return false;
                });
                if (stale || stop.IsCancellationRequested) return;
                index.BuildProgress(to - from);
                progress?.Advance(to - from);
            }

            entries.Sort();
            if (stop.IsCancellationRequested) return;
            Write(() =>
            {
                if (index.Generation != generation || _graph.Indexes.Get(index.Definition.Name) != index) return 0;
                foreach (var id in index.Install(entries, Stopwatch.GetElapsedTime(started).TotalMilliseconds))
                {
                    index.Refile(id, _graph.IndexedValue(index, id));
                }

                return 0;
            });
        }
        catch (ObjectDisposedException)
        {
            // The store closed while the index was building; it is rebuilt when the store is opened again.
        }
#pragma warning disable CA1031 // A failed build leaves the index building (queries scan); the failure is reported, not thrown on a pool thread.
        catch (Exception ex)
        {
            _options.OnSubscriberError?.Invoke(ex);
        }
#pragma warning restore CA1031
    }
}
