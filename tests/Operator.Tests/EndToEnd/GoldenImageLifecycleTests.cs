using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Tests.EndToEnd.Support;
using k8s.Models;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// How clones and their golden image depend on each other over time: a clone made before its golden waits for it,
/// the clone's disk outlives the VmClone only with reclaimPolicy Retain, and deleting a golden image a clone still
/// copies from is deferred by its finalizer until the clone is done.
/// </summary>
public sealed class GoldenImageLifecycleTests
{
    private const string Ns = "vms";

    [Fact]
    public async Task Clone_made_before_its_golden_image_waits_while_it_is_missing_and_unready_then_proceeds_by_itself()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "web", "base"));
        var waiting = await cluster.WaitForAsync(() => cluster.VmCloneAsync("web", Ns), c => c.Status?.Reason == "GoldenImageNotFound", "GoldenImageNotFound");
        Assert.Equal(VmClonePhase.WaitingForGoldenImage, waiting.Status!.Phase);
        Assert.Contains("vms/base does not exist", waiting.Status.Message, StringComparison.Ordinal);
        E2eAssert.Condition(waiting.Status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "GoldenImageNotFound", waiting.Metadata.Generation);
        E2eAssert.Condition(waiting.Status.Conditions, ConditionTypes.Progressing, ConditionStatus.True, "GoldenImageNotFound", waiting.Metadata.Generation);

        // The GoldenImage appears but cannot build yet (its source PVC is missing): the clone now waits for it to be
        // Ready. Then the source appears; the image builds and the clone proceeds with no help.
        await cluster.CreateAsync(E2eObjects.GoldenImageFromPvc(Ns, "base", "base-source"));
        await cluster.WaitForAsync(() => cluster.VmCloneAsync("web", Ns), c => c.Status?.Reason == "GoldenImageNotReady", "GoldenImageNotReady");
        cluster.Simulator.SeedPvc(Ns, "base-source", (await SampleImages.GetAsync()).RawPath);
        var golden = await cluster.WaitForGoldenImageAsync("base", Ns, GoldenImagePhase.Ready);
        var clone = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);

        var reasons = E2eAssert.Statuses(cluster, "VmClone", Ns, "web").Select(s => (string?)s["reason"]).Where(r => r is not null).Distinct().ToList();
        Assert.Equal(["GoldenImageNotFound", "GoldenImageNotReady"], reasons.Take(2));
        var notReady = E2eAssert.Statuses(cluster, "VmClone", Ns, "web").First(s => (string?)s["reason"] == "GoldenImageNotReady");
        Assert.Equal("WaitingForGoldenImage", (string?)notReady["phase"]);
        Assert.Equal("GoldenImage vms/base is Pending", (string?)notReady["message"]);
        // The clone's first Job started only after the golden's last one.
        var runs = cluster.Simulator.Runs;
        var lastGolden = runs.Select((r, i) => (r, i)).Last(p => p.r.Job.StartsWith("base-", StringComparison.Ordinal)).i;
        var firstClone = runs.Select((r, i) => (r, i)).First(p => p.r.Job.StartsWith("web-", StringComparison.Ordinal)).i;
        Assert.True(firstClone > lastGolden, string.Join(", ", runs.Select(r => r.Job)));
        Assert.Equal(CloneStrategy.CsiClone, clone.Status!.CloneStrategy);
        E2eAssert.Condition(clone.Status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Ready", clone.Metadata.Generation);
        Assert.Equal("web\n", await GuestDisk.ReadTextAsync(cluster.Simulator.DiskPath(Ns, "web"), "/etc/hostname"));
        Assert.NotNull(golden.Status!.CompletionTime);
    }

    [Fact]
    public async Task Deleting_a_clone_keeps_its_disk_with_reclaim_policy_Retain_and_removes_it_with_Delete()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        await cluster.ReadyGoldenImageAsync(Ns, "base");
        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "keep", "base")); // Retain is the default
        var drop = E2eObjects.VmClone(Ns, "drop", "base");
        drop["spec"]!["reclaimPolicy"] = "Delete";
        await cluster.CreateAsync(drop);
        var kept = await cluster.WaitForVmCloneAsync("keep", Ns, VmClonePhase.Ready);
        await cluster.WaitForVmCloneAsync("drop", Ns, VmClonePhase.Ready);
        var keptDisk = cluster.Simulator.DiskPath(Ns, "keep");
        var droppedDisk = cluster.Simulator.DiskPath(Ns, "drop");
        var keptHash = await SamplesEndToEndTests.HashAsync(keptDisk);
        Assert.True(File.Exists(droppedDisk));
        Assert.Contains(kept.Metadata.Uid!, cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "keep")!["metadata"]!["ownerReferences"]!.ToJsonString(), StringComparison.Ordinal);

        await cluster.Client.DeleteAsync<V1Alpha1VmClone>("keep", Ns);
        await cluster.Client.DeleteAsync<V1Alpha1VmClone>("drop", Ns);
        await cluster.WaitForAsync(async () => await cluster.VmCloneAsync("keep", Ns) is null && await cluster.VmCloneAsync("drop", Ns) is null ? "" : null, _ => true, "both VmClones gone", 20);
        await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "drop") is null ? "" : null), _ => true, "PVC drop deleted", 10);

        // Retain: the claim stays, no longer owned (so garbage collection leaves it), with the very disk the clone made.
        var claim = cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "keep");
        Assert.NotNull(claim);
        Assert.Null(claim["metadata"]!["deletionTimestamp"]);
        Assert.True(claim["metadata"]!["ownerReferences"] is null or JsonArray { Count: 0 }, claim["metadata"]!.ToJsonString());
        Assert.Equal(keptHash, await SamplesEndToEndTests.HashAsync(keptDisk));
        Assert.Equal("keep\n", await GuestDisk.ReadTextAsync(keptDisk, "/etc/hostname"));
        // Delete: the claim went and the driver removed its volume.
        await cluster.WaitForAsync(() => Task.FromResult(File.Exists(droppedDisk) ? null : ""), _ => true, "volume of drop removed", 10);
        // The step Jobs and input ConfigMaps of both are gone, and the golden image is untouched.
        Assert.Empty(E2eAssert.Jobs(cluster.Server, Ns, "keep"));
        Assert.Empty(E2eAssert.Jobs(cluster.Server, Ns, "drop"));
        Assert.DoesNotContain(cluster.Server.List("v1", "configmaps", Ns), c => (string?)c["metadata"]!["labels"]?["imprint.dev/owner"] is "keep" or "drop");
        Assert.Equal(GoldenImagePhase.Ready, (await cluster.GoldenImageAsync("base", Ns))!.Status!.Phase);
    }

    [Fact]
    public async Task Reclaim_policy_changed_on_a_ready_clone_is_observed_in_status_and_honoured_on_delete()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        await cluster.ReadyGoldenImageAsync(Ns, "base");
        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "web", "base"));
        var ready = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);
        var runs = E2eAssert.Runs(cluster, Ns, "web").Count;

        // GitOps flips the policy before pruning: a mutable field, so the disk stays as it is.
        await cluster.Client.PatchAsync<V1Alpha1VmClone>("web", Ns, new JsonObject { ["spec"] = new JsonObject { ["reclaimPolicy"] = "Delete" } });
        var observed = await cluster.WaitForAsync(() => cluster.VmCloneAsync("web", Ns), c => c.Status?.ObservedGeneration == c.Metadata.Generation,
            "status.observedGeneration caught up with the edit", 10);

        Assert.Equal(ready.Metadata.Generation + 1, observed.Metadata.Generation);
        Assert.Equal(VmClonePhase.Ready, observed.Status!.Phase);
        E2eAssert.Condition(observed.Status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Ready", observed.Metadata.Generation);
        E2eAssert.Condition(observed.Status.Conditions, ConditionTypes.Progressing, ConditionStatus.False, null, observed.Metadata.Generation);
        E2eAssert.Condition(observed.Status.Conditions, ConditionTypes.Degraded, ConditionStatus.False, null, observed.Metadata.Generation);
        Assert.Equal(ready.Status!.CompletionTime, observed.Status.CompletionTime);
        Assert.Equal(runs, E2eAssert.Runs(cluster, Ns, "web").Count);

        await cluster.Client.DeleteAsync<V1Alpha1VmClone>("web", Ns);
        await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "web") is null ? "" : null), _ => true, "PVC web deleted", 15);
    }

    [Fact]
    public async Task Deleting_a_golden_image_a_clone_still_copies_from_is_deferred_until_the_clone_is_ready_and_one_without_busy_clones_goes_at_once()
    {
        // A 6 s backoff keeps the clone in Cloning (between two copy attempts) long enough to delete the golden then.
        await using var cluster = await ImprintCluster.StartAsync(o => o.Agent = new() { RetryBackoffSeconds = 6, RetryBackoffMaxSeconds = 6, MaxRetries = 2, ProgressIntervalSeconds = 1 });
        await Task.WhenAll(cluster.ReadyGoldenImageAsync(Ns, "base"), cluster.ReadyGoldenImageAsync(Ns, "old"));
        cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, "web"), "copy", 7, "cp: error writing '/disks/target/disk.img': Input/output error", count: 1);
        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "done", "old"));
        await cluster.WaitForVmCloneAsync("done", Ns, VmClonePhase.Ready);
        var busy = E2eObjects.VmClone(Ns, "web", "base");
        busy["spec"]!["strategy"] = "Copy";
        await cluster.CreateAsync(busy);
        await cluster.WaitForAsync(() => cluster.VmCloneAsync("web", Ns), c => c.Status?.RetryCount == 1, "web between copy attempts");
        Assert.Equal(VmClonePhase.Cloning, (await cluster.VmCloneAsync("web", Ns))!.Status!.Phase);

        await cluster.Client.DeleteAsync<V1Alpha1GoldenImage>("base", Ns);
        await cluster.Client.DeleteAsync<V1Alpha1GoldenImage>("old", Ns);

        // "old" has only a Ready clone: it goes at once, with its golden PVC, and without a deferral.
        await cluster.WaitForAsync(async () => await cluster.GoldenImageAsync("old", Ns) is null ? "" : null, _ => true, "GoldenImage old gone", 10);
        Assert.Empty(E2eAssert.Events(cluster, Ns, "old", "Warning"));
        await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "old-golden") is null ? "" : null), _ => true, "PVC old-golden gone", 10);
        Assert.Equal("done\n", await GuestDisk.ReadTextAsync(cluster.Simulator.DiskPath(Ns, "done"), "/etc/hostname"));

        // "base" waits for web: Terminating, its finalizer and disk still there, a Warning saying who holds it.
        var deferred = await cluster.WaitForAsync(() => Task.FromResult(E2eAssert.Events(cluster, Ns, "base", "Warning").FirstOrDefault(e => (string?)e["reason"] == "DeletionDeferred")),
            _ => true, "DeletionDeferred on base", 10);
        Assert.Contains("vms/web", E2eAssert.Note(deferred), StringComparison.Ordinal);
        var terminating = await cluster.GoldenImageAsync("base", Ns);
        Assert.NotNull(terminating);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Contains("imprint.dev/in-use-protection", terminating.Metadata.Finalizers!);
        Assert.NotNull(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "base-golden"));

        var clone = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);
        await cluster.WaitForAsync(async () => await cluster.GoldenImageAsync("base", Ns) is null ? "" : null, _ => true, "GoldenImage base gone after web is Ready", 15);
        await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "base-golden") is null ? "" : null), _ => true, "PVC base-golden gone", 10);
        Assert.Equal(1, clone.Status!.RetryCount);
        Assert.Equal(["web-plan-a0", "web-plan-a1"], E2eAssert.Runs(cluster, Ns, "web").Select(r => r.Job));
        var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, "web"));
        Assert.Equal("web\n", await guest.TryReadTextAsync("/etc/hostname"));
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);
    }
}
