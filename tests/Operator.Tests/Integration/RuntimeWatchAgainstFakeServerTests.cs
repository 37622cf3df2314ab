using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Runtime.Support;
using Imprint.Testing.FakeApiServer;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Tests.Integration;

/// <summary>The controller runtime's watches over the real client against the fake API server's failure modes.</summary>
public sealed class RuntimeWatchAgainstFakeServerTests
{
    private const string WidgetsPath = "/apis/test.imprint.dev/v1/namespaces/default/widgets";

    [Fact]
    public async Task A_dropped_watch_stream_is_reopened_from_its_resourceVersion_without_a_relist()
    {
        await using var harness = await FakeClusterHarness.CreateAsync();
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("before"));
        await Eventually.TrueAsync(() => Reconciled(harness, "before"), "reconcile before the drop", 20);

        harness.Server.DropWatchConnections();
        await harness.Client.CreateAsync(TestWidget.Named("after"));
        await Eventually.TrueAsync(() => Reconciled(harness, "after"), "reconcile after the drop", 20);
        await harness.StopAsync();

        Assert.Equal(1, harness.Runner.Informer!.Relists);
        Assert.True(harness.Runner.Informer.Watches >= 2);
        Assert.Equal(["after", "before"], harness.Controller.Reconciles.Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task After_compaction_the_watch_gets_410_relists_and_the_controller_sees_what_it_missed()
    {
        await using var harness = await FakeClusterHarness.CreateAsync();
        await harness.Client.CreateAsync(TestWidget.Named("kept"));
        await harness.Client.CreateAsync(TestWidget.Named("removed"));
        await harness.Client.CreateAsync(TestWidget.Named("resized"));
        await harness.StartAsync();
        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 3, "initial reconciles", 20);

        // Keep the watch down while objects change and the server forgets its history.
        var blocked = true;
        harness.Server.FailNext(r => Volatile.Read(ref blocked) && r.Query["watch"] == "true", 503, count: int.MaxValue);
        harness.Server.DropWatchConnections();
        await harness.Client.DeleteAsync<TestWidget>("removed", "default");
        await harness.Client.PatchAsync<TestWidget>("resized", "default", JsonNode.Parse("""{"spec":{"size":9}}""")!);
        await harness.Client.CreateAsync(TestWidget.Named("created"));
        harness.Server.CompactHistory();
        Volatile.Write(ref blocked, false);

        await Eventually.TrueAsync(
            () => Reconciled(harness, "created") && harness.Controller.Deleted.Contains("removed") && harness.Controller.Reconciles.Any(r => r.Name == "resized" && r.Generation == 2),
            "relist diff reconciled",
            30);
        await harness.StopAsync();

        Assert.Equal(2, harness.Runner.Informer!.Relists);
        Assert.Single(harness.Controller.Reconciles, r => r.Name == "kept");
        Assert.Equal(9, harness.Runner.Informer.Get("default", "resized")!.Spec.Size);
        Assert.Null(harness.Runner.Informer.Get("default", "removed"));
    }

    [Fact]
    public async Task A_malformed_watch_line_is_skipped_and_counted_and_the_same_stream_goes_on()
    {
        await using var harness = await FakeClusterHarness.CreateAsync();
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("first"));
        await Eventually.TrueAsync(() => Reconciled(harness, "first"), "first reconcile", 20);

        harness.Server.InjectWatchLine("{\"type\":\"MODIFIED\",\"object\":{\"metadata\":");
        await harness.Client.CreateAsync(TestWidget.Named("second"));
        await Eventually.TrueAsync(() => Reconciled(harness, "second"), "reconcile after the bad line", 20);
        await harness.StopAsync();

        Assert.Equal(1, harness.Client.MalformedWatchLines);
        Assert.Equal(1, harness.Runner.Informer!.Watches);
        Assert.Equal(1, harness.Runner.Informer.Relists);
    }

    [Fact]
    public async Task A_change_of_an_owned_job_reconciles_its_owner_and_the_cache_indexes_the_job_by_owner_uid()
    {
        await using var harness = await FakeClusterHarness.CreateAsync(owned: informers =>
            [new OwnedObjectSource<V1Job>(informers.For<V1Job>(), TestWidget.Resource)]);
        await harness.StartAsync();
        var owner = await harness.Client.CreateAsync(TestWidget.Named("owner"));
        await harness.Client.CreateAsync(TestWidget.Named("bystander"));
        await Eventually.TrueAsync(() => Reconciled(harness, "owner") && Reconciled(harness, "bystander"), "first reconciles", 20);

        await harness.Client.CreateAsync(new V1Job
        {
            Metadata = new V1ObjectMeta
            {
                Name = "owner-seal-1",
                NamespaceProperty = "default",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "test.imprint.dev/v1", Kind = "Widget", Name = "owner", Uid = owner.Metadata.Uid!, Controller = true }],
            },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "agent", Image = "imprint-agent" }] } } },
        });
        await Eventually.TrueAsync(() => Count(harness, "owner") == 2, "owner reconciled after its Job was created", 20);
        await harness.Client.PatchStatusAsync<V1Job>("owner-seal-1", "default", JsonNode.Parse("""{"status":{"succeeded":1}}""")!);
        await Eventually.TrueAsync(() => Count(harness, "owner") == 3, "owner reconciled after its Job's status changed", 20);
        await harness.StopAsync();

        Assert.Equal(1, Count(harness, "bystander"));
        Assert.All(harness.Controller.Reconciles.Where(r => r.Name == "owner"), r => Assert.Equal(1L, r.Generation));
        var cached = Assert.Single(harness.Informers.Find<V1Job>()!.ListByOwner(owner.Metadata.Uid!));
        Assert.Equal(1, cached.Status!.Succeeded);
    }

    [Fact]
    public async Task Watch_restarts_queue_depth_and_latency_and_api_requests_by_verb_and_code_are_recorded()
    {
        await using var harness = await FakeClusterHarness.CreateAsync();
        var port = harness.Server.BaseAddress.Port;
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, harness.Metrics.Meter) || instrument.Name == Imprint.Operator.Kubernetes.Client.KubernetesInstrumentation.RequestCounterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.Start();
        harness.Server.FailNext(r => r.Method == "GET" && r.Path == WidgetsPath + "/throttled", 429, retryAfter: TimeSpan.FromSeconds(1));

        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("throttled"));
        await Eventually.TrueAsync(() => Reconciled(harness, "throttled"), "reconcile", 20);

        // The worker reads from the cache; a throttled read of our own gives the GET counts their codes.
        try
        {
            await harness.Client.GetAsync<TestWidget>("throttled", "default");
        }
        catch (Imprint.Operator.Kubernetes.KubernetesApiException e) when ((int)e.StatusCode == 429)
        {
            // Expected: the fault answers the first GET.
        }

        await harness.Client.GetAsync<TestWidget>("throttled", "default");
        harness.Server.DropWatchConnections();
        await Eventually.TrueAsync(() => measurements.Any(m => m.Instrument == "imprint.operator.watch.restarts" && Equals(m.Tags["reason"], "closed")), "watch restart recorded", 20);
        await harness.StopAsync();

        var requests = measurements.Where(m => m.Instrument == "imprint.operator.api.requests" && Equals(m.Tags["server.port"], port)).ToList();
        Assert.Contains(requests, m => Equals(m.Tags["verb"], "LIST") && Equals(m.Tags["code"], "200"));
        Assert.Contains(requests, m => Equals(m.Tags["verb"], "WATCH") && Equals(m.Tags["code"], "200"));
        Assert.Contains(requests, m => Equals(m.Tags["verb"], "CREATE") && Equals(m.Tags["code"], "201"));
        Assert.Contains(requests, m => Equals(m.Tags["verb"], "GET") && Equals(m.Tags["code"], "429"));
        Assert.Contains(requests, m => Equals(m.Tags["verb"], "GET") && Equals(m.Tags["code"], "200"));
        var mine = measurements.Where(m => m.Tags.TryGetValue("controller", out var c) && Equals(c, harness.Name)).ToList();
        Assert.Contains(mine, m => m.Instrument == "imprint.operator.queue.latency" && m.Value >= 0);
        var depth = mine.Where(m => m.Instrument == "imprint.operator.queue.depth").ToList();
        Assert.Contains(depth, m => m.Value > 0);
        Assert.Equal(0, depth.Sum(m => m.Value));
        Assert.Contains(mine, m => m.Instrument == "imprint.operator.reconciles" && Equals(m.Tags["result"], "success"));
    }

    private static bool Reconciled(FakeClusterHarness harness, string name) => harness.Controller.Reconciles.Any(r => r.Name == name);

    private static int Count(FakeClusterHarness harness, string name) => harness.Controller.Reconciles.Count(r => r.Name == name);

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var (key, value) in tags)
        {
            result[key] = value;
        }

        return result;
    }
}
