using System.Text;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Tests.EndToEnd.Support;
using Imprint.Operator.Tests.Runtime.Support;
using k8s.Models;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// A VmClone's failure paths through the real pieces: agent steps that fail (injected by the node simulator with the
/// agent's own result shape), inputs that are missing, and a golden image it may not use. The cluster runs with
/// MaxRetries 2 and a 1–2 s backoff.
/// </summary>
public sealed class CloneFailureTests
{
    private const string Ns = "vms";

    [Fact]
    public async Task Failed_step_is_retried_on_a_target_provisioned_again_from_the_golden_and_the_clone_then_becomes_ready()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        var golden = await cluster.ReadyGoldenImageAsync(Ns, "base");
        const string agentMessage = "resize2fs: Input/output error while trying to resize the root filesystem";
        cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, "web"), "resize", 7, agentMessage, count: 1);
        var manifest = E2eObjects.VmClone(Ns, "web", "base");
        manifest["spec"]!["target"] = new JsonObject { ["size"] = "128Mi" };

        await cluster.CreateAsync(manifest);
        var clone = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);

        // Customize really ran on the first disk before resize failed; the retry got a new claim cloned from the
        // golden (a new uid), checked against the golden's fingerprint again, so the second customize did not work on
        // top of the first (an interrupted step on a CSI clone is never retried in place).
        var runs = E2eAssert.Runs(cluster, Ns, "web");
        // One plan Job per attempt after the verify Job (customize and resize share its pod; customize ran for real).
        Assert.Equal(["web-verify-a0", "web-plan-a0", "web-verify-a1", "web-plan-a1"], runs.Select(r => r.Job));
        Assert.Equal([0, 7, 0, 0], runs.Select(r => r.ExitCode ?? -1));
        Assert.Equal([false, true, false, false], runs.Select(r => r.Injected));
        Assert.Equal(["customize", "resize"], E2eAssert.PlanSteps(cluster, Ns, "web", 0));
        Assert.Equal(["customize", "resize"], E2eAssert.PlanSteps(cluster, Ns, "web", 1));
        var claims = E2eAssert.ClaimIncarnations(cluster, Ns, "web");
        Assert.Equal(2, claims.Distinct().Count());
        var pvc = cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "web")!;
        Assert.Equal(claims[^1], (string?)pvc["metadata"]!["uid"]);
        Assert.Equal("1", (string?)pvc["metadata"]!["annotations"]!["imprint.dev/attempt"]);
        Assert.Equal("base-golden", (string?)pvc["spec"]!["dataSource"]!["name"]);

        // While the retry was pending the clone said so: Degraded with the agent's message, the next attempt scheduled.
        var degraded = E2eAssert.Statuses(cluster, "VmClone", Ns, "web")
            .First(s => s["conditions"]!.AsArray().Any(c => (string?)c!["type"] == ConditionTypes.Degraded && (string?)c["status"] == "True"));
        Assert.Equal("AgentFailed", (string?)degraded["reason"]);
        Assert.Contains(agentMessage, (string?)degraded["message"], StringComparison.Ordinal);
        Assert.Equal(1, (int?)degraded["retryCount"]);
        Assert.NotNull((string?)degraded["nextRetryTime"]);
        Assert.Equal("Resizing", (string?)degraded["phase"]);
        var warning = Assert.Single(E2eAssert.Events(cluster, Ns, "web", "Warning"));
        Assert.Equal("AgentFailed", (string?)warning["reason"]);
        Assert.Contains(agentMessage, E2eAssert.Note(warning), StringComparison.Ordinal);
        Assert.Contains("exit code 7", E2eAssert.Note(warning), StringComparison.Ordinal);
        Assert.Contains("retry 1 of 2", E2eAssert.Note(warning), StringComparison.Ordinal);

        var status = clone.Status!;
        Assert.Equal(1, status.RetryCount);
        Assert.Equal(CloneStrategy.CsiClone, status.CloneStrategy);
        Assert.Null(status.NextRetryTime);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Ready", clone.Metadata.Generation);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Degraded, ConditionStatus.False, null, clone.Metadata.Generation);
        var disk = cluster.Simulator.DiskPath(Ns, "web");
        Assert.Equal(128L << 20, new FileInfo(disk).Length);
        var guest = await GuestDisk.RootAsync(disk);
        Assert.Equal("web\n", await guest.TryReadTextAsync("/etc/hostname"));
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);
        Assert.Equal(golden.Status!.VirtualSize, new FileInfo(cluster.Simulator.DiskPath(Ns, "base-golden")).Length);
    }

    [Theory]
    [InlineData("Copy")]
    [InlineData("CsiClone")]
    [InlineData("Snapshot")]
    public async Task Step_that_keeps_failing_is_retried_MaxRetries_times_each_from_the_golden_then_the_clone_fails(string strategy)
    {
        await using var cluster = await ImprintCluster.StartAsync();
        await cluster.ReadyGoldenImageAsync(Ns, "base", g =>
        {
            if (strategy == "Snapshot")
            {
                g["spec"]!["snapshot"] = new JsonObject { ["volumeSnapshotClassName"] = "csi-snapclass" };
            }
        });
        const string agentMessage = "debugfs: Attempt to write to filesystem opened read-only while writing /etc/hostname";
        cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, "web"), "customize", 7, agentMessage);
        var manifest = E2eObjects.VmClone(Ns, "web", "base");
        manifest["spec"]!["strategy"] = strategy;

        await cluster.CreateAsync(manifest);
        var clone = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Failed);

        var runs = E2eAssert.Runs(cluster, Ns, "web");
        if (strategy == "Copy")
        {
            // Every attempt copies the golden disk again (--overwrite) before customizing: the failed customize may have
            // written to the copy. One Job per attempt.
            Assert.Equal(["web-plan-a0", "web-plan-a1", "web-plan-a2"], runs.Select(r => r.Job));
            foreach (var attempt in new[] { 0, 1, 2 })
            {
                var plan = E2eAssert.Plan(cluster, Ns, "web", attempt);
                Assert.Equal(["copy", "customize"], plan.Select(s => s.Name));
                Assert.Contains("--overwrite", plan[0].Args);
            }
            Assert.Single(E2eAssert.ClaimIncarnations(cluster, Ns, "web"));
        }
        else
        {
            // An interrupted step on a driver-filled claim is never retried in place: every attempt gets a new claim the
            // driver filled from the golden claim (or its snapshot), checked against the golden's fingerprint first.
            Assert.Equal(["web-verify-a0", "web-plan-a0", "web-verify-a1", "web-plan-a1", "web-verify-a2", "web-plan-a2"], runs.Select(r => r.Job));
            Assert.All(runs.Where(r => r.Job.Contains("-verify-", StringComparison.Ordinal)), r => Assert.Equal((0, false), (r.ExitCode, r.Injected)));
            Assert.Equal(3, E2eAssert.ClaimIncarnations(cluster, Ns, "web").Distinct().Count());
            var kind = strategy == "Snapshot" ? "VolumeSnapshot" : "PersistentVolumeClaim";
            Assert.All(cluster.History("PersistentVolumeClaim", Ns, "web").Where(c => c.Type == "ADDED"),
                c => Assert.Equal((kind, "base-golden"), ((string?)c.Object["spec"]!["dataSource"]!["kind"], (string?)c.Object["spec"]!["dataSource"]!["name"])));
        }

        Assert.All(runs.Where(r => r.Job.Contains("-plan-", StringComparison.Ordinal)), r => Assert.Equal((7, true), (r.ExitCode, r.Injected)));
        Assert.Equal(3, E2eAssert.Jobs(cluster.Server, Ns, "web").Count(j => ((string?)j["metadata"]!["annotations"]?["imprint.dev/plan-steps"])?.Contains("customize", StringComparison.Ordinal) == true));

        var status = clone.Status!;
        Assert.Equal("AgentFailed", status.Reason);
        Assert.Contains(agentMessage, status.Message, StringComparison.Ordinal);
        Assert.Contains("gave up after 2 retries", status.Message, StringComparison.Ordinal);
        Assert.Equal(2, status.RetryCount);
        Assert.Null(status.NextRetryTime);
        Assert.NotNull(status.CompletionTime);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "AgentFailed", clone.Metadata.Generation);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, "AgentFailed", clone.Metadata.Generation);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Progressing, ConditionStatus.False, "Failed", clone.Metadata.Generation);
        var warnings = E2eAssert.Events(cluster, Ns, "web", "Warning");
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings, w => Assert.Equal("AgentFailed", (string?)w["reason"]));
        Assert.All(warnings, w => Assert.Contains(agentMessage, E2eAssert.Note(w), StringComparison.Ordinal));
        Assert.Contains("retry 1 of 2", E2eAssert.Note(warnings[0]), StringComparison.Ordinal);
        Assert.Contains("retry 2 of 2", E2eAssert.Note(warnings[1]), StringComparison.Ordinal);
        Assert.Contains("gave up after 2 retries", E2eAssert.Note(warnings[2]), StringComparison.Ordinal);
        Assert.DoesNotContain("Ready", E2eAssert.Phases(cluster, "VmClone", Ns, "web"));
    }

    [Fact]
    public async Task Permanent_agent_exit_codes_fail_the_clone_at_once_without_retries()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        await cluster.ReadyGoldenImageAsync(Ns, "base");
        var expected = new Dictionary<int, string> { [4] = "MalformedImage", [5] = "UnsupportedImage", [6] = "RequestNotSatisfiable" };
        foreach (var code in expected.Keys)
        {
            cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, $"exit{code}"), "customize", code, $"the agent gave up with code {code}");
            await cluster.CreateAsync(E2eObjects.VmClone(Ns, $"exit{code}", "base"));
        }

        foreach (var (code, reason) in expected)
        {
            var name = $"exit{code}";
            var clone = await cluster.WaitForVmCloneAsync(name, Ns, VmClonePhase.Failed);
            var status = clone.Status!;
            Assert.Equal(reason, status.Reason);
            Assert.Contains($"the agent gave up with code {code}", status.Message, StringComparison.Ordinal);
            Assert.Contains($"exit code {code}", status.Message, StringComparison.Ordinal);
            Assert.Equal(0, status.RetryCount ?? 0);
            E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, reason, clone.Metadata.Generation);
            E2eAssert.Condition(status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, reason, clone.Metadata.Generation);
            var warning = Assert.Single(E2eAssert.Events(cluster, Ns, name, "Warning"));
            Assert.Equal(reason, (string?)warning["reason"]);
            Assert.Contains($"the agent gave up with code {code}", E2eAssert.Note(warning), StringComparison.Ordinal);
            Assert.DoesNotContain("Ready", E2eAssert.Phases(cluster, "VmClone", Ns, name));
        }

        // One customize Job each and no second attempt, even after a few more reconcile chances.
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var code in expected.Keys)
        {
            Assert.Equal([$"exit{code}-verify-a0", $"exit{code}-plan-a0"], E2eAssert.Runs(cluster, Ns, $"exit{code}").Select(r => r.Job));
        }
    }

    [Fact]
    public async Task Target_smaller_than_the_golden_disk_fails_before_any_claim_or_job()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        var golden = await cluster.ReadyGoldenImageAsync(Ns, "base");
        var manifest = E2eObjects.VmClone(Ns, "tiny", "base");
        manifest["spec"]!["target"] = new JsonObject { ["size"] = "32Mi" };

        await cluster.CreateAsync(manifest);
        var clone = await cluster.WaitForVmCloneAsync("tiny", Ns, VmClonePhase.Failed);

        Assert.Equal("TargetTooSmall", clone.Status!.Reason);
        Assert.Contains($"{32L << 20} bytes, smaller than the golden's virtual size of {golden.Status!.VirtualSize} bytes", clone.Status.Message, StringComparison.Ordinal);
        Assert.Equal(0, clone.Status.RetryCount ?? 0);
        E2eAssert.Condition(clone.Status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "TargetTooSmall", clone.Metadata.Generation);
        Assert.Equal("TargetTooSmall", (string?)Assert.Single(E2eAssert.Events(cluster, Ns, "tiny", "Warning"))["reason"]);
        Assert.Empty(E2eAssert.Runs(cluster, Ns, "tiny"));
        Assert.Null(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "tiny"));
    }

    [Fact]
    public async Task Claim_that_belongs_to_someone_else_fails_the_clone_and_survives_its_deletion_even_with_reclaim_policy_Delete()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();
        await cluster.ReadyGoldenImageAsync(Ns, "base");
        cluster.Simulator.SeedPvc(Ns, "web", images.RawPath);
        var before = await SamplesEndToEndTests.HashAsync(cluster.Simulator.DiskPath(Ns, "web"));
        var manifest = E2eObjects.VmClone(Ns, "web", "base");
        manifest["spec"]!["reclaimPolicy"] = "Delete";

        await cluster.CreateAsync(manifest);
        var clone = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Failed);

        Assert.Equal("PvcConflict", clone.Status!.Reason);
        Assert.Contains("vms/web exists and does not belong to this VmClone", clone.Status.Message, StringComparison.Ordinal);
        Assert.Contains("spec.target.pvcName", clone.Status.Message, StringComparison.Ordinal);
        E2eAssert.Condition(clone.Status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "PvcConflict", clone.Metadata.Generation);
        Assert.Empty(E2eAssert.Runs(cluster, Ns, "web"));

        await cluster.Client.DeleteAsync<V1Alpha1VmClone>("web", Ns);
        await cluster.WaitForAsync(async () => await cluster.VmCloneAsync("web", Ns) is null ? "" : null, _ => true, "VmClone gone", 10);
        var claim = cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "web");
        Assert.NotNull(claim);
        Assert.Null(claim["metadata"]!["deletionTimestamp"]);
        Assert.Equal(before, await SamplesEndToEndTests.HashAsync(cluster.Simulator.DiskPath(Ns, "web")));
    }

    [Fact]
    public async Task Missing_secrets_hold_the_clone_pending_without_a_job_until_they_exist_and_the_password_never_leaks()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        await cluster.ReadyGoldenImageAsync(Ns, "base");
        var password = "pw-" + Guid.NewGuid().ToString("N");
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHMiXkXLpx7KE/wJcyYv0ge1PVjAy1GLHXMnmTkx8u8U ops@example";
        var manifest = E2eObjects.VmClone(Ns, "web", "base");
        var customize = manifest["spec"]!["customize"]!.AsObject();
        customize["rootPassword"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = "web-root", ["key"] = "password" } };
        customize["users"] = new JsonArray(new JsonObject
        {
            ["name"] = "debian",
            ["sshAuthorizedKeysSecretRef"] = new JsonObject { ["name"] = "web-keys", ["key"] = "authorized_keys" },
        });

        await cluster.CreateAsync(manifest);
        var pending = await cluster.WaitForAsync(() => cluster.VmCloneAsync("web", Ns), c => c.Status?.Reason == "SecretNotFound", "SecretNotFound");
        Assert.Equal(VmClonePhase.Pending, pending.Status!.Phase);
        Assert.Contains("web-root", pending.Status.Message, StringComparison.Ordinal);
        Assert.Contains("spec.customize.rootPassword.secretKeyRef", pending.Status.Message, StringComparison.Ordinal);
        E2eAssert.Condition(pending.Status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "SecretNotFound", pending.Metadata.Generation);

        await cluster.CreateAsync(E2eObjects.Secret(Ns, "web-root", "password", password));
        var second = await cluster.WaitForAsync(() => cluster.VmCloneAsync("web", Ns),
            c => c.Status?.Message?.Contains("web-keys", StringComparison.Ordinal) == true, "the keys Secret named next");
        Assert.Equal((VmClonePhase.Pending, "SecretNotFound"), (second.Status!.Phase!.Value, second.Status.Reason));
        Assert.Contains("spec.customize.users[0].sshAuthorizedKeysSecretRef", second.Status.Message, StringComparison.Ordinal);
        Assert.Empty(E2eAssert.Jobs(cluster.Server, Ns, "web"));
        Assert.Empty(E2eAssert.Runs(cluster, Ns, "web"));
        Assert.Null(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "web"));

        await cluster.CreateAsync(E2eObjects.Secret(Ns, "web-keys", "authorized_keys", key + "\n"));
        var clone = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);

        E2eAssert.Condition(clone.Status!.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Ready", clone.Metadata.Generation);
        var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, "web"));
        Assert.Contains(key, await guest.TryReadTextAsync("/home/debian/.ssh/authorized_keys"), StringComparison.Ordinal);
        // The root password reached the guest as a SHA-512 crypt hash; openssl recomputes it from the salt.
        var rootEntry = (await guest.TryReadTextAsync("/etc/shadow"))!.Split('\n').Single(l => l.StartsWith("root:", StringComparison.Ordinal));
        var hash = rootEntry.Split(':')[1];
        Assert.StartsWith("$6$", hash, StringComparison.Ordinal);
        var (_, recomputed) = await GuestDisk.RunAsync("openssl", "passwd", "-6", "-salt", hash.Split('$')[2], password);
        Assert.Equal(hash, recomputed.Trim());

        // Neither the password nor its base64 form is in any object but its Secret, nor in the operator's log.
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(password));
        var written = cluster.Changes.Where(c => (string?)c.Object["kind"] != "Secret").Select(c => c.Object.ToJsonString()).ToList();
        Assert.Contains(written, w => w.Contains("\"Job\"", StringComparison.Ordinal));
        Assert.Contains(written, w => w.Contains("\"ConfigMap\"", StringComparison.Ordinal));
        Assert.DoesNotContain(written, w => w.Contains(password, StringComparison.Ordinal) || w.Contains(base64, StringComparison.Ordinal));
        Assert.DoesNotContain(cluster.Logs.Lines, l => l.Contains(password, StringComparison.Ordinal) || l.Contains(base64, StringComparison.Ordinal));
        Assert.DoesNotContain(cluster.Simulator.Runs.SelectMany(r => r.HostCommand.Concat(r.HostPlanArgs)), a => a.Contains(password, StringComparison.Ordinal));
        Assert.NotEmpty(cluster.Logs.Lines);
    }

    [Fact]
    public async Task Clone_of_a_golden_image_another_namespace_does_not_share_is_held_with_a_clear_condition_and_makes_nothing()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        await cluster.ReadyGoldenImageAsync("images", "base");
        var goldenRuns = cluster.Simulator.Runs.Count;

        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "web", "base", goldenNamespace: "images"));
        var clone = await cluster.WaitForAsync(() => cluster.VmCloneAsync("web", Ns), c => c.Status?.Reason == "GoldenImageNotShared", "GoldenImageNotShared");

        var status = clone.Status!;
        Assert.Equal(VmClonePhase.WaitingForGoldenImage, status.Phase);
        Assert.Contains("images/base", status.Message, StringComparison.Ordinal);
        Assert.Contains("namespace vms", status.Message, StringComparison.Ordinal);
        Assert.Contains("spec.sharing.namespaces", status.Message, StringComparison.Ordinal);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "GoldenImageNotShared", clone.Metadata.Generation);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Progressing, ConditionStatus.True, "GoldenImageNotShared", clone.Metadata.Generation);
        Assert.Null(status.Pvc);
        Assert.Null(status.CloneStrategy);

        // Several polls later (the phase requeues itself) it still holds, and nothing was made in either namespace.
        var polled = cluster.VmCloneReconciles;
        await Eventually.TrueAsync(() => cluster.VmCloneReconciles >= polled + 3, "three more passes of the waiting clone", 30);
        Assert.Equal("GoldenImageNotShared", (await cluster.VmCloneAsync("web", Ns))!.Status!.Reason);
        Assert.Equal(goldenRuns, cluster.Simulator.Runs.Count);
        Assert.Empty(E2eAssert.Jobs(cluster.Server, Ns, "web"));
        Assert.Empty(E2eAssert.Jobs(cluster.Server, "images", "web"));
        Assert.Empty(cluster.Server.List("v1", "persistentvolumeclaims", Ns));
        Assert.Empty(cluster.Server.List("v1", "configmaps", Ns));

        // A clone the image was never shared with cannot hold it: deleting the GoldenImage is not deferred for it.
        await cluster.Client.DeleteAsync<V1Alpha1GoldenImage>("base", "images");
        await cluster.WaitForAsync(async () => await cluster.GoldenImageAsync("base", "images") is null ? "" : null, _ => true, "GoldenImage images/base gone", 10);
        Assert.DoesNotContain(E2eAssert.Events(cluster, "images", "base", "Warning"), e => (string?)e["reason"] == "DeletionDeferred");
        await cluster.WaitForAsync(() => cluster.VmCloneAsync("web", Ns), c => c.Status?.Reason == "GoldenImageNotFound", "GoldenImageNotFound after the delete", 10);
    }
}
