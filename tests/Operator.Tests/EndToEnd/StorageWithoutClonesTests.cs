using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Tests.EndToEnd.Support;
using Imprint.Testing.NodeSimulator;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// Storage that cannot clone: a <c>kubernetes.io/no-provisioner</c> class with static volumes, where Kubernetes binds a
/// claim to any available volume and ignores its dataSource (the simulator does the same), so a "CSI clone" is an
/// empty disk. The operator knows the provisioner and copies; told otherwise, it still checks the bound claim against
/// the golden's fingerprint before customizing, and falls back (Auto) or fails with the reason (explicit CsiClone).
/// </summary>
public sealed class StorageWithoutClonesTests
{
    private const string Ns = "vms";
    private const string Local = "local-storage";

    [Fact]
    public async Task No_provisioner_class_is_cloned_by_copy_under_Auto_and_an_explicit_csi_clone_is_refused_with_the_reason()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        CreateLocalStorage(cluster, volumes: 2);
        await cluster.ReadyGoldenImageAsync(Ns, "base", g => g["spec"]!["storage"] = new JsonObject { ["storageClassName"] = Local });
        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "auto", "base"));
        var strict = E2eObjects.VmClone(Ns, "strict", "base");
        strict["spec"]!["strategy"] = "CsiClone";
        await cluster.CreateAsync(strict);

        var clone = await cluster.WaitForVmCloneAsync("auto", Ns, VmClonePhase.Ready);
        var failed = await cluster.WaitForVmCloneAsync("strict", Ns, VmClonePhase.Failed);

        // Auto: no CSI clone was tried; the reason names the provisioner and why, in status and a Normal Event.
        var status = clone.Status!;
        Assert.Equal(CloneStrategy.Copy, status.CloneStrategy);
        Assert.Contains($"StorageClass '{Local}' (kubernetes.io/no-provisioner)", status.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("ignores its dataSource", status.FallbackReason, StringComparison.Ordinal);
        var chosen = Assert.Single(E2eAssert.Events(cluster, Ns, "auto", "Normal"), e => (string?)e["reason"] == "StrategyChosen");
        Assert.Contains("kubernetes.io/no-provisioner", E2eAssert.Note(chosen), StringComparison.Ordinal);
        Assert.Empty(E2eAssert.Events(cluster, Ns, "auto", "Warning"));
        Assert.Equal(["auto-plan-a0"], E2eAssert.Runs(cluster, Ns, "auto").Select(r => r.Job));
        Assert.All(cluster.History("PersistentVolumeClaim", Ns, "auto"), c => Assert.Null(c.Object["spec"]!["dataSource"]));
        Assert.Contains(cluster.Simulator.StaticVolumes, v => v.Claim == $"{Ns}/auto");
        var claim = cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "auto")!;
        var volume = cluster.Server.Get("v1", "persistentvolumes", null, (string)claim["spec"]!["volumeName"]!)!;
        Assert.Equal((string?)claim["metadata"]!["uid"], (string?)volume["spec"]!["claimRef"]!["uid"]);
        Assert.Equal(("Retain", Local, "Bound"), ((string?)volume["spec"]!["persistentVolumeReclaimPolicy"], (string?)volume["spec"]!["storageClassName"], (string?)volume["status"]!["phase"]));
        Assert.StartsWith((string)volume["spec"]!["local"]!["path"]!, cluster.Simulator.DiskPath(Ns, "auto"), StringComparison.Ordinal);
        var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, "auto"));
        Assert.Equal("auto\n", await guest.TryReadTextAsync("/etc/hostname"));
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);

        // Explicit CsiClone: refused before any claim or Job, with the same reason.
        Assert.Equal("StrategyImpossible", failed.Status!.Reason);
        Assert.Contains("CsiClone is impossible", failed.Status.Message, StringComparison.Ordinal);
        Assert.Contains("kubernetes.io/no-provisioner", failed.Status.Message, StringComparison.Ordinal);
        Assert.Empty(cluster.History("PersistentVolumeClaim", Ns, "strict"));
        Assert.Empty(E2eAssert.Runs(cluster, Ns, "strict"));
    }

    [Fact]
    public async Task Csi_clone_bound_to_an_empty_static_volume_is_caught_before_customizing_and_copied_or_failed_with_the_reason()
    {
        // The cluster: the operator is told (wrongly) that the class clones, so Auto takes a CSI clone and the
        // claim binds to an empty static volume. Before the fix, customize failed three times on a missing disk.img.
        await using var cluster = await ImprintCluster.StartAsync(o =>
            o.Storage.Capabilities[Local] = new StorageClassCapabilityOption { Clone = true });
        CreateLocalStorage(cluster, volumes: 4);
        var golden = await cluster.ReadyGoldenImageAsync(Ns, "base", g => g["spec"]!["storage"] = new JsonObject { ["storageClassName"] = Local });
        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "auto", "base"));
        var strict = E2eObjects.VmClone(Ns, "strict", "base");
        strict["spec"]!["strategy"] = "CsiClone";
        await cluster.CreateAsync(strict);

        var clone = await cluster.WaitForVmCloneAsync("auto", Ns, VmClonePhase.Ready);
        var failed = await cluster.WaitForVmCloneAsync("strict", Ns, VmClonePhase.Failed);

        // Auto: the read-only check found no disk on the bound claim; the claim was made again for a copy.
        var status = clone.Status!;
        Assert.NotNull(golden.Status!.Fingerprint);
        Assert.Equal(CloneStrategy.Copy, status.CloneStrategy);
        Assert.Contains("CsiClone bound PVC auto", status.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("kubernetes.io/no-provisioner", status.FallbackReason, StringComparison.Ordinal);
        Assert.Contains("the claim holds no disk", status.FallbackReason, StringComparison.Ordinal);
        var fallback = Assert.Single(E2eAssert.Events(cluster, Ns, "auto", "Warning"));
        Assert.Equal("FallbackToCopy", (string?)fallback["reason"]);
        Assert.Contains("without the golden disk", E2eAssert.Note(fallback), StringComparison.Ordinal);
        var runs = E2eAssert.Runs(cluster, Ns, "auto");
        Assert.Equal(["auto-verify-a0", "auto-plan-a0"], runs.Select(r => r.Job));
        Assert.Equal(3, runs[0].ExitCode);
        var claims = cluster.History("PersistentVolumeClaim", Ns, "auto").Where(c => c.Type == "ADDED").Select(c => c.Object).ToList();
        Assert.Equal(2, claims.Count);
        Assert.Equal("base-golden", (string?)claims[0]["spec"]!["dataSource"]!["name"]);
        Assert.Null(claims[1]["spec"]!["dataSource"]);
        Assert.Contains(cluster.Simulator.StaticVolumes, v => v.Released);
        Assert.Contains(cluster.Server.List("v1", "persistentvolumes"), v => (string?)v["status"]?["phase"] == "Released"
            && (string?)v["spec"]!["claimRef"]!["uid"] == (string?)claims[0]["metadata"]!["uid"]);
        var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, "auto"));
        Assert.Equal("auto\n", await guest.TryReadTextAsync("/etc/hostname"));
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);

        // Explicit CsiClone: Failed with the reason, the empty claim left for inspection, nothing written to it.
        Assert.Equal("CloneNotPopulated", failed.Status!.Reason);
        Assert.Contains("the claim holds no disk", failed.Status.Message, StringComparison.Ordinal);
        E2eAssert.Condition(failed.Status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "CloneNotPopulated", failed.Metadata.Generation);
        Assert.Equal(["strict-verify-a0"], E2eAssert.Runs(cluster, Ns, "strict").Select(r => r.Job));
        Assert.False(File.Exists(cluster.Simulator.DiskPath(Ns, "strict")));
    }

    [Fact]
    public async Task Csi_clone_a_driver_leaves_empty_is_caught_and_the_class_is_then_copied_without_trying_again()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.CreateStorageClass("blind", ignoreDataSource: true);
        await cluster.ReadyGoldenImageAsync(Ns, "base", g => g["spec"]!["storage"] = new JsonObject { ["storageClassName"] = "blind", ["volumeMode"] = "Block" });

        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "first", "base"));
        var first = await cluster.WaitForVmCloneAsync("first", Ns, VmClonePhase.Ready);
        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "second", "base"));
        var second = await cluster.WaitForVmCloneAsync("second", Ns, VmClonePhase.Ready);

        // A Block claim the driver left zeroed exists and is large enough: only the fingerprint tells it apart.
        Assert.Equal(["first-verify-a0", "first-plan-a0"], E2eAssert.Runs(cluster, Ns, "first").Select(r => r.Job));
        Assert.Contains("first MiB differs", first.Status!.FallbackReason, StringComparison.Ordinal);
        Assert.Equal("FallbackToCopy", (string?)Assert.Single(E2eAssert.Events(cluster, Ns, "first", "Warning"))["reason"]);
        // What was seen is remembered for the class: the second clone copies at once and says why.
        Assert.Equal(CloneStrategy.Copy, second.Status!.CloneStrategy);
        Assert.Contains("StorageClass 'blind' gave a claim without the golden disk before", second.Status.FallbackReason, StringComparison.Ordinal);
        Assert.Empty(E2eAssert.Events(cluster, Ns, "second", "Warning"));
        Assert.Equal(["second-plan-a0"], E2eAssert.Runs(cluster, Ns, "second").Select(r => r.Job));
        foreach (var name in new[] { "first", "second" })
        {
            var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, name));
            Assert.Equal($"{name}\n", await guest.TryReadTextAsync("/etc/hostname"));
            var check = await guest.CheckAsync();
            Assert.True(check.IsClean, check.Output);
        }
    }

    private static void CreateLocalStorage(ImprintCluster cluster, int volumes)
    {
        cluster.Simulator.CreateStorageClass(Local, VolumeBindingMode.WaitForFirstConsumer, provisioner: NodeSimulator.NoProvisioner);
        for (var i = 0; i < volumes; i++)
        {
            cluster.Simulator.CreateStaticVolume($"local-pv-{i}", Local, 1L << 30);
        }
    }
}
