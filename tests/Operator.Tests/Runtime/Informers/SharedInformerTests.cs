using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Watching;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Runtime.Support;
using Imprint.Testing.FakeApiServer;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Tests.Runtime.Informers;

/// <summary>The informer over the real client against the fake API server (list, watch, bookmarks, 410, selectors).</summary>
public sealed class SharedInformerTests : IAsyncLifetime
{
    private FakeApiConnection _api = null!;

    public async Task InitializeAsync() => _api = await FakeApiConnection.StartAsync(new FakeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Cache_follows_watch_events_with_previous_state_and_owner_index()
    {
        var client = _api.Client;
        var owner = await client.CreateAsync(TestWidget.Named("owner"));
        await client.CreateAsync(OwnedJob("listed", owner.Metadata.Uid!));
        var informer = new SharedInformer<V1Job>(client, new InformerOptions(), NullLogger.Instance);
        var events = new ConcurrentQueue<InformerEvent<V1Job>>();
        informer.AddEventHandler(events.Enqueue);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(5));

        await client.CreateAsync(OwnedJob("watched", owner.Metadata.Uid!));
        await client.PatchAsync<V1Job>("listed", "default", JsonNode.Parse("""{"metadata":{"labels":{"x":"1"}}}""")!);
        await client.DeleteAsync<V1Job>("watched", "default");
        await Eventually.TrueAsync(() => events.Count == 4, "list + add + modify + delete");
        await stop.CancelAsync();
        await run;

        Assert.Equal(
            [(EntityEventType.Added, "listed"), (EntityEventType.Added, "watched"), (EntityEventType.Modified, "listed"), (EntityEventType.Deleted, "watched")],
            events.Select(e => (e.Type, e.Object.Metadata.Name!)));
        var modified = events.Single(e => e.Type == EntityEventType.Modified);
        Assert.Null(modified.Previous!.Metadata.Labels);
        Assert.Equal("1", modified.Object.Metadata.Labels!["x"]);
        Assert.Equal(["listed"], informer.ListByOwner(owner.Metadata.Uid!).Select(j => j.Metadata.Name));
        Assert.Equal("1", informer.Get("default", "listed")!.Metadata.Labels!["x"]);
        Assert.Null(informer.Get("default", "watched"));
        Assert.Equal(1, informer.Relists);
    }

    [Fact]
    public async Task A_handler_added_after_sync_is_told_about_every_cached_object_and_a_throwing_handler_does_not_stop_others()
    {
        var client = _api.Client;
        await client.CreateAsync(TestWidget.Named("a"));
        await client.CreateAsync(TestWidget.Named("b"));
        var informer = new SharedInformer<TestWidget>(client, new InformerOptions(), NullLogger.Instance);
        informer.AddEventHandler(_ => throw new InvalidOperationException("bad handler"));
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(5));

        var late = new ConcurrentQueue<string>();
        informer.AddEventHandler(e => late.Enqueue($"{e.Type} {e.Object.Metadata.Name}"));
        await client.CreateAsync(TestWidget.Named("c"));
        await Eventually.TrueAsync(() => late.Count == 3, "replay of a and b, then c");
        await stop.CancelAsync();
        await run;

        Assert.Equal(["Added a", "Added b"], late.Take(2).Order(StringComparer.Ordinal));
        Assert.Equal("Added c", late.Last());
        Assert.Equal(3, informer.Count);
    }

    [Fact]
    public async Task After_410_the_relist_diff_emits_the_deletions_additions_and_updates_missed()
    {
        var client = _api.Client;
        await client.CreateAsync(TestWidget.Named("kept"));
        await client.CreateAsync(TestWidget.Named("changed"));
        await client.CreateAsync(TestWidget.Named("vanishes"));
        var informer = new SharedInformer<TestWidget>(client, new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(10) }, NullLogger.Instance);
        var events = new ConcurrentQueue<InformerEvent<TestWidget>>();
        informer.AddEventHandler(events.Enqueue);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => _api.Server.OpenWatches.GetValueOrDefault("widgets.test.imprint.dev") == 1, "watch open on the server");

        // All of this happens while the watch is down (reconnects refused) and then its history is gone.
        var blocked = true;
        _api.Server.FailNext(r => Volatile.Read(ref blocked) && r.Query["watch"] == "true", 503, count: int.MaxValue);
        _api.Server.DropWatchConnections();
        await client.DeleteAsync<TestWidget>("vanishes", "default");
        await client.PatchAsync<TestWidget>("changed", "default", JsonNode.Parse("""{"spec":{"size":7}}""")!);
        await client.CreateAsync(TestWidget.Named("new"));
        _api.Server.CompactHistory();
        Volatile.Write(ref blocked, false);
        await Eventually.TrueAsync(() => informer.Relists == 2 && informer.Get("default", "new") is not null, "relist after 410");
        await stop.CancelAsync();
        await run;

        var afterGap = events.Skip(3).Select(e => (e.Type, e.Object.Metadata.Name!)).ToList();
        Assert.Contains((EntityEventType.Deleted, "vanishes"), afterGap);
        Assert.Contains((EntityEventType.Modified, "changed"), afterGap);
        Assert.Contains((EntityEventType.Added, "new"), afterGap);
        Assert.DoesNotContain(afterGap, e => e.Item2 == "kept");
        Assert.Equal(7, informer.Get("default", "changed")!.Spec.Size);
        Assert.Null(informer.Get("default", "vanishes"));
    }

    private static V1Job OwnedJob(string name, string ownerUid) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            OwnerReferences = [new V1OwnerReference { ApiVersion = "test.imprint.dev/v1", Kind = "Widget", Name = "owner", Uid = ownerUid, Controller = true }],
        },
        Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "agent", Image = "imprint-agent" }] } } },
    };
}
