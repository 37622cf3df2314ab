using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator.Tests;

public sealed class NodeSimulatorSnapshotTests
{
    private const string Ns = Cluster.Ns;

    [Fact]
    public async Task Snapshot_is_a_point_in_time_copy_that_a_new_claim_restores()
    {
        await using var cluster = await Cluster.StartAsync();
        var disk = await SampleDisk.PathAsync();
        cluster.Simulator.SeedPvc(Ns, "golden", disk);
        var original = SHA256.HashData(await File.ReadAllBytesAsync(disk));

        await cluster.CreateAsync($"/apis/snapshot.storage.k8s.io/v1/namespaces/{Ns}/volumesnapshots", JsonNode.Parse(
            """{"metadata":{"name":"golden-snap"},"spec":{"volumeSnapshotClassName":"sim","source":{"persistentVolumeClaimName":"golden"}}}""")!.AsObject());
        var snapshot = await cluster.WaitAsync(() => cluster.Server.Get("snapshot.storage.k8s.io/v1", "volumesnapshots", Ns, "golden-snap"),
            s => s["status"]?["readyToUse"] is JsonValue v && v.GetValue<bool>(), "ready snapshot");
        // Writing to the source afterwards must not reach the snapshot.
        await using (var file = new FileStream(cluster.Simulator.DiskPath(Ns, "golden"), FileMode.Open, FileAccess.Write))
            file.Write(new byte[4096].Select(_ => (byte)0xAB).ToArray());
        await cluster.CreateClaimAsync(AgentJob.Claim("restored", "64Mi",
            dataSource: new JsonObject { ["apiGroup"] = "snapshot.storage.k8s.io", ["kind"] = "VolumeSnapshot", ["name"] = "golden-snap" }));
        await cluster.WaitAsync(() => cluster.Claim("restored"), c => (string?)c["status"]?["phase"] == "Bound", "restored claim");

        Assert.Equal("64Mi", (string?)snapshot["status"]!["restoreSize"]);
        Assert.Equal($"snapcontent-{snapshot["metadata"]!["uid"]}", (string?)snapshot["status"]!["boundVolumeSnapshotContentName"]);
        Assert.NotNull(snapshot["status"]!["creationTime"]);
        Assert.Equal(original, SHA256.HashData(await File.ReadAllBytesAsync(cluster.Simulator.DiskPath(Ns, "restored"))));
        Assert.NotEqual(original, SHA256.HashData(await File.ReadAllBytesAsync(cluster.Simulator.DiskPath(Ns, "golden"))));
    }

    [Fact]
    public async Task Restore_from_a_missing_snapshot_waits_and_binds_once_the_snapshot_is_ready()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Simulator.SeedPvc(Ns, "golden", await SampleDisk.PathAsync());

        await cluster.CreateClaimAsync(AgentJob.Claim("restored", "64Mi",
            dataSource: new JsonObject { ["apiGroup"] = "snapshot.storage.k8s.io", ["kind"] = "VolumeSnapshot", ["name"] = "later" }));
        var failed = await cluster.WaitAsync(() => cluster.EventsFor("restored", "ProvisioningFailed").FirstOrDefault(), _ => true, "ProvisioningFailed");
        Assert.Contains("volumesnapshots.snapshot.storage.k8s.io \"later\" not found", (string?)failed["message"]);
        Assert.Equal("Pending", (string?)cluster.Claim("restored")!["status"]!["phase"]);

        await cluster.CreateAsync($"/apis/snapshot.storage.k8s.io/v1/namespaces/{Ns}/volumesnapshots", JsonNode.Parse(
            """{"metadata":{"name":"later"},"spec":{"source":{"persistentVolumeClaimName":"golden"}}}""")!.AsObject());
        await cluster.WaitAsync(() => cluster.Claim("restored"), c => (string?)c["status"]?["phase"] == "Bound", "restored claim");

        Assert.True(File.Exists(cluster.Simulator.DiskPath(Ns, "restored")));
    }

    [Fact]
    public async Task Snapshot_of_a_missing_claim_reports_an_error_and_is_not_ready()
    {
        await using var cluster = await Cluster.StartAsync();

        await cluster.CreateAsync($"/apis/snapshot.storage.k8s.io/v1/namespaces/{Ns}/volumesnapshots", JsonNode.Parse(
            """{"metadata":{"name":"orphan"},"spec":{"source":{"persistentVolumeClaimName":"nope"}}}""")!.AsObject());
        var snapshot = await cluster.WaitAsync(() => cluster.Server.Get("snapshot.storage.k8s.io/v1", "volumesnapshots", Ns, "orphan"),
            s => s["status"]?["error"] is not null, "snapshot error");

        Assert.False((bool)snapshot["status"]!["readyToUse"]!);
        Assert.Contains("\"nope\" not found", (string?)snapshot["status"]!["error"]!["message"]);
    }
}
