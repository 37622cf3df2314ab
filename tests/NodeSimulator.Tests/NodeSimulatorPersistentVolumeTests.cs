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
}
