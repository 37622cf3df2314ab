using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Runtime.Support;
using k8s.Models;

namespace Imprint.Operator.Tests.Runtime.Controllers;

/// <summary>
/// The controller runner over the real client against the fake API server. Its clock is a fake one: requeues, backoff
/// and the drain timeout happen when a test advances time, so these tests assert order and counts, not durations.
/// </summary>
public sealed class EntityControllerRunnerTests
{
    private const string WidgetsPath = "/apis/test.imprint.dev/v1/namespaces/default/widgets";

    [Fact]
    public async Task Reconciles_a_new_object_with_its_state_from_the_informer_cache_without_a_get()
    {
        await using var harness = await FakeClusterHarness.CreateAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a", size: 3));
        await harness.StartAsync();

        await Eventually.TrueAsync(() => !harness.Controller.Reconciles.IsEmpty, "first reconcile");
        var (name, generation, size) = Assert.Single(harness.Controller.Reconciles);
        Assert.Equal(("a", 1L, 3), (name, generation, size));
        Assert.DoesNotContain(harness.Server.Requests, r => r.Method == "GET" && r.Path == WidgetsPath + "/a");
    }

    [Fact]
    public async Task Status_only_update_does_not_reconcile_but_a_spec_change_does()
    {
        await using var harness = await FakeClusterHarness.CreateAsync();
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 1, "first reconcile");
        await harness.IdleAsync();
        var queued = harness.Queued;

        // The server bumps resourceVersion but not generation for a /status write; once the runner's handler has seen
        // that event it has decided, so nothing queued by then means nothing will be.
        var statusSeen = FakeClusterHarness.DeliveredAsync(harness.Runner.Informer, e => e.Object.Status?.Phase == "Ready");
        var status = await harness.Client.PatchStatusAsync<TestWidget>("a", "default", StatusPatch.Phase("Ready"));
        await statusSeen;
        Assert.Equal(1L, status.Metadata.Generation);
        Assert.Equal(queued, harness.Queued);
        Assert.Single(harness.Controller.Reconciles);

        await harness.Client.PatchAsync<TestWidget>("a", "default", JsonNode.Parse("""{"spec":{"size":5}}""")!);
        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 2, "reconcile after spec change");
        var last = harness.Controller.Reconciles.Last();
        Assert.Equal((2L, 5), (last.Generation, last.Size));
    }

    [Fact]
    public async Task Requeue_after_reconciles_again_when_the_delay_has_passed_and_not_before()
    {
        await using var harness = await FakeClusterHarness.CreateAsync();
        harness.Controller.OnReconcile = (_, n) => n == 1 ? ReconcileResult.Requeue(TimeSpan.FromMinutes(5)) : ReconcileResult.Success();
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));

        await harness.Clock.ArmedAsync(TimeSpan.FromMinutes(5));
        harness.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.Single(harness.Controller.Reconciles);
        harness.Clock.Advance(TimeSpan.FromTicks(1));
        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 2, "requeued reconcile");
        await harness.IdleAsync();

        // The second pass succeeded: nothing else waits on the clock, and a day later nothing has run again.
        Assert.Equal(0, harness.Clock.PendingTimers);
        harness.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(2, harness.Controller.Reconciles.Count);
        Assert.Equal([1L, 1L], harness.Controller.Reconciles.Select(r => r.Generation));
    }

    [Fact]
    public async Task Failures_back_off_exponentially_and_a_success_resets_the_count()
    {
        await using var harness = await FakeClusterHarness.CreateAsync(controllerOptions: new ControllerOptions { BackoffBase = TimeSpan.FromMilliseconds(50), BackoffMax = TimeSpan.FromMilliseconds(300) });
        harness.Controller.OnReconcile = (_, n) => n <= 4 ? throw new InvalidOperationException($"boom {n}") : ReconcileResult.Success();
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));

        // Each retry waits for the doubled delay (capped at the maximum): one tick short of it, the attempt has not run.
        TimeSpan[] expected = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300)];
        for (var attempt = 1; attempt <= expected.Length; attempt++)
        {
            var delay = expected[attempt - 1];
            await harness.Clock.ArmedAsync(delay);
            Assert.Equal(attempt, harness.Controller.Reconciles.Count);
            Assert.Equal(attempt, harness.Runner.Queue!.Failures("default/a"));
            harness.Clock.Advance(delay - TimeSpan.FromTicks(1));
            Assert.Equal(attempt, harness.Controller.Reconciles.Count);
            harness.Clock.Advance(TimeSpan.FromTicks(1));
            var next = attempt + 1;
            await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == next, $"attempt {next}");
        }

        await harness.IdleAsync();
        Assert.Equal(0, harness.Runner.Queue!.Failures("default/a"));
        Assert.Equal(expected, harness.Clock.ArmedDueTimes().Where(d => d != Timeout.InfiniteTimeSpan));
        Assert.Equal(0, harness.Clock.PendingTimers);
    }

    [Fact]
    public async Task Finalizer_is_added_before_the_first_reconcile_and_deletion_runs_it_then_removes_it()
    {
        await using var harness = await FakeClusterHarness.CreateAsync(withFinalizer: true);
        var seenFinalizers = new List<bool>();
        harness.Controller.OnReconcile = (w, _) =>
        {
            lock (seenFinalizers)
            {
                seenFinalizers.Add(w.Metadata.Finalizers?.Contains(FakeClusterHarness.FinalizerName) == true);
            }

            return ReconcileResult.Success();
        };
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        await Eventually.TrueAsync(() => !harness.Controller.Reconciles.IsEmpty, "reconcile");
        var stored = await harness.Client.GetAsync<TestWidget>("a", "default");
        Assert.Equal([FakeClusterHarness.FinalizerName], stored!.Metadata.Finalizers);
        lock (seenFinalizers)
        {
            Assert.All(seenFinalizers, Assert.True);
        }

        await harness.Client.DeleteAsync<TestWidget>("a", "default");

        await Eventually.TrueAsync(() => !harness.Controller.Deleted.IsEmpty, "DeletedAsync after the finalizer let go");
        var run = Assert.Single(harness.Finalizer.Runs);
        Assert.Equal(("a", true, false), run);
        Assert.Null(await harness.Client.GetAsync<TestWidget>("a", "default"));
        Assert.Equal(["a"], harness.Controller.Deleted);

        // Both finalizer writes were merge patches guarded by the resourceVersion the runner had read.
        var patches = harness.Server.Requests.Where(r => r.Method == "PATCH" && r.Path == WidgetsPath + "/a").Select(r => r.StatusCode);
        Assert.Equal([200, 200], patches);
    }

    [Fact]
    public async Task A_finalizer_removal_that_loses_a_resourceVersion_race_gets_409_and_is_retried_on_the_new_version()
    {
        await using var harness = await FakeClusterHarness.CreateAsync(withFinalizer: true);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Finalizer.Proceed = proceed.Task;
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        await Eventually.TrueAsync(() => !harness.Controller.Reconciles.IsEmpty, "reconcile");
        await harness.Client.DeleteAsync<TestWidget>("a", "default");
        await harness.Finalizer.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Someone else writes the object while cleanup runs: the runner's patch carries a stale resourceVersion.
        await harness.Client.PatchAsync<TestWidget>("a", "default", JsonNode.Parse("""{"metadata":{"labels":{"touched":"yes"}}}""")!);
        proceed.SetResult();
        var retry = await harness.Clock.ArmedAsync(TimeSpan.FromMilliseconds(20));
        harness.Clock.Advance(retry.Due);

        await Eventually.TrueAsync(() => !harness.Controller.Deleted.IsEmpty, "DeletedAsync after the retried finalizer");
        var removals = harness.Server.Requests.Where(r => r.Method == "PATCH" && r.Path == WidgetsPath + "/a").Select(r => r.StatusCode).ToList();
        Assert.Equal([200, 200, 409, 200], removals);
        Assert.Equal(2, harness.Finalizer.Runs.Count);
        Assert.Null(await harness.Client.GetAsync<TestWidget>("a", "default"));
    }

    [Fact]
    public async Task Deleted_object_without_finalizer_calls_DeletedAsync_once()
    {
        await using var harness = await FakeClusterHarness.CreateAsync();
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        await Eventually.TrueAsync(() => !harness.Controller.Reconciles.IsEmpty, "reconcile");

        Assert.True(await harness.Client.DeleteAsync<TestWidget>("a", "default"));
        await Eventually.TrueAsync(() => !harness.Controller.Deleted.IsEmpty, "DeletedAsync");
        await harness.IdleAsync();

        // Nothing queued and nothing waiting on the clock: no second DeletedAsync can follow.
        Assert.Equal(0, harness.Clock.PendingTimers);
        Assert.Equal(["a"], harness.Controller.Deleted);
        Assert.False(await harness.Client.DeleteAsync<TestWidget>("a", "default"));
    }

    [Fact]
    public async Task Owned_job_event_enqueues_its_controlling_owner()
    {
        await using var harness = await FakeClusterHarness.CreateAsync(owned: informers =>
            [new OwnedObjectSource<V1Job>(informers.For<V1Job>(), TestWidget.Resource)]);
        await harness.StartAsync();
        var owner = await harness.Client.CreateAsync(TestWidget.Named("owner"));
        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 1, "first reconcile");
        await harness.IdleAsync();

        var unrelatedSeen = FakeClusterHarness.DeliveredAsync(harness.Informers.For<V1Job>(), e => e.Object.Metadata.Name == "unrelated");
        await harness.Client.CreateAsync(Job("owner-run-1", new V1OwnerReference { ApiVersion = "test.imprint.dev/v1", Kind = "Widget", Name = "owner", Uid = owner.Metadata.Uid!, Controller = true }));
        await harness.Client.CreateAsync(Job("unrelated", new V1OwnerReference { ApiVersion = "other.dev/v1", Kind = "Widget", Name = "nobody", Uid = Guid.NewGuid().ToString(), Controller = true }));
        await unrelatedSeen;

        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 2, "reconcile after owned Job event");
        await harness.IdleAsync();
        Assert.All(harness.Controller.Reconciles, r => Assert.Equal("owner", r.Name));
        Assert.DoesNotContain(harness.Server.Requests, r => r.Method == "GET" && r.Path.StartsWith(WidgetsPath + "/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pod_of_an_owned_job_enqueues_the_owner_through_the_job_name_label_and_the_cached_job()
    {
        await using var harness = await FakeClusterHarness.CreateAsync(owned: informers =>
            [new JobPodSource<V1Pod, V1Job>(informers.For<V1Pod>(), informers.For<V1Job>(), TestWidget.Resource)]);
        await harness.StartAsync();
        var owner = await harness.Client.CreateAsync(TestWidget.Named("owner"));
        await harness.Client.CreateAsync(Job("owner-run-1", new V1OwnerReference { ApiVersion = "test.imprint.dev/v1", Kind = "Widget", Name = "owner", Uid = owner.Metadata.Uid!, Controller = true }));
        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count >= 1 && harness.Informers.For<V1Job>().Get("default", "owner-run-1") is not null, "first reconcile, Job cached");
        await harness.IdleAsync();
        var before = harness.Controller.Reconciles.Count;

        await harness.Client.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "owner-run-1-x7k2p", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["job-name"] = "owner-run-1" } },
            Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "agent", Image = "imprint-agent" }] },
        });

        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == before + 1, "reconcile after the Job's Pod changed");
        Assert.DoesNotContain(harness.Server.Requests, r => r.Method == "GET" && r.Path.EndsWith("/jobs/owner-run-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shutdown_lets_an_in_flight_reconcile_finish_and_takes_no_new_work()
    {
        await using var harness = await FakeClusterHarness.CreateAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = false;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Controller.BeforeReconcile = async () =>
        {
            started.TrySetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20));
            finished = true;
        };
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var stopping = harness.StopAsync();

        // The runner reacts to the stop on another thread; on a loaded machine "b" could otherwise arrive before it did.
        await Eventually.TrueAsync(() => harness.Runner.Queue!.IsShuttingDown, "shutdown began");
        var bSeen = FakeClusterHarness.DeliveredAsync(harness.Runner.Informer, e => e.Object.Metadata.Name == "b");
        await harness.Client.CreateAsync(TestWidget.Named("b"));
        await bSeen;

        // The drain waits for the reconcile (its timeout is on the fake clock, which stands still).
        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping;

        Assert.True(finished);
        Assert.DoesNotContain(harness.Controller.Reconciles, r => r.Name == "b");
    }

    [Fact]
    public async Task Shutdown_past_the_drain_timeout_does_not_strand_a_running_finalizer()
    {
        await using var harness = await FakeClusterHarness.CreateAsync(
            controllerOptions: new ControllerOptions { DrainTimeout = TimeSpan.FromSeconds(20), FinalizerTimeout = TimeSpan.FromMinutes(2) },
            withFinalizer: true);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Finalizer.Proceed = proceed.Task;
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        await Eventually.TrueAsync(() => !harness.Controller.Reconciles.IsEmpty, "reconcile");
        await harness.Client.DeleteAsync<TestWidget>("a", "default");
        await harness.Finalizer.Started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Shutdown, and the drain timeout passes while cleanup still runs: the workers' token fires, the finalizer's not.
        var stopping = harness.StopAsync();
        var drain = await harness.Clock.ArmedAsync(TimeSpan.FromSeconds(20));
        harness.Clock.Advance(drain.Due);
        Assert.False(stopping.IsCompleted);
        proceed.SetResult();
        await stopping;

        Assert.Equal(("a", true, false), Assert.Single(harness.Finalizer.Runs));
        Assert.Null(await harness.Client.GetAsync<TestWidget>("a", "default"));
    }

    private static V1Job Job(string name, V1OwnerReference owner) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", OwnerReferences = [owner] },
        Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "agent", Image = "imprint-agent" }] } } },
    };
}
