using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator.Tests;

public sealed class NodeSimulatorVolumeTests
{
    private const string Ns = Cluster.Ns;

    [Fact]
    public async Task Block_claim_binds_to_a_sparse_file_of_the_requested_size()
    {
        await using var cluster = await Cluster.StartAsync();

        var created = await cluster.CreateClaimAsync(AgentJob.Claim("raw", "48Mi", VolumeMode.Block));
        var bound = await cluster.WaitAsync(() => cluster.Claim("raw"), c => (string?)c["status"]?["phase"] == "Bound", "bound claim");

        var path = cluster.Simulator.DiskPath(Ns, "raw");
        Assert.Equal(Path.Combine(cluster.Root, "volumes", Ns, "raw.block"), path);
        Assert.Equal(48L << 20, new FileInfo(path).Length);
        Assert.True(AllocatedBytes(path) < 1 << 20, "the block file should be sparse");
        Assert.Equal("48Mi", (string?)bound["status"]!["capacity"]!["storage"]);
        Assert.Equal($"pvc-{created["metadata"]!["uid"]}", (string?)bound["spec"]!["volumeName"]);
        Assert.Single(cluster.EventsFor("raw", "ProvisioningSucceeded"));
    }

    [Fact]
    public async Task Csi_clone_copies_the_source_disk_sparsely_and_grows_a_block_clone()
    {
        await using var cluster = await Cluster.StartAsync();
        var disk = await SampleDisk.PathAsync();
        cluster.Simulator.SeedPvc(Ns, "golden-fs", disk);
        cluster.Simulator.SeedPvc(Ns, "golden-block", disk, VolumeMode.Block);
        var fromFs = new JsonObject { ["kind"] = "PersistentVolumeClaim", ["name"] = "golden-fs" };
        var fromBlock = new JsonObject { ["kind"] = "PersistentVolumeClaim", ["name"] = "golden-block" };

        await cluster.CreateClaimAsync(AgentJob.Claim("clone-fs", "64Mi", dataSource: fromFs));
        await cluster.CreateClaimAsync(AgentJob.Claim("clone-block", "96Mi", VolumeMode.Block, dataSource: fromBlock));
        await cluster.WaitAsync(() => cluster.Claim("clone-fs"), c => (string?)c["status"]?["phase"] == "Bound", "bound fs clone");
        await cluster.WaitAsync(() => cluster.Claim("clone-block"), c => (string?)c["status"]?["phase"] == "Bound", "bound block clone");

        var original = await File.ReadAllBytesAsync(disk);
        var fsCopy = await File.ReadAllBytesAsync(cluster.Simulator.DiskPath(Ns, "clone-fs"));
        var blockCopy = await File.ReadAllBytesAsync(cluster.Simulator.DiskPath(Ns, "clone-block"));
        Assert.Equal(SHA256.HashData(original), SHA256.HashData(fsCopy));
        Assert.Equal(96L << 20, blockCopy.Length);
        Assert.Equal(SHA256.HashData(original), SHA256.HashData(blockCopy.AsSpan(0, original.Length)));
        Assert.True(blockCopy.AsSpan(original.Length).IndexOfAnyExcept((byte)0) < 0, "the grown tail should read as zeros");
        Assert.True(AllocatedBytes(cluster.Simulator.DiskPath(Ns, "clone-fs")) <= AllocatedBytes(disk) + (1 << 20), "clone should keep holes");
    }

    [Fact]
    public async Task Block_volume_keeps_its_device_size_when_the_agent_replaces_the_file_standing_in_for_it()
    {
        await using var cluster = await Cluster.StartAsync();
        var disk = await SampleDisk.PathAsync();
        cluster.Simulator.SeedPvc(Ns, "golden-fs", disk);
        await cluster.CreateClaimAsync(AgentJob.Claim("device", "96Mi", VolumeMode.Block));
        await cluster.WaitAsync(() => cluster.Claim("device"), c => (string?)c["status"]?["phase"] == "Bound", "bound block claim");

        // --overwrite writes a sibling and renames it over the target: on a regular file that drops the device's size.
        await cluster.CreateJobAsync(AgentJob.Build("copy", AgentJob.Args("clone", "/disks/source/disk.img", "/dev/disks/target", "--overwrite"),
            [("source", "golden-fs", VolumeMode.Filesystem), ("target", "device", VolumeMode.Block)]));
        await cluster.WaitForJobAsync("copy", "Complete");

        // The clone fills the larger device (partition and filesystem grown, backup GPT at the device's end), so the
        // oracle is the device's size and sgdisk's verdict on the whole 96 MiB, not a byte copy of the 64 MiB golden.
        var device = cluster.Simulator.DiskPath(Ns, "device");
        Assert.Equal(96L << 20, new FileInfo(device).Length);
        var verify = new ProcessStartInfo("sgdisk", ["-v", device]) { RedirectStandardOutput = true };
        using var sgdisk = Process.Start(verify)!;
        var verdict = await sgdisk.StandardOutput.ReadToEndAsync();
        await sgdisk.WaitForExitAsync();
        Assert.Contains("No problems found", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clone_into_a_rejecting_class_stays_pending_with_a_provisioning_failed_event()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Simulator.CreateStorageClass("no-clones", rejectClones: true);
        cluster.Simulator.SeedPvc(Ns, "golden", await SampleDisk.PathAsync(), storageClass: "no-clones");

        await cluster.CreateClaimAsync(AgentJob.Claim("clone", "64Mi", storageClass: "no-clones",
            dataSource: new JsonObject { ["kind"] = "PersistentVolumeClaim", ["name"] = "golden" }));
        var failed = await cluster.WaitAsync(() => cluster.EventsFor("clone", "ProvisioningFailed").FirstOrDefault(), _ => true, "ProvisioningFailed");

        var claim = cluster.Claim("clone")!;
        Assert.Equal("Pending", (string?)claim["status"]!["phase"]);
        Assert.Null(claim["spec"]!["volumeName"]);
        Assert.Equal("Warning", (string?)failed["type"]);
        Assert.StartsWith("failed to provision volume with StorageClass \"no-clones\": error getting handle for DataSource Type PersistentVolumeClaim by Name golden:",
            (string?)failed["message"]);
        Assert.False(Directory.Exists(Path.Combine(cluster.Root, "volumes", Ns, "clone")));
    }

    [Fact]
    public async Task Clone_across_csi_drivers_and_clone_of_an_unbound_source_stay_pending()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Simulator.CreateStorageClass("other", provisioner: "other.csi.example.com");
        cluster.Simulator.SeedPvc(Ns, "golden", await SampleDisk.PathAsync());
        cluster.Simulator.CreateStorageClass("late", VolumeBindingMode.WaitForFirstConsumer);
        await cluster.CreateClaimAsync(AgentJob.Claim("unbound", "64Mi", storageClass: "late"));

        await cluster.CreateClaimAsync(AgentJob.Claim("cross", "64Mi", storageClass: "other",
            dataSource: new JsonObject { ["kind"] = "PersistentVolumeClaim", ["name"] = "golden" }));
        await cluster.CreateClaimAsync(AgentJob.Claim("of-unbound", "64Mi",
            dataSource: new JsonObject { ["kind"] = "PersistentVolumeClaim", ["name"] = "unbound" }));
        var cross = await cluster.WaitAsync(() => cluster.EventsFor("cross", "ProvisioningFailed").FirstOrDefault(), _ => true, "cross-driver failure");
        var ofUnbound = await cluster.WaitAsync(() => cluster.EventsFor("of-unbound", "ProvisioningFailed").FirstOrDefault(), _ => true, "unbound-source failure");

        Assert.Contains("same CSI driver", (string?)cross["message"]);
        Assert.Contains("must have a status of Bound", (string?)ofUnbound["message"]);
        Assert.Equal("Pending", (string?)cluster.Claim("cross")!["status"]!["phase"]);
        Assert.Equal("Pending", (string?)cluster.Claim("of-unbound")!["status"]!["phase"]);
    }

    [Fact]
    public async Task Wait_for_first_consumer_claim_binds_when_a_job_pod_uses_it()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Simulator.CreateStorageClass("wffc", VolumeBindingMode.WaitForFirstConsumer);
        cluster.Simulator.SeedPvc(Ns, "golden", await SampleDisk.PathAsync(), storageClass: "wffc");
        await cluster.CreateClaimAsync(AgentJob.Claim("target", "64Mi", storageClass: "wffc",
            dataSource: new JsonObject { ["kind"] = "PersistentVolumeClaim", ["name"] = "golden" }));
        await cluster.WaitAsync(() => cluster.EventsFor("target", "WaitForFirstConsumer").FirstOrDefault(), _ => true, "WaitForFirstConsumer event");
        Assert.Equal("Pending", (string?)cluster.Claim("target")!["status"]!["phase"]);

        await cluster.CreateJobAsync(AgentJob.Build("inspect-clone", AgentJob.Args("inspect", "/disks/target/disk.img"),
            [("target", "target", VolumeMode.Filesystem)]));
        await cluster.WaitForJobAsync("inspect-clone", "Complete");

        var claim = cluster.Claim("target")!;
        Assert.Equal("Bound", (string?)claim["status"]!["phase"]);
        Assert.Equal("sim-node", (string?)claim["metadata"]!["annotations"]!["volume.kubernetes.io/selected-node"]);
        Assert.Equal("sim-node", (string?)cluster.PodsOf("inspect-clone")[0]["spec"]!["nodeName"]);
    }

    [Fact]
    public async Task Deleting_a_claim_deletes_its_volume()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Simulator.SeedPvc(Ns, "doomed", await SampleDisk.PathAsync());
        var path = cluster.Simulator.DiskPath(Ns, "doomed");
        Assert.True(File.Exists(path));

        await cluster.DeleteAsync($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/doomed");

        await cluster.WaitAsync(() => File.Exists(path) ? null : "gone", _ => true, "volume removed");
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    /// <summary>Bytes actually allocated on disk (du), to tell a sparse file from a written one.</summary>
    internal static long AllocatedBytes(string path)
    {
        var start = new ProcessStartInfo("du", ["--block-size=1", path]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return long.Parse(output.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
