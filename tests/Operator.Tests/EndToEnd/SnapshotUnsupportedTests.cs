using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Tests.EndToEnd.Support;
using Imprint.Testing.NodeSimulator;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// A GoldenImage with spec.snapshot on storage that can never snapshot (a provisioner known not to, or no
/// VolumeSnapshotClass for the class's driver) does not wait forever for readyToUse: it is Ready without a snapshot,
/// Degraded=True with reason SnapshotUnsupported and a Warning Event say why, and clones copy.
/// </summary>
public sealed class SnapshotUnsupportedTests
{
    private const string Ns = "vms";
    private const string Local = "local-storage";

    [Fact]
    public async Task Golden_on_a_no_provisioner_class_is_ready_without_a_snapshot_and_degraded_and_its_clone_copies()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.CreateStorageClass(Local, VolumeBindingMode.WaitForFirstConsumer, provisioner: NodeSimulator.NoProvisioner);
        for (var i = 0; i < 2; i++)
        {
            cluster.Simulator.CreateStaticVolume($"local-pv-{i}", Local, 1L << 30);
        }

        cluster.Simulator.CreateVolumeSnapshotClass("csi-snapclass");

        var golden = await cluster.ReadyGoldenImageAsync(Ns, "base", g =>
        {
            g["spec"]!["storage"] = new JsonObject { ["storageClassName"] = Local };
            g["spec"]!["snapshot"] = new JsonObject { ["volumeSnapshotClassName"] = "csi-snapclass" };
        });
        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "web", "base"));
        var clone = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);

        var status = golden.Status!;
        Assert.Null(status.Snapshot);
        var degraded = E2eAssert.Condition(status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, "SnapshotUnsupported", golden.Metadata.Generation);
        Assert.Contains($"StorageClass '{Local}' (kubernetes.io/no-provisioner)", degraded.Message, StringComparison.Ordinal);
        E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Ready", golden.Metadata.Generation);
        var warning = Assert.Single(E2eAssert.Events(cluster, Ns, "base", "Warning"));
        Assert.Equal("SnapshotUnsupported", (string?)warning["reason"]);
        Assert.Contains("kubernetes.io/no-provisioner", E2eAssert.Note(warning), StringComparison.Ordinal);
        Assert.Empty(cluster.History("VolumeSnapshot", Ns, "base-golden"));

        Assert.Equal(CloneStrategy.Copy, clone.Status!.CloneStrategy);
        Assert.Equal(["web-plan-a0"], E2eAssert.Runs(cluster, Ns, "web").Select(r => r.Job));
        var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, "web"));
        Assert.Equal("web\n", await guest.TryReadTextAsync("/etc/hostname"));
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);
    }

    [Fact]
    public async Task Golden_whose_snapshot_class_is_for_another_driver_or_missing_is_ready_and_degraded_naming_both()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.CreateStorageClass("fast");
        cluster.Simulator.CreateVolumeSnapshotClass("elsewhere", driver: "other.csi.example");

        var other = await cluster.ReadyGoldenImageAsync(Ns, "other", g =>
        {
            g["spec"]!["storage"] = new JsonObject { ["storageClassName"] = "fast" };
            g["spec"]!["snapshot"] = new JsonObject { ["volumeSnapshotClassName"] = "elsewhere" };
        });
        var missing = await cluster.ReadyGoldenImageAsync(Ns, "missing", g =>
        {
            g["spec"]!["storage"] = new JsonObject { ["storageClassName"] = "fast" };
            g["spec"]!["snapshot"] = new JsonObject { ["volumeSnapshotClassName"] = "nowhere" };
        });

        var wrongDriver = E2eAssert.Condition(other.Status!.Conditions, ConditionTypes.Degraded, ConditionStatus.True, "SnapshotUnsupported", other.Metadata.Generation);
        Assert.Contains("'elsewhere' is for driver other.csi.example, but StorageClass 'fast' uses csi.simulator.imprint.dev", wrongDriver.Message, StringComparison.Ordinal);
        var absent = E2eAssert.Condition(missing.Status!.Conditions, ConditionTypes.Degraded, ConditionStatus.True, "SnapshotUnsupported", missing.Metadata.Generation);
        Assert.Contains("VolumeSnapshotClass 'nowhere' does not exist", absent.Message, StringComparison.Ordinal);
        Assert.Null(other.Status.Snapshot);
        Assert.Null(missing.Status.Snapshot);
        Assert.Equal("SnapshotUnsupported", (string?)Assert.Single(E2eAssert.Events(cluster, Ns, "other", "Warning"))["reason"]);
    }
}
