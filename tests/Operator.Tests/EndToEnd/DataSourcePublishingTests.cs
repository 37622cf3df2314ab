using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Publishing;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Tests.EndToEnd.Support;
using Imprint.Testing.NodeSimulator.KubeVirt;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// spec.publish.dataSource end to end: the operator keeps a CDI DataSource pointing at the sealed golden PVC, and the
/// simulated CDI (KubeVirtSimulator) reads it as the real one does — Ready when the claim exists, and a DataVolume's
/// sourceRef to it resolved to a clone of that claim.
/// </summary>
public sealed class DataSourcePublishingTests
{
    private const string Ns = "images";
    private const string Cdi = KubeVirtSimulator.CdiApiVersion;

    [Fact]
    public async Task Data_source_follows_the_golden_pvc_undoes_edits_and_is_removed_with_the_field_and_with_the_golden()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.StartKubeVirt();
        var golden = await cluster.ReadyGoldenImageAsync(Ns, "base", Publish("base-os"));
        await WaitForPublishedAsync(cluster, "base", ConditionStatus.True);
        var sealedPvc = golden.Status!.Pvc!.Name;

        // Someone points the DataSource elsewhere: the operator puts it back (the DataSource is not watched; the
        // image looks again every Clone.PublishRecheckSeconds).
        cluster.Server.Patch(Cdi, "datasources", Ns, "base-os", Source("elsewhere"));
        await WaitForDataSourcePvcAsync(cluster, "base-os", sealedPvc);

        // The golden's PVC changes (as a new revision of the image would switch status.pvc): the DataSource follows.
        cluster.Simulator.SeedPvc(Ns, "base-revision-2", (await SampleImages.GetAsync()).RawPath);
        cluster.Server.Patch("imprint.dev/v1alpha1", "goldenimages", Ns, "base",
            new JsonObject { ["status"] = new JsonObject { ["pvc"] = new JsonObject { ["name"] = "base-revision-2", ["namespace"] = Ns } } }, "status");
        await WaitForDataSourcePvcAsync(cluster, "base-os", "base-revision-2");
        Assert.Contains(E2eAssert.Events(cluster, Ns, "base"), e => (string?)e["reason"] == "DataSourceUpdated" && E2eAssert.Note(e).Contains("base-revision-2", StringComparison.Ordinal));

        // The field goes: so does the DataSource, the condition and status.dataSource.
        await cluster.Client.PatchAsync<V1Alpha1GoldenImage>("base", Ns, new JsonObject { ["spec"] = new JsonObject { ["publish"] = null } });
        var unpublished = await cluster.WaitForAsync(() => cluster.GoldenImageAsync("base", Ns),
            g => g.Status?.DataSource is null && g.Status?.Conditions?.Any(c => c.Type == DataSourcePublisher.ConditionType) == false, "publish condition gone");
        Assert.Null(cluster.Server.Get(Cdi, "datasources", Ns, "base-os"));
        Assert.Equal(GoldenImagePhase.Ready, unpublished.Status!.Phase);

        // Published again, then the golden is deleted: the garbage collector takes the DataSource with it.
        await cluster.Client.PatchAsync<V1Alpha1GoldenImage>("base", Ns, new JsonObject { ["spec"] = new JsonObject { ["publish"] = new JsonObject { ["dataSource"] = new JsonObject { ["name"] = "base-os" } } } });
        await WaitForPublishedAsync(cluster, "base", ConditionStatus.True);
        await cluster.Client.DeleteAsync<V1Alpha1GoldenImage>("base", Ns);
        await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get(Cdi, "datasources", Ns, "base-os") is null ? "gone" : null), _ => true, "DataSource garbage-collected");
    }

    [Fact]
    public async Task Without_cdi_the_golden_is_ready_with_a_warning_then_once_cdi_is_installed_its_data_source_is_ready_and_a_source_ref_resolves_to_the_sealed_pvc()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.CreateStorageClass("csi", isDefault: true);

        await cluster.ReadyGoldenImageAsync(Ns, "fedora", Publish("fedora"));
        var waiting = await WaitForPublishedAsync(cluster, "fedora", ConditionStatus.False);

        Assert.Equal(GoldenImagePhase.Ready, waiting.Status!.Phase);
        Assert.True(Conditions.IsTrue(waiting.Status.Conditions, ConditionTypes.Ready));
        var condition = E2eAssert.Condition(waiting.Status.Conditions, DataSourcePublisher.ConditionType, ConditionStatus.False, DataSourcePublisher.CdiNotInstalled, waiting.Metadata.Generation);
        Assert.Contains("install CDI", condition.Message, StringComparison.Ordinal);
        Assert.Null(waiting.Status.DataSource);
        // It keeps looking (each look is a LIST answered 404), but warns once, not once per look.
        await cluster.WaitForAsync(() => Task.FromResult<string?>(cluster.Server.Requests.Count(IsDataSourceListNotServed) >= 3 ? "looked" : null), _ => true, "three looks for CDI");
        Assert.Single(E2eAssert.Events(cluster, Ns, "fedora", "Warning"), e => (string?)e["reason"] == DataSourcePublisher.CdiNotInstalled);

        cluster.StartKubeVirt();
        var golden = await WaitForPublishedAsync(cluster, "fedora", ConditionStatus.True);

        var dataSource = cluster.Server.Get(Cdi, "datasources", Ns, "fedora")!;
        Assert.Equal(golden.Status!.Pvc!.Name, (string?)dataSource["spec"]!["source"]!["pvc"]!["name"]);
        Assert.Equal(Ns, (string?)dataSource["spec"]!["source"]!["pvc"]!["namespace"]);
        var owner = Assert.Single((JsonArray)dataSource["metadata"]!["ownerReferences"]!)!;
        Assert.Equal((golden.Metadata.Uid, true), ((string?)owner["uid"], (bool?)owner["controller"]));
        Assert.Equal("fedora", golden.Status.DataSource?.Name);
        // CDI's datasource-controller (simulated) finds the claim: Ready, with the resolved source in status.
        dataSource = await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get(Cdi, "datasources", Ns, "fedora")),
            d => ReadyStatus(d) == "True", "DataSource Ready");
        Assert.Equal(golden.Status.Pvc.Name, (string?)dataSource["status"]!["source"]!["pvc"]!["name"]);

        // A DataVolume naming it by sourceRef (what `virtctl create vm --volume-datasource` writes) becomes a CDI clone
        // of the sealed PVC. The copy is CDI's clone populator, which the simulation does not play: it stops there.
        var dv = await cluster.CreateRawAsync("datavolumes", new JsonObject
        {
            ["apiVersion"] = Cdi,
            ["kind"] = "DataVolume",
            ["metadata"] = new JsonObject { ["name"] = "vm-root", ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["sourceRef"] = new JsonObject { ["kind"] = "DataSource", ["name"] = "fedora" },
                ["storage"] = new JsonObject { ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "256Mi" } } },
            },
        });
        await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get(Cdi, "datavolumes", Ns, "vm-root")),
            d => (string?)d["status"]?["phase"] == "CloneScheduled", "DataVolume CloneScheduled");
        var cloneSource = cluster.Server.Get(Cdi, "volumeclonesources", Ns, $"volume-clone-source-{dv["metadata"]!["uid"]}")!;
        Assert.Equal(("PersistentVolumeClaim", golden.Status.Pvc.Name), ((string?)cloneSource["spec"]!["source"]!["kind"], (string?)cloneSource["spec"]!["source"]!["name"]));
        Assert.Equal((string?)cloneSource["metadata"]!["name"], (string?)cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "vm-root")!["spec"]!["dataSourceRef"]!["name"]);
        Assert.Single(E2eAssert.Events(cluster, Ns, "fedora"), e => (string?)e["reason"] == "DataSourcePublished");
    }

    private static bool IsDataSourceListNotServed(Imprint.Testing.FakeApiServer.RequestRecord request) =>
        request.Method == "GET" && request.Path.EndsWith("/datasources", StringComparison.Ordinal) && request.StatusCode == 404;

    private static Action<JsonObject> Publish(string dataSource) =>
        golden => golden["spec"]!["publish"] = new JsonObject { ["dataSource"] = new JsonObject { ["name"] = dataSource } };

    private static Task<V1Alpha1GoldenImage> WaitForPublishedAsync(ImprintCluster cluster, string name, ConditionStatus status) =>
        cluster.WaitForAsync(() => cluster.GoldenImageAsync(name, Ns),
            g => g.Status?.Conditions?.Any(c => c.Type == DataSourcePublisher.ConditionType && c.Status == status) == true, $"DataSourcePublished={status}");

    private static Task<JsonObject> WaitForDataSourcePvcAsync(ImprintCluster cluster, string name, string pvc) =>
        cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get(Cdi, "datasources", Ns, name)),
            d => (string?)d["spec"]?["source"]?["pvc"]?["name"] == pvc, $"DataSource {name} pointing at {pvc}");

    private static JsonObject Source(string pvc) => new()
    {
        ["spec"] = new JsonObject { ["source"] = new JsonObject { ["pvc"] = new JsonObject { ["name"] = pvc, ["namespace"] = Ns } } },
    };

    private static string? ReadyStatus(JsonObject dataSource) =>
        (string?)(dataSource["status"]?["conditions"] as JsonArray ?? []).FirstOrDefault(c => (string?)c?["type"] == "Ready")?["status"];
}
