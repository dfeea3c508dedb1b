using Silk.Core.Persistence;
using Silk.Core.Store;
using Silk.Core.Wire;
using Silk.Storage;
using Silk.Tests.Store;

namespace Silk.Tests.Storage;

/// <summary>
/// Issue 18: a write must not need a free thread-pool thread to be acknowledged. Every pool thread here is a caller
/// blocked on its own writes (<c>AddNodeAsync(…).GetAwaiter().GetResult()</c>, as the storage benchmark's warm-up
/// did, and sync writes), on a pool that may not grow; each of them must still finish. Before the fix a writer that
/// waited for the commit gate was resumed by a pool thread that never came, and every later writer queued behind it.
/// </summary>
[Collection(ThreadPoolStarvationCollection.Name)]
public sealed class ThreadPoolStarvationTests
{
    private const int WritesPerCaller = 150;

    [Fact]
    public void Callers_blocking_on_writes_complete_on_a_starved_pool()
    {
        using var folder = new TempFolder();
        using var store = GraphStore.Open(new LiteDbEntryStore(folder.Path, DurabilityMode.Fsync), TestStores.Ontology, "starved");
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        ThreadPool.GetMaxThreads(out var maxWorkers, out var maxIo);
        // The test host already holds some pool threads (blocked in its own waits): leave room for two callers
        // beyond them, and queue twice as many callers as the pool may have, so every thread it can run is a
        // caller blocked on its writes and more callers wait in its queue ahead of any continuation.
        var poolLimit = Math.Max(minWorkers, ThreadPool.ThreadCount + 2);
        var callers = poolLimit * 4;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        using var done = new CountdownEvent(callers);
        Assert.True(ThreadPool.SetMaxThreads(poolLimit, maxIo), "the pool's maximum could not be lowered");
        try
        {
            for (var c = 0; c < callers; c++)
            {
                var caller = c;
                ThreadPool.UnsafeQueueUserWorkItem(_ =>
                {
                    try
                    {
                        for (var i = 0; i < WritesPerCaller; i++)
                        {
                            var id = $"c{caller}-{i}";
                            var properties = ValueMap.Of(("name", id));
                            if (caller % 2 == 0) store.AddNodeAsync(id, "person", id, properties).GetAwaiter().GetResult();
                            else store.AddNode(id, "person", id, properties);
                        }
                    }
                    catch (Exception ex)
                    {
                        failures.Enqueue(ex);
                    }
                    finally
                    {
                        done.Signal();
                    }
                }, null);
            }

            // A deadline, not a speed target: a deadlocked pool never finishes at all.
            var finished = done.Wait(TimeSpan.FromMinutes(3));
            Assert.True(finished, $"{done.CurrentCount} of {callers} callers never finished: a write waited for a pool thread");
        }
        finally
        {
            ThreadPool.SetMaxThreads(maxWorkers, maxIo);
            done.Wait(TimeSpan.FromMinutes(3));
        }

        Assert.Empty(failures);
        Assert.Equal(callers * WritesPerCaller, store.NodeCount);
    }
}

/// <summary>The test lowers the process's thread-pool maximum: it runs alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadPoolStarvationCollection
{
    public const string Name = "ThreadPoolStarvation";
}
