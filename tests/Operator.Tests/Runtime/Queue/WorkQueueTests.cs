using System.Collections.Concurrent;
using Imprint.Operator.Runtime.Queue;
using Imprint.Operator.Tests.Runtime.Support;

namespace Imprint.Operator.Tests.Runtime.Queue;

public sealed class WorkQueueTests
{
    private static WorkQueue NewQueue(TimeProvider? time = null) => new("test", new ExponentialBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1)), time);

    [Fact]
    public async Task A_key_added_twice_is_queued_once()
    {
        using var queue = NewQueue();
        queue.Add("ns/a");
        queue.Add("ns/a");
        queue.Add("ns/b");

        Assert.Equal(2, queue.Count);
        Assert.Equal("ns/a", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal("ns/b", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_key_added_while_processing_is_queued_again_only_after_Done()
    {
        using var queue = NewQueue();
        queue.Add("ns/a");
        var key = await queue.TakeAsync(CancellationToken.None);

        queue.Add("ns/a");
        Assert.Equal(0, queue.Count);

        queue.Done(key!);
        Assert.Equal(1, queue.Count);
        Assert.Equal("ns/a", await queue.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Many_workers_never_process_the_same_key_concurrently_and_lose_no_add()
    {
        using var queue = NewQueue();
        var active = new ConcurrentDictionary<string, int>();
        var lastAdd = new ConcurrentDictionary<string, int>();
        var lastSeenAdd = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        using var stop = new CancellationTokenSource();

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (await queue.TakeAsync(stop.Token) is { } key)
            {
                if (active.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                lastSeenAdd[key] = lastAdd.GetValueOrDefault(key);
                await Task.Yield();
                active.AddOrUpdate(key, 0, (_, n) => n - 1);
                queue.Done(key);
            }
        })).ToArray();

        for (var i = 1; i <= 300; i++)
        {
            var key = $"ns/k{i % 5}";
            lastAdd[key] = i;
            queue.Add(key);
            if (i % 20 == 0)
            {
                await Task.Yield();
            }
        }

        // Every key must eventually be processed after its last add.
        await Eventually.TrueAsync(() => lastAdd.All(kv => lastSeenAdd.GetValueOrDefault(kv.Key) == kv.Value), "last adds processed");
        queue.ShutDown();
        await Task.WhenAll(workers);

        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task AddAfter_delays_the_key_and_the_earliest_pending_delay_wins()
    {
        var clock = new FakeClock();
        using var queue = NewQueue(clock);
        queue.AddAfter("ns/a", TimeSpan.FromSeconds(30));
        queue.AddAfter("ns/a", TimeSpan.FromMilliseconds(100));
        queue.AddAfter("ns/a", TimeSpan.FromSeconds(20));
        var taking = queue.TakeAsync(CancellationToken.None);

        // The 100 ms add replaced the 30 s one; the 20 s add came later than it and was dropped.
        Assert.Equal(1, clock.PendingTimers);
        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(0, queue.Count);
        Assert.False(taking.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("ns/a", await taking.WaitAsync(TimeSpan.FromSeconds(10)));
        queue.Done("ns/a");
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, queue.Count);
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100)], clock.ArmedDueTimes());
    }

    [Fact]
    public async Task AddRateLimited_waits_the_doubling_backoff_or_a_longer_retry_after_and_Forget_starts_over()
    {
        var clock = new FakeClock();
        using var queue = NewQueue(clock);

        var delays = new List<TimeSpan>();
        for (var failure = 1; failure <= 8; failure++)
        {
            delays.Add(queue.AddRateLimited("ns/a"));
            var due = delays[^1];
            clock.Advance(due - TimeSpan.FromTicks(1));
            Assert.Equal(0, queue.Count);
            clock.Advance(TimeSpan.FromTicks(1));
            Assert.Equal("ns/a", await queue.TakeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
            queue.Done("ns/a");
        }

        var throttled = queue.AddRateLimited("ns/b", atLeast: TimeSpan.FromSeconds(5));
        queue.Forget("ns/a");
        var afterForget = queue.AddRateLimited("ns/a");

        Assert.Equal([10, 20, 40, 80, 160, 320, 640, 1000], delays.Select(d => d.TotalMilliseconds));
        Assert.Equal(TimeSpan.FromSeconds(5), throttled);
        Assert.Equal(TimeSpan.FromMilliseconds(10), afterForget);
        Assert.Equal(1, queue.Failures("ns/a"));
    }

    [Fact]
    public async Task ShutDown_stops_handing_out_keys_and_wakes_waiting_workers()
    {
        using var queue = NewQueue();
        var waiting = queue.TakeAsync(CancellationToken.None);
        queue.ShutDown();
        queue.Add("ns/late");

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(2)));
        Assert.Null(await queue.TakeAsync(CancellationToken.None));
    }
}
