using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Tests.EndToEnd.Support;
using Imprint.Testing.NodeSimulator;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// Which way a clone's disk is made, with the simulator's CSI driver deciding what it can do: a provisioner that
/// refuses CSI clones (Auto falls back to a copy after the 4 s timeout, an explicit CsiClone fails), a golden image
/// with a VolumeSnapshot restored into another StorageClass, and a Block target copied from a Filesystem golden.
/// </summary>
public sealed class CloneStrategyTests
{
    private const string Ns = "vms";

    [Fact]
    public async Task Csi_clone_the_provisioner_rejects_falls_back_to_a_copy_under_Auto_and_fails_when_asked_for_explicitly()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.CreateStorageClass("no-clone", rejectClones: true);
        await cluster.ReadyGoldenImageAsync(Ns, "base", g => g["spec"]!["storage"] = new JsonObject { ["storageClassName"] = "no-clone" });
        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "auto", "base"));
        var strict = E2eObjects.VmClone(Ns, "strict", "base");
        strict["spec"]!["strategy"] = "CsiClone";
        await cluster.CreateAsync(strict);

        var clone = await cluster.WaitForVmCloneAsync("auto", Ns, VmClonePhase.Ready);
        var failed = await cluster.WaitForVmCloneAsync("strict", Ns, VmClonePhase.Failed);

        // Auto: the provisioner's own words reach status and an Event; the disk is then copied by the agent.
        var status = clone.Status!;
        Assert.Equal(CloneStrategy.Copy, status.CloneStrategy);
        Assert.Contains("CsiClone did not provision", status.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("ProvisioningFailed", status.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("does not support cloning", status.FallbackReason, StringComparison.Ordinal);
        var fallback = Assert.Single(E2eAssert.Events(cluster, Ns, "auto", "Warning"));
        Assert.Equal("FallbackToCopy", (string?)fallback["reason"]);
        Assert.Contains("does not support cloning", E2eAssert.Note(fallback), StringComparison.Ordinal);
        Assert.Equal(0, status.RetryCount ?? 0);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Ready", clone.Metadata.Generation);
        Assert.Equal(["auto-plan-a0"], E2eAssert.Runs(cluster, Ns, "auto").Select(r => r.Job));
        var claims = cluster.History("PersistentVolumeClaim", Ns, "auto").Where(c => c.Type == "ADDED").Select(c => c.Object).ToList();
        Assert.Equal(2, claims.Count);
        Assert.Equal("PersistentVolumeClaim", (string?)claims[0]["spec"]!["dataSource"]!["kind"]);
        Assert.Null(claims[1]["spec"]!["dataSource"]);
        Assert.Equal("no-clone", (string?)claims[1]["spec"]!["storageClassName"]);
        var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, "auto"));
        Assert.Equal("auto\n", await guest.TryReadTextAsync("/etc/hostname"));
        Assert.Matches("^[0-9a-f]{32}$", (await guest.TryReadTextAsync("/etc/machine-id"))!.Trim());
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);

        // Explicit CsiClone: no copy behind the user's back; Failed with the same message, and no Job ran.
        Assert.Equal("CloneProvisioningFailed", failed.Status!.Reason);
        Assert.Contains("does not support cloning", failed.Status.Message, StringComparison.Ordinal);
        Assert.Equal(CloneStrategy.CsiClone, failed.Status.CloneStrategy);
        E2eAssert.Condition(failed.Status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "CloneProvisioningFailed", failed.Metadata.Generation);
        Assert.Empty(E2eAssert.Runs(cluster, Ns, "strict"));
        Assert.Equal("CloneProvisioningFailed", (string?)Assert.Single(E2eAssert.Events(cluster, Ns, "strict", "Warning"))["reason"]);
    }

    [Fact]
    public async Task Csi_clone_rejected_on_a_wait_for_first_consumer_class_falls_back_to_a_copy_that_binds_where_its_job_runs()
    {
        // kind's default class is like this: local-path volumes bind when a pod uses them and cannot be CSI-cloned.
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.CreateStorageClass("standard", VolumeBindingMode.WaitForFirstConsumer, rejectClones: true);
        await cluster.ReadyGoldenImageAsync(Ns, "base", g => g["spec"]!["storage"] = new JsonObject { ["storageClassName"] = "standard" });

        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "web", "base"));
        var clone = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);

        var status = clone.Status!;
        Assert.Equal(CloneStrategy.Copy, status.CloneStrategy);
        Assert.Contains("does not support cloning", status.FallbackReason, StringComparison.Ordinal);
        Assert.Equal("FallbackToCopy", (string?)Assert.Single(E2eAssert.Events(cluster, Ns, "web", "Warning"))["reason"]);
        // The first customize Job waited on the unbound clone claim and went with it; the copy's Job bound the new claim.
        var jobs = E2eAssert.Runs(cluster, Ns, "web").Select(r => r.Job).ToList();
        Assert.Equal(["web-plan-a0"], jobs);
        var claim = cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "web")!;
        Assert.Equal("sim-node", (string?)claim["metadata"]!["annotations"]!["volume.kubernetes.io/selected-node"]);
        Assert.Equal("Bound", (string?)claim["status"]!["phase"]);
        Assert.Equal(2, E2eAssert.ClaimIncarnations(cluster, Ns, "web").Count);
        var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, "web"));
        Assert.Equal("web\n", await guest.TryReadTextAsync("/etc/hostname"));
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);
    }

    [Fact]
    public async Task Clone_smaller_than_a_shrunk_goldens_claim_is_copied_at_once_under_Auto_and_refused_up_front_as_an_explicit_csi_clone()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.CreateStorageClass("fast");
        cluster.Simulator.CreateVolumeSnapshotClass("csi-snapclass");
        var golden = await cluster.ReadyGoldenImageAsync(Ns, "base", g =>
        {
            g["spec"]!["storage"] = new JsonObject { ["storageClassName"] = "fast" };
            g["spec"]!["seal"] = new JsonObject { ["shrink"] = true };
            g["spec"]!["snapshot"] = new JsonObject { ["volumeSnapshotClassName"] = "csi-snapclass" };
        });
        // The claim keeps the imported size; the disk in it shrank, so a clone may ask for less than the claim holds.
        var goldenClaim = cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "base-golden")!;
        Assert.True(DiskSizing.TryBytes((string?)goldenClaim["spec"]!["resources"]!["requests"]!["storage"], out var claimBytes));
        var size = golden.Status!.MinimumSize!.Value + (1024 * 1024);
        Assert.True(size < claimBytes, $"target {size} is not below the golden claim's {claimBytes}");
        var auto = E2eObjects.VmClone(Ns, "small", "base");
        auto["spec"]!["target"] = new JsonObject { ["size"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var strict = E2eObjects.VmClone(Ns, "strict", "base");
        strict["spec"]!["strategy"] = "CsiClone";
        strict["spec"]!["target"] = new JsonObject { ["size"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        await cluster.CreateAsync(auto);
        await cluster.CreateAsync(strict);
        var clone = await cluster.WaitForVmCloneAsync("small", Ns, VmClonePhase.Ready);
        var failed = await cluster.WaitForVmCloneAsync("strict", Ns, VmClonePhase.Failed);

        // Auto: Copy chosen before any claim, with the reason in status and a Normal Event; no CSI claim, no timeout, no fallback.
        var status = clone.Status!;
        Assert.Equal(CloneStrategy.Copy, status.CloneStrategy);
        Assert.Contains("smaller than the golden's claim", status.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("CSI clones cannot shrink", status.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("smaller than the snapshot's restoreSize", status.FallbackReason, StringComparison.Ordinal);
        Assert.Empty(E2eAssert.Events(cluster, Ns, "small", "Warning"));
        var chosen = Assert.Single(E2eAssert.Events(cluster, Ns, "small", "Normal"), e => (string?)e["reason"] == "StrategyChosen");
        Assert.Contains("CSI clones cannot shrink", E2eAssert.Note(chosen), StringComparison.Ordinal);
        var claims = cluster.History("PersistentVolumeClaim", Ns, "small").Where(c => c.Type == "ADDED").Select(c => c.Object).ToList();
        var claim = Assert.Single(claims);
        Assert.Null(claim["spec"]!["dataSource"]);
        Assert.Equal("fast", (string?)claim["spec"]!["storageClassName"]);
        Assert.Equal(["small-plan-a0"], E2eAssert.Runs(cluster, Ns, "small").Select(r => r.Job));
        var disk = cluster.Simulator.DiskPath(Ns, "small");
        Assert.Equal(size, new FileInfo(disk).Length);
        var guest = await GuestDisk.RootAsync(disk);
        Assert.Equal("small\n", await guest.TryReadTextAsync("/etc/hostname"));
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);

        // Explicit CsiClone: refused before any claim or Job, naming why.
        Assert.Equal("StrategyImpossible", failed.Status!.Reason);
        Assert.Contains("CsiClone is impossible", failed.Status.Message, StringComparison.Ordinal);
        Assert.Contains("CSI clones cannot shrink", failed.Status.Message, StringComparison.Ordinal);
        E2eAssert.Condition(failed.Status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "StrategyImpossible", failed.Metadata.Generation);
        Assert.Empty(cluster.History("PersistentVolumeClaim", Ns, "strict"));
        Assert.Empty(E2eAssert.Runs(cluster, Ns, "strict"));
    }

    [Fact]
    public async Task Golden_image_snapshot_is_restored_for_a_clone_into_another_storage_class()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.CreateStorageClass("fast");
        cluster.Simulator.CreateStorageClass("slow");
        cluster.Simulator.CreateVolumeSnapshotClass("csi-snapclass");
        var golden = await cluster.ReadyGoldenImageAsync(Ns, "base", g =>
        {
            g["spec"]!["storage"] = new JsonObject { ["storageClassName"] = "fast" };
            g["spec"]!["snapshot"] = new JsonObject { ["volumeSnapshotClassName"] = "csi-snapclass" };
        });

        Assert.Equal("base-golden", golden.Status!.Snapshot!.Name);
        var snapshot = cluster.Server.Get("snapshot.storage.k8s.io/v1", "volumesnapshots", Ns, "base-golden")!;
        Assert.Equal("base-golden", (string?)snapshot["spec"]!["source"]!["persistentVolumeClaimName"]);
        Assert.Equal("csi-snapclass", (string?)snapshot["spec"]!["volumeSnapshotClassName"]);
        Assert.True((bool?)snapshot["status"]!["readyToUse"]);
        Assert.Contains("Snapshotting", E2eAssert.Phases(cluster, "GoldenImage", Ns, "base"));
        var manifest = E2eObjects.VmClone(Ns, "web", "base");
        manifest["spec"]!["target"] = new JsonObject { ["storageClassName"] = "slow" };

        await cluster.CreateAsync(manifest);
        var clone = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);

        var status = clone.Status!;
        Assert.Equal(CloneStrategy.Snapshot, status.CloneStrategy);
        Assert.Contains("'slow' differs from the golden's 'fast'", status.FallbackReason, StringComparison.Ordinal);
        Assert.Empty(E2eAssert.Events(cluster, Ns, "web", "Warning"));
        var pvc = cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "web")!;
        Assert.Equal("slow", (string?)pvc["spec"]!["storageClassName"]);
        Assert.Equal(("snapshot.storage.k8s.io", "VolumeSnapshot", "base-golden"),
            ((string?)pvc["spec"]!["dataSource"]!["apiGroup"], (string?)pvc["spec"]!["dataSource"]!["kind"], (string?)pvc["spec"]!["dataSource"]!["name"]));
        Assert.Equal(["web-verify-a0", "web-plan-a0"], E2eAssert.Runs(cluster, Ns, "web").Select(r => r.Job));
        var disk = cluster.Simulator.DiskPath(Ns, "web");
        Assert.Equal(golden.Status.VirtualSize, new FileInfo(disk).Length);
        var guest = await GuestDisk.RootAsync(disk);
        Assert.Equal("web\n", await guest.TryReadTextAsync("/etc/hostname"));
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);
    }

    [Fact]
    public async Task Block_target_is_copied_from_a_filesystem_golden_and_grown_to_the_device()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        // The golden has a snapshot too: a Filesystem snapshot cannot be restored as a Block volume, so Auto must copy.
        var golden = await cluster.ReadyGoldenImageAsync(Ns, "base", g => g["spec"]!["snapshot"] = new JsonObject { ["volumeSnapshotClassName"] = "csi-snapclass" });
        var manifest = E2eObjects.VmClone(Ns, "web", "base");
        manifest["spec"]!["target"] = new JsonObject { ["volumeMode"] = "Block", ["size"] = "128Mi" };

        await cluster.CreateAsync(manifest);
        var clone = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);

        var status = clone.Status!;
        Assert.Equal(CloneStrategy.Copy, status.CloneStrategy);
        Assert.Contains("volume mode Block differs from the golden's Filesystem", status.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("volume mode Block differs from the snapshot's Filesystem", status.FallbackReason, StringComparison.Ordinal);
        Assert.Empty(E2eAssert.Events(cluster, Ns, "web", "Warning"));
        Assert.All(cluster.History("PersistentVolumeClaim", Ns, "web"), c => Assert.Null(c.Object["spec"]!["dataSource"]));
        var pvc = cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "web")!;
        Assert.Equal("Block", (string?)pvc["spec"]!["volumeMode"]);
        var runs = E2eAssert.Runs(cluster, Ns, "web");
        Assert.Equal(["web-plan-a0"], runs.Select(r => r.Job));
        var plan = E2eAssert.Plan(cluster, Ns, "web", 0);
        Assert.Equal(["copy", "customize", "resize"], plan.Select(s => s.Name));
        Assert.Contains("/dev/disks/target", plan[0].Args);
        Assert.DoesNotContain("--size", plan[2].Args);

        var disk = cluster.Simulator.DiskPath(Ns, "web");
        Assert.EndsWith(".block", disk, StringComparison.Ordinal);
        Assert.Equal(128L << 20, new FileInfo(disk).Length);
        // The agent met a real device where loop devices work (the simulator says which), and grew into all of it:
        // the root partition ends at the backup GPT of the 128 MiB device and the filesystem fills the partition.
        Assert.All(runs, r => Assert.Contains(r.HostCommand.Concat(r.HostPlanArgs), a => a.StartsWith(cluster.Simulator.BlockDevicesAreLoops ? "/dev/loop" : "/", StringComparison.Ordinal)));
        var (end, partitionBytes, filesystemBytes) = await GuestDisk.RootExtentAsync(disk);
        Assert.InRange(end, (128L << 20) - (1L << 20), (128L << 20) - (33 * 512));
        Assert.InRange(filesystemBytes, partitionBytes - (1L << 20), partitionBytes);
        Assert.True(partitionBytes > golden.Status!.VirtualSize, $"root partition is {partitionBytes} bytes, the whole golden disk {golden.Status.VirtualSize}");
        var (gpt, gptOutput) = await GuestDisk.RunAsync("sgdisk", "-v", disk);
        Assert.True(gpt == 0 && gptOutput.Contains("No problems found", StringComparison.Ordinal), gptOutput);
        var guest = await GuestDisk.RootAsync(disk);
        Assert.Equal("web\n", await guest.TryReadTextAsync("/etc/hostname"));
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);
        Assert.True(golden.Status!.VirtualSize < 128L << 20);
    }
}
