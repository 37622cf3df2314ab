using System.Collections.Concurrent;
using Imprint.Operator.Runtime.Queue;

namespace Imprint.Operator.Tests.Runtime.Queue;

public sealed class WorkQueueTests
{
    private static WorkQueue NewQueue() => new("test", new ExponentialBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1)));

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
                await Task.Delay(1);
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
                await Task.Delay(2);
            }
        }

        // Every key must eventually be processed after its last add.
        await Support.Eventually.TrueAsync(() => lastAdd.All(kv => lastSeenAdd.GetValueOrDefault(kv.Key) == kv.Value), "last adds processed");
        queue.ShutDown();
        await Task.WhenAll(workers);

        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task AddAfter_delays_the_key_and_the_earliest_pending_delay_wins()
    {
        using var queue = NewQueue();
        queue.AddAfter("ns/a", TimeSpan.FromSeconds(30));
        queue.AddAfter("ns/a", TimeSpan.FromMilliseconds(100));
        queue.AddAfter("ns/a", TimeSpan.FromSeconds(20));
        Assert.Equal(0, queue.Count);

        var started = DateTime.UtcNow;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var key = await queue.TakeAsync(timeout.Token);

        Assert.Equal("ns/a", key);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(80), TimeSpan.FromSeconds(2));
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
