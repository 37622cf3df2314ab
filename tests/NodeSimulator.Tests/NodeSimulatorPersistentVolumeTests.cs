using System.Text;
using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator.Tests;

/// <summary>
/// The PersistentVolume objects and the PV controller behaviour a volume populator relies on: the provisioner leaves a
/// claim whose dataSourceRef names a non-core kind alone, a volume whose claimRef names a claim binds it, and a volume
/// rebound away from its first claim keeps its data when that claim is deleted.
/// </summary>
public sealed class NodeSimulatorPersistentVolumeTests
{
    private const string Ns = Cluster.Ns;

    [Fact]
    public async Task Provisioned_claim_gets_a_persistent_volume_bound_to_it_by_uid()
    {
        await using var cluster = await Cluster.StartAsync();

        var created = await cluster.CreateClaimAsync(AgentJob.Claim("data", "16Mi"));
        var bound = await cluster.WaitAsync(() => cluster.Claim("data"), c => (string?)c["status"]?["phase"] == "Bound", "bound claim");

        var volume = cluster.Server.Get("v1", "persistentvolumes", null, (string)bound["spec"]!["volumeName"]!);
        Assert.NotNull(volume);
        Assert.Equal("Bound", (string?)volume["status"]!["phase"]);
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)volume["spec"]!["claimRef"]!["uid"]);
        Assert.Equal("data", (string?)volume["spec"]!["claimRef"]!["name"]);
        Assert.Equal("16Mi", (string?)volume["spec"]!["capacity"]!["storage"]);
        Assert.Equal("Delete", (string?)volume["spec"]!["persistentVolumeReclaimPolicy"]);
    }

    [Fact]
    public async Task Claim_naming_a_populator_kind_stays_pending_until_a_volume_is_rebound_to_it_and_keeps_the_data()
    {
        await using var cluster = await Cluster.StartAsync();
        var populated = AgentJob.Claim("user", "16Mi");
        populated["spec"]!["dataSourceRef"] = new JsonObject { ["apiGroup"] = "example.dev", ["kind"] = "Widget", ["name"] = "w" };
        var user = await cluster.CreateClaimAsync(populated);
        await cluster.CreateClaimAsync(AgentJob.Claim("prime", "16Mi"));
        var prime = await cluster.WaitAsync(() => cluster.Claim("prime"), c => (string?)c["status"]?["phase"] == "Bound", "bound prime claim");
        await File.WriteAllTextAsync(cluster.Simulator.DiskPath(Ns, "prime"), "populated", Encoding.ASCII);
        await cluster.Server.SettleAsync();

        // Nothing provisions a claim whose dataSourceRef is a populator's kind.
        Assert.Equal("Pending", (string?)cluster.Claim("user")!["status"]?["phase"]);
        Assert.Empty(cluster.EventsFor("user", "ProvisioningSucceeded"));

        // The populator's rebind, over HTTP as the operator makes it: the prime volume's claimRef now names the user's claim.
        var volumeName = (string)prime["spec"]!["volumeName"]!;
        var patch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["claimRef"] = new JsonObject
                {
                    ["namespace"] = Ns,
                    ["name"] = "user",
                    ["uid"] = (string?)user["metadata"]!["uid"],
                    ["resourceVersion"] = null,
                },
            },
        };
        using (var content = new StringContent(patch.ToJsonString(), Encoding.UTF8, "application/merge-patch+json"))
        {
            using var response = await cluster.Client.PatchAsync(new Uri($"/api/v1/persistentvolumes/{volumeName}", UriKind.Relative), content);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var bound = await cluster.WaitAsync(() => cluster.Claim("user"), c => (string?)c["status"]?["phase"] == "Bound", "user claim bound to the rebound volume");
        Assert.Equal(volumeName, (string?)bound["spec"]!["volumeName"]);
        Assert.Equal("16Mi", (string?)bound["status"]!["capacity"]!["storage"]);
        await cluster.DeleteAsync($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/prime");
        await cluster.WaitAsync(() => cluster.Claim("prime") is null ? "gone" : null, _ => true, "prime claim deleted");
        await cluster.Server.SettleAsync();

        // Deleting the prime claim neither released the rebound volume nor removed its data.
        Assert.Equal("populated", await File.ReadAllTextAsync(cluster.Simulator.DiskPath(Ns, "user"), Encoding.ASCII));
        Assert.NotNull(cluster.Server.Get("v1", "persistentvolumes", null, volumeName));

        // Deleting the user's claim does (reclaimPolicy Delete).
        var path = cluster.Simulator.DiskPath(Ns, "user");
        await cluster.DeleteAsync($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/user");
        await cluster.WaitAsync(() => cluster.Server.Get("v1", "persistentvolumes", null, volumeName) is null ? "gone" : null, _ => true, "volume deleted with its claim");
        Assert.False(File.Exists(path), "the volume's data should go with it");
        Assert.Empty(cluster.Simulator.Errors);
    }
    [Fact]
    public async Task Static_volume_is_a_retained_persistent_volume_that_a_rebind_hands_over_and_its_claims_deletion_releases()
    {
        await using var cluster = await Cluster.StartAsync();
        cluster.Simulator.CreateStorageClass("local", provisioner: NodeSimulator.NoProvisioner);
        var created = cluster.Simulator.CreateStaticVolume("local-pv-0", "local", 32L << 20);
        Assert.Equal(("Retain", "local", "Available"), ((string?)created["spec"]!["persistentVolumeReclaimPolicy"], (string?)created["spec"]!["storageClassName"], (string?)created["status"]!["phase"]));

        // The first claim takes the only volume (by uid); the populator-style claim finds none and waits.
        var prime = await cluster.CreateClaimAsync(AgentJob.Claim("prime", "16Mi", storageClass: "local"));
        var populated = AgentJob.Claim("user", "16Mi", storageClass: "local");
        populated["spec"]!["dataSourceRef"] = new JsonObject { ["apiGroup"] = "example.dev", ["kind"] = "Widget", ["name"] = "w" };
        var user = await cluster.CreateClaimAsync(populated);
        var bound = await cluster.WaitAsync(() => cluster.Claim("prime"), c => (string?)c["status"]?["phase"] == "Bound", "prime bound");
        Assert.Equal("local-pv-0", (string?)bound["spec"]!["volumeName"]);
        Assert.Equal("32Mi", (string?)bound["status"]!["capacity"]!["storage"]);
        var volume = cluster.Server.Get("v1", "persistentvolumes", null, "local-pv-0")!;
        Assert.Equal((string?)prime["metadata"]!["uid"], (string?)volume["spec"]!["claimRef"]!["uid"]);
        Assert.Equal("Bound", (string?)volume["status"]!["phase"]);
        Assert.Equal([("local-pv-0", $"{Ns}/prime", false)], cluster.Simulator.StaticVolumes);
        await cluster.WaitAsync(() => cluster.EventsFor("user", "ExternalProvisioning").FirstOrDefault(), _ => true, "user waits");
        await File.WriteAllTextAsync(cluster.Simulator.DiskPath(Ns, "prime"), "populated", Encoding.ASCII);

        // Rebound to the waiting claim (Retain all along): it binds, the prime claim's deletion releases nothing.
        cluster.Server.Patch("v1", "persistentvolumes", null, "local-pv-0", new JsonObject
        {
            ["spec"] = new JsonObject { ["claimRef"] = new JsonObject { ["name"] = "user", ["uid"] = (string?)user["metadata"]!["uid"], ["resourceVersion"] = null } },
        });
        var userBound = await cluster.WaitAsync(() => cluster.Claim("user"), c => (string?)c["status"]?["phase"] == "Bound", "user bound to the rebound static volume");
        Assert.Equal("local-pv-0", (string?)userBound["spec"]!["volumeName"]);
        await cluster.DeleteAsync($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/prime");
        await cluster.WaitAsync(() => cluster.Claim("prime") is null ? "gone" : null, _ => true, "prime claim deleted");
        await cluster.Server.SettleAsync();
        Assert.Equal("Bound", (string?)cluster.Server.Get("v1", "persistentvolumes", null, "local-pv-0")!["status"]!["phase"]);
        Assert.Equal("populated", await File.ReadAllTextAsync(cluster.Simulator.DiskPath(Ns, "user"), Encoding.ASCII));

        // The user's claim goes and comes back under the same name: the volume is Released (its data kept) and the new claim waits.
        var path = cluster.Simulator.DiskPath(Ns, "user");
        await cluster.DeleteAsync($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/user");
        await cluster.WaitAsync(() => cluster.Claim("user") is null ? "gone" : null, _ => true, "user claim deleted");
        await cluster.CreateClaimAsync(AgentJob.Claim("user", "16Mi", storageClass: "local"));
        await cluster.WaitAsync(() => cluster.Server.Get("v1", "persistentvolumes", null, "local-pv-0"), v => (string?)v["status"]?["phase"] == "Released", "volume Released");
        await cluster.Server.SettleAsync();
        Assert.Equal("Pending", (string?)cluster.Claim("user")!["status"]?["phase"]);
        Assert.Equal("populated", await File.ReadAllTextAsync(path, Encoding.ASCII));
        Assert.Equal([("local-pv-0", (string?)null, true)], cluster.Simulator.StaticVolumes);
        Assert.Empty(cluster.Simulator.Errors);
    }
}
