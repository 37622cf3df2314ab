using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Tests.Runtime.Support;
using k8s.Models;

namespace Imprint.Operator.Tests.Runtime.Controllers;

public sealed class EntityControllerRunnerTests
{
    [Fact]
    public async Task Reconciles_a_new_object_with_its_state_from_the_informer_cache_without_a_get()
    {
        await using var harness = new ControllerHarness();
        await harness.Client.CreateAsync(TestWidget.Named("a", size: 3));
        await harness.StartAsync();

        await Eventually.TrueAsync(() => !harness.Controller.Reconciles.IsEmpty, "first reconcile");
        var (name, generation, size, _) = Assert.Single(harness.Controller.Reconciles);
        Assert.Equal(("a", 1L, 3), (name, generation, size));
        Assert.DoesNotContain("widgets/default/a", harness.Client.Gets);
    }

    [Fact]
    public async Task Status_only_update_does_not_reconcile_but_a_spec_change_does()
    {
        await using var harness = new ControllerHarness();
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 1, "first reconcile");
        await Eventually.TrueAsync(() => harness.Runner.Queue!.Count == 0, "queue idle");

        await harness.Client.PatchStatusAsync<TestWidget>("a", "default", JsonNode.Parse("""{"status":{"phase":"Ready"}}""")!);
        await Task.Delay(300);
        Assert.Single(harness.Controller.Reconciles);

        await harness.Client.PatchAsync<TestWidget>("a", "default", JsonNode.Parse("""{"spec":{"size":5}}""")!);
        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 2, "reconcile after spec change");
        var last = harness.Controller.Reconciles.Last();
        Assert.Equal((2L, 5), (last.Generation, last.Size));
    }

    [Fact]
    public async Task Requeue_after_reconciles_again_after_the_delay()
    {
        await using var harness = new ControllerHarness();
        harness.Controller.OnReconcile = (_, n) => n == 1 ? ReconcileResult.Requeue(TimeSpan.FromMilliseconds(300)) : ReconcileResult.Success();
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));

        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 2, "requeued reconcile");
        var times = harness.Controller.Reconciles.Select(r => r.At).ToArray();
        Assert.InRange(times[1] - times[0], TimeSpan.FromMilliseconds(280), TimeSpan.FromSeconds(2));
        await Task.Delay(400);
        Assert.Equal(2, harness.Controller.Reconciles.Count);
    }

    [Fact]
    public async Task Failures_back_off_exponentially_and_a_success_resets_the_count()
    {
        await using var harness = new ControllerHarness(new ControllerOptions { BackoffBase = TimeSpan.FromMilliseconds(50), BackoffMax = TimeSpan.FromSeconds(2) });
        harness.Controller.OnReconcile = (_, n) => n <= 4 ? throw new InvalidOperationException($"boom {n}") : ReconcileResult.Success();
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));

        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 5, "fifth attempt");
        var times = harness.Controller.Reconciles.Select(r => r.At).ToArray();
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();

        // 50, 100, 200, 400 ms: timers fire no earlier than asked, so the lower bounds show the doubling; a loaded
        // machine may fire any of them late, so no upper bound or ordering is asserted.
        Assert.True(gaps[0] >= 45 && gaps[1] >= 95 && gaps[2] >= 195 && gaps[3] >= 395, string.Join(", ", gaps));
        await Eventually.TrueAsync(() => harness.Runner.Queue!.Failures("default/a") == 0, "failure count reset");
    }

    [Fact]
    public async Task Finalizer_is_added_before_the_first_reconcile_and_deletion_runs_it_then_removes_it()
    {
        await using var harness = new ControllerHarness(withFinalizer: true);
        var seenFinalizers = new List<bool>();
        harness.Controller.OnReconcile = (w, _) =>
        {
            lock (seenFinalizers)
            {
                seenFinalizers.Add(w.Metadata.Finalizers?.Contains(ControllerHarness.FinalizerName) == true);
            }

            return ReconcileResult.Success();
        };
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        await Eventually.TrueAsync(() => !harness.Controller.Reconciles.IsEmpty, "reconcile");
        var stored = await harness.Client.GetAsync<TestWidget>("a", "default");
        Assert.Equal([ControllerHarness.FinalizerName], stored!.Metadata.Finalizers);
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
    }

    [Fact]
    public async Task Deleted_object_without_finalizer_calls_DeletedAsync_once()
    {
        await using var harness = new ControllerHarness();
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        await Eventually.TrueAsync(() => !harness.Controller.Reconciles.IsEmpty, "reconcile");

        await harness.Client.DeleteAsync<TestWidget>("a", "default");
        await Eventually.TrueAsync(() => !harness.Controller.Deleted.IsEmpty, "DeletedAsync");
        await Task.Delay(200);

        Assert.Equal(["a"], harness.Controller.Deleted);
    }

    [Fact]
    public async Task Owned_job_event_enqueues_its_controlling_owner()
    {
        await using var harness = new ControllerHarness(owned: client =>
            [new OwnedObjectSource<TestJob>(client.For<TestJob>(), TestWidget.Resource)]);
        await harness.StartAsync();
        var owner = await harness.Client.CreateAsync(TestWidget.Named("owner"));
        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 1, "first reconcile");
        await Eventually.TrueAsync(() => harness.Runner.Queue!.Count == 0, "queue idle");

        await harness.Client.CreateAsync(new TestJob
        {
            Metadata = new V1ObjectMeta
            {
                Name = "owner-run-1",
                NamespaceProperty = "default",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "test.imprint.dev/v1", Kind = "Widget", Name = "owner", Uid = owner.Metadata.Uid!, Controller = true }],
            },
        });
        await harness.Client.CreateAsync(new TestJob
        {
            Metadata = new V1ObjectMeta
            {
                Name = "unrelated",
                NamespaceProperty = "default",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "other.dev/v1", Kind = "Widget", Name = "nobody", Uid = "x", Controller = true }],
            },
        });

        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 2, "reconcile after owned Job event");
        await Task.Delay(200);
        Assert.All(harness.Controller.Reconciles, r => Assert.Equal("owner", r.Name));
        Assert.DoesNotContain("widgets/default/nobody", harness.Client.Gets);
    }

    [Fact]
    public async Task Pod_of_an_owned_job_enqueues_the_owner_through_the_job_name_label_and_the_cached_job()
    {
        await using var harness = new ControllerHarness(owned: client =>
            [new JobPodSource<TestPod, TestJob>(client.For<TestPod>(), client.For<TestJob>(), TestWidget.Resource)]);
        await harness.StartAsync();
        var owner = await harness.Client.CreateAsync(TestWidget.Named("owner"));
        await harness.Client.CreateAsync(new TestJob
        {
            Metadata = new V1ObjectMeta
            {
                Name = "owner-run-1",
                NamespaceProperty = "default",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "test.imprint.dev/v1", Kind = "Widget", Name = "owner", Uid = owner.Metadata.Uid!, Controller = true }],
            },
        });
        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 1, "first reconcile");
        await Eventually.TrueAsync(() => harness.Runner.Queue!.Count == 0, "queue idle");

        await harness.Client.CreateAsync(new TestPod
        {
            Metadata = new V1ObjectMeta { Name = "owner-run-1-x7k2p", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["job-name"] = "owner-run-1" } },
        });

        await Eventually.TrueAsync(() => harness.Controller.Reconciles.Count == 2, "reconcile after the Job's Pod changed");
        Assert.DoesNotContain("jobs/default/owner-run-1", harness.Client.Gets);
    }

    [Fact]
    public async Task Shutdown_lets_an_in_flight_reconcile_finish_and_takes_no_new_work()
    {
        await using var harness = new ControllerHarness();
        var release = new TaskCompletionSource();
        var finished = false;
        var started = new TaskCompletionSource();
        harness.Controller.BeforeReconcile = async () =>
        {
            started.TrySetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(5));
            finished = true;
        };
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var stopping = harness.StopAsync();

        // The runner reacts to the stop on another thread; on a loaded machine "b" could otherwise arrive before it did.
        await Eventually.TrueAsync(() => harness.Runner.Queue!.IsShuttingDown, "shutdown began");
        await harness.Client.CreateAsync(TestWidget.Named("b"));
        await Task.Delay(100);
        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping;

        Assert.True(finished);
        Assert.DoesNotContain(harness.Controller.Reconciles, r => r.Name == "b");
    }

    [Fact]
    public async Task Shutdown_past_the_drain_timeout_does_not_strand_a_running_finalizer()
    {
        await using var harness = new ControllerHarness(
            new ControllerOptions { DrainTimeout = TimeSpan.FromMilliseconds(50), FinalizerTimeout = TimeSpan.FromSeconds(5) },
            withFinalizer: true);
        harness.Finalizer.Delay = TimeSpan.FromMilliseconds(400);
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        await Eventually.TrueAsync(() => !harness.Controller.Reconciles.IsEmpty, "reconcile");
        await harness.Client.DeleteAsync<TestWidget>("a", "default");
        await harness.Finalizer.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        await harness.StopAsync();

        Assert.Equal(("a", true, false), Assert.Single(harness.Finalizer.Runs));
        Assert.Null(await harness.Client.GetAsync<TestWidget>("a", "default"));
    }
}
