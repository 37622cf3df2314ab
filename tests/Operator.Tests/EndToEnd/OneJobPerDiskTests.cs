using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Tests.EndToEnd.Support;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// A disk's agent steps that can share a pod run as one Job (<c>imprint run</c> with a plan): a clone by Copy and a
/// golden build from http are one Job and one pod each, status still goes through the steps' phases, a retry starts
/// at the first step not proven done, and a failure in any step is reported in that step's phase as before.
/// </summary>
public sealed class OneJobPerDiskTests
{
    private const string Ns = "vms";

    [Fact]
    public async Task Golden_build_and_copy_clone_each_run_as_one_job_and_one_pod_with_every_steps_result_in_status()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();

        await cluster.CreateAsync(E2eObjects.GoldenImageFromHttp(Ns, "base", images.QcowUrl, "sha512:" + images.QcowSha512));
        var golden = await cluster.WaitForGoldenImageAsync("base", Ns, GoldenImagePhase.Ready);
        var clone = E2eObjects.VmClone(Ns, "web", "base");
        clone["spec"]!["strategy"] = "Copy";
        clone["spec"]!["target"] = new JsonObject { ["size"] = "160Mi" };
        await cluster.CreateAsync(clone);
        var ready = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);

        Assert.Equal(["base-plan-a0"], Created(cluster, "Job", "base"));
        Assert.Single(Created(cluster, "Pod", "base"));
        Assert.Equal(["import", "inspect", "seal", "fingerprint"], E2eAssert.PlanSteps(cluster, Ns, "base", 0));
        var built = golden.Status!;
        Assert.Equal(new FileInfo(images.RawPath).Length, built.VirtualSize);
        Assert.NotNull(built.Inspection?.Os);
        Assert.Contains("machine-id", built.SealedOperations!);
        Assert.Equal(built.VirtualSize, built.Fingerprint!.Size);
        AssertInOrder(E2eAssert.Phases(cluster, "GoldenImage", Ns, "base"), ["Pending", "Importing", "Inspecting", "Sealing", "Snapshotting", "Ready"]);

        Assert.Equal(["web-plan-a0"], Created(cluster, "Job", "web"));
        Assert.Single(Created(cluster, "Pod", "web"));
        Assert.Equal(["copy", "customize", "resize"], E2eAssert.PlanSteps(cluster, Ns, "web", 0));
        var status = ready.Status!;
        Assert.NotNull(status.Durations?.CloneMs);
        Assert.NotNull(status.Durations?.CustomizeMs);
        Assert.NotNull(status.Durations?.ResizeMs);
        Assert.NotEmpty(status.SshHostKeys!);
        Assert.True(status.Changes!.Count > 0);
        AssertInOrder(E2eAssert.Phases(cluster, "VmClone", Ns, "web"), ["Pending", "WaitingForGoldenImage", "Cloning", "Customizing", "Resizing", "Ready"]);
        Assert.Contains("Cloning", E2eAssert.Phases(cluster, "VmClone", Ns, "web"));
        var disk = cluster.Simulator.DiskPath(Ns, "web");
        Assert.Equal(160L << 20, new FileInfo(disk).Length);
        var guest = await GuestDisk.RootAsync(disk);
        Assert.Equal("web\n", await guest.TryReadTextAsync("/etc/hostname"));
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);

        // Ready cleans up: the plan Jobs and their ConfigMaps are gone.
        await cluster.WaitForAsync(() => Task.FromResult(E2eAssert.Jobs(cluster.Server, Ns, "web").Count == 0 ? "" : null), _ => true, "web's Job cleaned up", 10);
        Assert.DoesNotContain(cluster.Server.List("v1", "configmaps", Ns), c => ((string?)c["metadata"]!["name"])!.Contains("-plan-input-", StringComparison.Ordinal)
            && (string?)c["metadata"]!["labels"]?["imprint.dev/owner"] is "web" or "base");
    }

    [Fact]
    public async Task Retry_starts_at_the_first_step_not_proven_done_and_redoes_the_copy_only_when_the_failure_may_have_touched_it()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, "base"), "inspect", 7, "debugfs: Short read while reading inode table", count: 1);
        cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, "kept"), "customize", 7, "ssh-keygen: cannot write to /tmp", count: 1, diskUnchanged: true);
        cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, "redone"), "customize", 7, "debugfs: Input/output error while writing /etc/hostname", count: 1);

        await cluster.CreateAsync(E2eObjects.GoldenImageFromHttp(Ns, "base", images.QcowUrl, "sha512:" + images.QcowSha512));
        var golden = await cluster.WaitForGoldenImageAsync("base", Ns, GoldenImagePhase.Ready);
        foreach (var name in new[] { "kept", "redone" })
        {
            var clone = E2eObjects.VmClone(Ns, name, "base");
            clone["spec"]!["strategy"] = "Copy";
            await cluster.CreateAsync(clone);
        }

        var kept = await cluster.WaitForVmCloneAsync("kept", Ns, VmClonePhase.Ready);
        var redone = await cluster.WaitForVmCloneAsync("redone", Ns, VmClonePhase.Ready);

        // Inspect only reads: the import the first attempt finished is not downloaded again.
        Assert.Equal(1, golden.Status!.RetryCount);
        Assert.Equal(["base-plan-a0", "base-plan-a1"], E2eAssert.Runs(cluster, Ns, "base").Select(r => r.Job));
        Assert.Equal(["import", "inspect", "seal", "fingerprint"], E2eAssert.PlanSteps(cluster, Ns, "base", 0));
        Assert.Equal(["inspect", "seal", "fingerprint"], E2eAssert.PlanSteps(cluster, Ns, "base", 1));
        Assert.Equal(new FileInfo(images.RawPath).Length, golden.Status.VirtualSize);
        Assert.Equal("Inspecting", (string?)E2eAssert.Statuses(cluster, "GoldenImage", Ns, "base").First(s => (string?)s["reason"] == "AgentFailed")["phase"]);

        // A customize that left the disk as it found it keeps the copy; one that may have written to it does not.
        Assert.Equal(["copy", "customize"], E2eAssert.PlanSteps(cluster, Ns, "kept", 0));
        Assert.Equal(["customize"], E2eAssert.PlanSteps(cluster, Ns, "kept", 1));
        Assert.Equal(["copy", "customize"], E2eAssert.PlanSteps(cluster, Ns, "redone", 1));
        foreach (var clone in new[] { kept, redone })
        {
            var name = clone.Metadata.Name!;
            Assert.Equal(1, clone.Status!.RetryCount);
            Assert.NotNull(clone.Status.Durations?.CloneMs);
            Assert.NotEmpty(clone.Status.SshHostKeys!);
            Assert.Equal("Customizing", (string?)E2eAssert.Statuses(cluster, "VmClone", Ns, name).First(s => (string?)s["reason"] == "AgentFailed")["phase"]);
            var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, name));
            Assert.Equal($"{name}\n", await guest.TryReadTextAsync("/etc/hostname"));
            var check = await guest.CheckAsync();
            Assert.True(check.IsClean, check.Output);
        }
    }

    [Fact]
    public async Task Failure_in_any_step_of_a_plan_is_reported_in_that_steps_phase_with_the_agents_exit_code()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();
        var goldenSteps = new Dictionary<string, string> { ["import"] = "Importing", ["inspect"] = "Inspecting", ["seal"] = "Sealing", ["fingerprint"] = "Sealing" };
        var cloneSteps = new Dictionary<string, string> { ["copy"] = "Cloning", ["customize"] = "Customizing", ["resize"] = "Resizing" };
        foreach (var step in goldenSteps.Keys)
        {
            cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, $"g-{step}"), step, 5, $"{step} met something it does not handle");
            await cluster.CreateAsync(E2eObjects.GoldenImageFromHttp(Ns, $"g-{step}", images.QcowUrl, "sha512:" + images.QcowSha512));
        }

        await cluster.CreateAsync(E2eObjects.GoldenImageFromHttp(Ns, "base", images.QcowUrl, "sha512:" + images.QcowSha512));
        await cluster.WaitForGoldenImageAsync("base", Ns, GoldenImagePhase.Ready);
        foreach (var step in cloneSteps.Keys)
        {
            cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, $"c-{step}"), step, 6, $"{step} cannot be satisfied");
            var clone = E2eObjects.VmClone(Ns, $"c-{step}", "base");
            clone["spec"]!["strategy"] = "Copy";
            clone["spec"]!["target"] = new JsonObject { ["size"] = "160Mi" };
            await cluster.CreateAsync(clone);
        }

        foreach (var (step, phase) in goldenSteps)
        {
            var failed = (await cluster.WaitForGoldenImageAsync($"g-{step}", Ns, GoldenImagePhase.Failed)).Status!;
            Assert.Equal("UnsupportedImage", failed.Reason);
            Assert.StartsWith($"{phase}: agent Job g-{step}-plan-a0 (step {step}) failed with exit code 5", failed.Message, StringComparison.Ordinal);
            Assert.Contains($"{step} met something it does not handle", failed.Message, StringComparison.Ordinal);
            Assert.Equal(0, failed.RetryCount ?? 0);
            E2eAssert.Condition(failed.Conditions, ConditionTypes.Stalled, ConditionStatus.True, "UnsupportedImage", 1);
            Assert.Equal([$"g-{step}-plan-a0"], E2eAssert.Runs(cluster, Ns, $"g-{step}").Select(r => r.Job));
        }

        foreach (var (step, phase) in cloneSteps)
        {
            var failed = (await cluster.WaitForVmCloneAsync($"c-{step}", Ns, VmClonePhase.Failed)).Status!;
            Assert.Equal("RequestNotSatisfiable", failed.Reason);
            Assert.StartsWith($"{phase}: agent Job c-{step}-plan-a0 (step {step}) failed with exit code 6", failed.Message, StringComparison.Ordinal);
            Assert.Contains($"{step} cannot be satisfied", failed.Message, StringComparison.Ordinal);
            Assert.Equal([$"c-{step}-plan-a0"], E2eAssert.Runs(cluster, Ns, $"c-{step}").Select(r => r.Job));
            var warning = Assert.Single(E2eAssert.Events(cluster, Ns, $"c-{step}", "Warning"));
            Assert.Equal("RequestNotSatisfiable", (string?)warning["reason"]);
        }
    }

    [Fact]
    public async Task Steps_finishing_between_two_progress_reads_still_get_each_phases_normal_event_once_and_in_order()
    {
        // Progress is read once a minute: the whole plan finishes between two reads, so the pass that sees the Job
        // done must walk through the phases whose steps it never saw running.
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync(o => o.Agent.ProgressIntervalSeconds = 60);

        await cluster.CreateAsync(E2eObjects.GoldenImageFromHttp(Ns, "base", images.QcowUrl, "sha512:" + images.QcowSha512));
        await cluster.WaitForGoldenImageAsync("base", Ns, GoldenImagePhase.Ready);
        var clone = E2eObjects.VmClone(Ns, "web", "base");
        clone["spec"]!["strategy"] = "Copy";
        clone["spec"]!["target"] = new JsonObject { ["size"] = "160Mi" };
        await cluster.CreateAsync(clone);
        await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);
        string[] goldenPhases = ["Importing", "Inspecting", "Sealing", "Ready"];
        string[] clonePhases = ["Cloning", "Customizing", "Resizing", "Ready"];
        await cluster.WaitForAsync(() => Task.FromResult(NormalReasons(cluster, "web").Contains("Ready") ? "" : null), _ => true, "web's Ready Event", 10);

        Assert.Equal(["base-plan-a0"], Created(cluster, "Job", "base"));
        Assert.Equal(["web-plan-a0"], Created(cluster, "Job", "web"));
        Assert.Equal(goldenPhases, NormalReasons(cluster, "base").Where(goldenPhases.Contains));
        Assert.Equal(clonePhases, NormalReasons(cluster, "web").Where(clonePhases.Contains));
        AssertInOrder(E2eAssert.Phases(cluster, "GoldenImage", Ns, "base"), ["Pending", "Importing", "Inspecting", "Sealing", "Snapshotting", "Ready"]);
        AssertInOrder(E2eAssert.Phases(cluster, "VmClone", Ns, "web"), ["Pending", "WaitingForGoldenImage", "Cloning", "Customizing", "Resizing", "Ready"]);
    }

    /// <summary>Reasons of the Normal Events about an object, in the order the API server stored them.</summary>
    private static List<string> NormalReasons(ImprintCluster cluster, string name) =>
        [.. cluster.Changes.Where(c => c.Type == "ADDED" && (string?)c.Object["kind"] == "Event" && (string?)c.Object["metadata"]?["namespace"] == Ns
            && (string?)c.Object["regarding"]?["name"] == name && (string?)c.Object["type"] == "Normal").Select(c => (string)c.Object["reason"]!)];

    /// <summary>Names of the objects of a kind made for an owner (by its owner label), in creation order.</summary>
    private static List<string> Created(ImprintCluster cluster, string kind, string owner) =>
        [.. cluster.Changes.Where(c => c.Type == "ADDED" && (string?)c.Object["kind"] == kind && (string?)c.Object["metadata"]?["namespace"] == Ns
            && (string?)c.Object["metadata"]?["labels"]?["imprint.dev/owner"] == owner).Select(c => (string)c.Object["metadata"]!["name"]!)];

    /// <summary>The phases seen are a subsequence of <paramref name="order"/> (a fast step may pass between two reads).</summary>
    private static void AssertInOrder(IReadOnlyList<string> seen, string[] order)
    {
        var positions = seen.Select(p => Array.IndexOf(order, p)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.Equal("Ready", seen[^1]);
    }
}
