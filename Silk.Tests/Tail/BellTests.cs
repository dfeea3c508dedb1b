using Silk.Core.Tail;

namespace Silk.Tests.Tail;

public class BellTests
{
    /// <summary>Generous bound for "this completes", for a loaded 2-core box; never a performance assertion.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void Ring_increments_the_version()
    {
        var bell = new Bell();
        Assert.Equal(0, bell.Version);
        bell.Ring();
        bell.Ring();
        Assert.Equal(2, bell.Version);
    }

    [Fact]
    public void Ring_without_waiters_allocates_nothing()
    {
        var bell = new Bell();
        bell.Ring();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) bell.Ring();
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(10_001, bell.Version);
    }

    [Fact]
    public async Task Wait_returns_true_at_once_when_the_version_already_moved()
    {
        var bell = new Bell();
        bell.Ring();
        var wait = bell.WaitAsync(0, Timeout.InfiniteTimeSpan, CancellationToken.None);
        Assert.True(wait.IsCompleted);
        Assert.True(await wait);
    }

    [Fact]
    public async Task Wait_times_out_with_false()
    {
        var bell = new Bell();
        Assert.False(await bell.WaitAsync(0, TimeSpan.Zero, CancellationToken.None));
        Assert.False(await bell.WaitAsync(0, TimeSpan.FromMilliseconds(20), CancellationToken.None));
    }

    [Fact]
    public async Task Ring_wakes_a_waiter()
    {
        var bell = new Bell();
        var wait = bell.WaitAsync(bell.Version, Timeout.InfiniteTimeSpan, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        bell.Ring();
        Assert.True(await wait.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_waiter_with_a_version_from_the_future_waits_until_the_version_passes_it()
    {
        var bell = new Bell();
        var wait = bell.WaitAsync(1, Timeout.InfiniteTimeSpan, CancellationToken.None);
        bell.Ring();
        // Version 1 does not pass 1; the waiter must still be waiting. Only a second ring can complete it.
        Assert.Equal(1, bell.Version);
        Assert.False(wait.IsCompleted);
        bell.Ring();
        Assert.True(await wait.WaitAsync(Patience));
        Assert.Equal(2, bell.Version);
    }

    [Fact]
    public async Task Cancellation_throws()
    {
        var bell = new Bell();
        using var cts = new CancellationTokenSource();
        var wait = bell.WaitAsync(0, Timeout.InfiniteTimeSpan, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Patience));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bell.WaitAsync(0, TimeSpan.FromSeconds(1), cts.Token));
    }

    [Fact]
    public async Task Negative_timeout_is_refused()
    {
        var bell = new Bell();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => bell.WaitAsync(0, TimeSpan.FromMilliseconds(-5), CancellationToken.None));
    }

    [Fact]
    public async Task Every_waiter_started_before_a_ring_wakes()
    {
        var bell = new Bell();
        for (var round = 0; round < 200; round++)
        {
            var seen = bell.Version;
            var waiters = Enumerable.Range(0, 16)
                .Select(_ => Task.Run(() => bell.WaitAsync(seen, Timeout.InfiniteTimeSpan, CancellationToken.None)))
                .ToArray();
            bell.Ring();
            var results = await Task.WhenAll(waiters).WaitAsync(Patience);
            Assert.All(results, Assert.True);
        }
    }

    [Fact]
    public async Task A_ring_between_the_first_look_and_the_registration_is_not_lost()
    {
        var bell = new Bell();
        var rung = false;
        bell.BeforeRegisterForTests = () =>
        {
            if (rung) return;
            rung = true;
            bell.Ring();
        };
        Assert.True(await bell.WaitAsync(0, Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(Patience));
        Assert.True(rung);
    }

    [Fact]
    public async Task A_ring_racing_a_starting_waiter_is_never_lost()
    {
        // The waiter and the ring start together, again and again, so that the ring often lands between the
        // waiter's first look at the version and its registration. A lost wake-up hangs the waiter.
        var bell = new Bell();
        for (var round = 0; round < 1000; round++)
        {
            var seen = bell.Version;
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiter = Task.Run(async () =>
            {
                await go.Task;
                return await bell.WaitAsync(seen, Timeout.InfiniteTimeSpan, CancellationToken.None);
            });
            var ringer = Task.Run(async () =>
            {
                await go.Task;
                Thread.SpinWait(round % 200);
                bell.Ring();
            });
            go.SetResult();
            await ringer.WaitAsync(Patience);
            Assert.True(await waiter.WaitAsync(Patience));
        }
    }

    [Fact]
    public async Task Concurrent_rings_lose_no_wake_up()
    {
        // Waiters loop with an infinite timeout: a lost wake-up leaves one hanging and the whole test times out.
        const int producers = 3;
        const int ringsEach = 3000;
        const long total = producers * ringsEach;
        var bell = new Bell();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumers = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var wakes = 0;
            while (true)
            {
                var seen = bell.Version;
                if (seen >= total) return wakes;
                Assert.True(await bell.WaitAsync(seen, Timeout.InfiniteTimeSpan, CancellationToken.None));
                Assert.True(bell.Version > seen);
                wakes++;
            }
        })).ToArray();
        var rings = Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < ringsEach; i++)
            {
                bell.Ring();
                if (i % 64 == 0) await Task.Yield();
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(rings).WaitAsync(Patience);
        await Task.WhenAll(consumers).WaitAsync(Patience);
        Assert.Equal(total, bell.Version);
    }
}
