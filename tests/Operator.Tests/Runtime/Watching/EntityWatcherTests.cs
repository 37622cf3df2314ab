using System.Collections.Concurrent;
using Imprint.Operator.Runtime.Watching;
using Imprint.Operator.Tests.Runtime.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Tests.Runtime.Watching;

public sealed class EntityWatcherTests
{
    [Fact]
    public async Task Lists_then_watches_and_after_410_relists_reporting_what_changed_meanwhile()
    {
        var client = new InMemoryKubernetesClient();
        await client.CreateAsync(TestWidget.Named("kept"));
        await client.CreateAsync(TestWidget.Named("vanishes"));
        var events = new ConcurrentQueue<(EntityEventType Type, string Name)>();
        var watcher = new EntityWatcher<TestWidget>(
            client,
            new EntityWatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(10) },
            (type, w) => events.Enqueue((type, w.Metadata.Name!)),
            NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = watcher.RunAsync(stop.Token);
        await watcher.Synced.WaitAsync(TimeSpan.FromSeconds(5));
        await client.CreateAsync(TestWidget.Named("watched"));
        await Eventually.TrueAsync(() => events.Count == 3, "two listed, one watched");

        // History is compacted while objects change unseen: the watch must get 410, relist and diff.
        client.RemoveSilently<TestWidget>("vanishes", "default");
        client.Compact();
        await client.CreateAsync(TestWidget.Named("new-after-gap"));
        await Eventually.TrueAsync(() => events.Count == 5, "relist diff");
        await stop.CancelAsync();
        await run;

        Assert.Equal(
            [(EntityEventType.Added, "kept"), (EntityEventType.Added, "vanishes"), (EntityEventType.Added, "watched")],
            events.Take(3).OrderBy(e => e.Name, StringComparer.Ordinal));
        Assert.Contains((EntityEventType.Deleted, "vanishes"), events.Skip(3));
        Assert.Contains((EntityEventType.Added, "new-after-gap"), events.Skip(3));
        Assert.Equal(2, client.ListCalls);
    }

    [Fact]
    public async Task A_closed_watch_resumes_from_the_last_resourceVersion_without_relisting()
    {
        var client = new InMemoryKubernetesClient();
        var events = new ConcurrentQueue<string>();
        var watcher = new EntityWatcher<TestWidget>(client, new EntityWatcherOptions(), (type, w) => events.Enqueue($"{type} {w.Metadata.Name}"), NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = watcher.RunAsync(stop.Token);
        await watcher.Synced.WaitAsync(TimeSpan.FromSeconds(5));
        await client.CreateAsync(TestWidget.Named("a"));
        await Eventually.TrueAsync(() => events.Count == 1, "a");

        client.CloseWatches();
        await client.CreateAsync(TestWidget.Named("b"));
        await Eventually.TrueAsync(() => events.Count == 2, "b after reconnect");
        await stop.CancelAsync();
        await run;

        Assert.Equal(["Added a", "Added b"], events);
        Assert.Equal(1, client.ListCalls);
        Assert.True(client.WatchCalls >= 2);
    }

    [Fact]
    public async Task Watches_that_end_at_once_without_events_are_retried_with_backoff_not_in_a_spin()
    {
        var client = new InMemoryKubernetesClient { EmptyWatches = true };
        var watcher = new EntityWatcher<TestWidget>(
            client,
            new EntityWatcherOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) },
            (_, _) => { },
            NullLogger.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(1000));

        await watcher.RunAsync(stop.Token);

        // 50 + 100 + 200 + 200 ... ms (±20 %): a handful of attempts, not thousands. A loaded machine may fire the
        // timers late (fewer attempts), never early, so only "retried at all" bounds it from below.
        Assert.InRange(client.WatchCalls, 2, 10);
        Assert.True(watcher.IsSynced);
    }
}
