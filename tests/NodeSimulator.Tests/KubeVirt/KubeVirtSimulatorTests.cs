using System.Text.Json.Nodes;
using Imprint.Testing.NodeSimulator.KubeVirt;

namespace Imprint.Testing.NodeSimulator.Tests.KubeVirt;

public sealed class KubeVirtSimulatorTests
{
    private const string Ns = Cluster.Ns;
    private const string Vm = KubeVirtSimulator.VmApiVersion;
    private const string Cdi = KubeVirtSimulator.CdiApiVersion;
    private const string Pool = KubeVirtSimulator.PoolApiVersion;

    [Fact]
    public async Task Pool_creates_indexed_vms_whose_data_volume_templates_and_volumes_carry_the_index()
    {
        await using var kv = await KubeVirtCluster.StartAsync();

        var pool = await kv.CreateAsync(Pool, "virtualmachinepools", PoolManifest("web", 3, DataVolumeTemplate("root", PopulatorRef())));
        await kv.WaitAsync(Pool, "virtualmachinepools", "web", p => p["status"]?["replicas"]?.ToJsonString() == "3", "3 replicas");

        var vms = kv.Cluster.Server.List(Vm, "virtualmachines", Ns);
        Assert.Equal(["web-0", "web-1", "web-2"], vms.Select(v => (string)v["metadata"]!["name"]!));
        foreach (var (vm, index) in vms.Select((v, i) => (v, i)))
        {
            // pool.go: template labels + revision <pool>-<generation> on the VM and its VMI template, finalizer, controller ref.
            Assert.Equal("web", (string?)vm["metadata"]!["labels"]!["kubevirt.io/vmpool"]);
            Assert.Equal("web-1", (string?)vm["metadata"]!["labels"]![KubeVirtSimulator.PoolRevisionLabel]);
            Assert.Equal("web-1", (string?)vm["spec"]!["template"]!["metadata"]!["labels"]![KubeVirtSimulator.PoolRevisionLabel]);
            Assert.Equal([KubeVirtSimulator.PoolFinalizer], ((JsonArray)vm["metadata"]!["finalizers"]!).Select(f => (string)f!));
            var owner = Assert.Single((JsonArray)vm["metadata"]!["ownerReferences"]!)!;
            Assert.Equal((string?)pool["metadata"]!["uid"], (string?)owner["uid"]);
            Assert.True((bool)owner["controller"]! && (bool)owner["blockOwnerDeletion"]!);
            // indexVMSpec: the template and the volume naming it both get -<index>.
            Assert.Equal($"root-{index}", (string?)vm["spec"]!["dataVolumeTemplates"]![0]!["metadata"]!["name"]);
            Assert.Equal($"root-{index}", (string?)vm["spec"]!["template"]!["spec"]!["volumes"]![0]!["dataVolume"]!["name"]);
        }
        var status = kv.Get(Pool, "virtualmachinepools", "web")!["status"]!;
        Assert.Equal("kubevirt.io/vmpool=web", (string?)status["labelSelector"]);
        Assert.Equal("0", status["readyReplicas"]?.ToJsonString()); // no VM runs in the simulation
        Assert.Equal(3, kv.Cluster.EventsFor("web", "SuccessfulCreate").Count);
        await AssertSettlesAsync(kv);
    }

    [Fact]
    public async Task Vm_creates_one_data_volume_per_template_labelled_and_owned_as_kubevirt_does()
    {
        await using var kv = await KubeVirtCluster.StartAsync();
        kv.Cluster.Simulator.CreateStorageClass("csi", isDefault: true);

        var vm = await kv.CreateAsync(Vm, "virtualmachines", VmManifest("db", DataVolumeTemplate("db-root", PopulatorRef()), DataVolumeTemplate("db-data", PopulatorRef())));
        var root = await kv.WaitAsync(Cdi, "datavolumes", "db-root", _ => true, "created");
        await kv.WaitAsync(Cdi, "datavolumes", "db-data", _ => true, "created");

        Assert.Equal("disk", (string?)root["metadata"]!["labels"]!["role"]);
        Assert.Equal((string?)vm["metadata"]!["uid"], (string?)root["metadata"]!["labels"]![KubeVirtSimulator.CreatedByLabel]);
        Assert.Equal("true", (string?)root["metadata"]!["annotations"]![KubeVirtSimulator.AllowClaimAdoptionAnnotation]);
        var owner = Assert.Single((JsonArray)root["metadata"]!["ownerReferences"]!)!;
        Assert.Equal(("VirtualMachine", "db", (string?)vm["metadata"]!["uid"]), ((string?)owner["kind"], (string?)owner["name"], (string?)owner["uid"]));
        Assert.True((bool)owner["controller"]!);
        // The event follows the DataVolume's creation.
        await kv.Cluster.WaitAsync(() => kv.Cluster.EventsFor("db", "SuccessfulDataVolumeCreate"), e => e.Count == 2, "2 SuccessfulDataVolumeCreate events");
    }

    [Fact]
    public async Task Data_volume_naming_a_populator_gets_a_claim_of_its_name_and_succeeds_once_the_claim_exists()
    {
        await using var kv = await KubeVirtCluster.StartAsync();
        kv.Cluster.Simulator.CreateStorageClass("csi", isDefault: true);

        var dv = await kv.CreateAsync(Cdi, "datavolumes", DataVolume("web-root", PopulatorRef()));
        var succeeded = await kv.WaitAsync(Cdi, "datavolumes", "web-root", d => (string?)d["status"]?["phase"] == "Succeeded", "Succeeded");

        var claim = kv.Cluster.Claim("web-root")!;
        Assert.Equal(PopulatorRef().ToJsonString(), claim["spec"]!["dataSourceRef"]!.ToJsonString());
        Assert.Equal("true", (string?)claim["metadata"]!["annotations"]![KubeVirtSimulator.ExternalPopulationAnnotation]);
        Assert.Equal((string?)dv["metadata"]!["uid"], (string?)claim["metadata"]!["ownerReferences"]![0]!["uid"]);
        Assert.Equal("containerized-data-importer", (string?)claim["metadata"]!["labels"]!["app"]);
        // 64 MiB on Filesystem: aligned to 1 MiB, plus CDI's default 6% overhead, in bytes.
        Assert.Equal("71135396", (string?)claim["spec"]!["resources"]!["requests"]!["storage"]);
        Assert.Equal("ReadWriteOnce", (string?)claim["spec"]!["accessModes"]![0]);
        // CDI cannot watch an external populator: Succeeded at once, while its Bound condition still says Pending.
        // The claim's Pending phase and the event are written by other loops after the status CDI wrote: waited for.
        claim = await WaitForPendingClaimAsync(kv, "web-root");
        Assert.Equal(("False", "Pending"), Condition(succeeded, "Bound"));
        Assert.Equal("True", Condition(succeeded, "Ready").Status);
        await kv.Cluster.WaitAsync(() => kv.Cluster.EventsFor("web-root", "ExternalPopulationSucceeded"), e => e.Count > 0, "ExternalPopulationSucceeded");
        Assert.Single(kv.Cluster.EventsFor("web-root", "ExternalPopulationSucceeded"));
        await AssertSettlesAsync(kv);

        // The populator binds the claim: the DataVolume's Bound condition follows.
        claim["status"] = new JsonObject { ["phase"] = "Bound", ["capacity"] = new JsonObject { ["storage"] = "71135396" } };
        kv.Cluster.Server.Put(claim);
        await kv.WaitAsync(Cdi, "datavolumes", "web-root", d => Condition(d, "Bound") == ("True", "Bound"), "Bound condition");
    }

    [Fact]
    public async Task Data_volume_on_a_wait_for_first_consumer_class_is_pending_population_until_a_node_is_selected()
    {
        await using var kv = await KubeVirtCluster.StartAsync();
        kv.Cluster.Simulator.CreateStorageClass("wffc", VolumeBindingMode.WaitForFirstConsumer, isDefault: true);

        await kv.CreateAsync(Cdi, "datavolumes", DataVolume("late", PopulatorRef()));
        await kv.WaitAsync(Cdi, "datavolumes", "late", d => (string?)d["status"]?["phase"] == "PendingPopulation", "PendingPopulation");
        var claim = kv.Cluster.Claim("late")!;
        claim["metadata"]!["annotations"]!["volume.kubernetes.io/selected-node"] = "sim-node";
        kv.Cluster.Server.Put(claim);

        await kv.WaitAsync(Cdi, "datavolumes", "late", d => (string?)d["status"]?["phase"] == "Succeeded", "Succeeded after the node was selected");
    }

    [Fact]
    public async Task Data_source_is_ready_only_while_its_claim_exists()
    {
        await using var kv = await KubeVirtCluster.StartAsync();

        await kv.CreateAsync(Cdi, "datasources", DataSource("fedora", "golden"));
        var missing = await kv.WaitAsync(Cdi, "datasources", "fedora", d => Condition(d, "Ready").Status == "False", "not ready");
        Assert.Equal(("False", "NotFound"), Condition(missing, "Ready"));
        Assert.Empty((JsonObject)missing["status"]!["source"]!);

        kv.Cluster.Simulator.SeedPvc(Ns, "golden", await SampleDisk.PathAsync());
        var ready = await kv.WaitAsync(Cdi, "datasources", "fedora", d => Condition(d, "Ready").Status == "True", "ready");
        Assert.Equal("Ready", Condition(ready, "Ready").Reason);
        Assert.Equal("golden", (string?)ready["status"]!["source"]!["pvc"]!["name"]);
    }

    [Fact]
    public async Task Data_volume_template_with_a_source_ref_becomes_a_clone_of_the_data_sources_claim_and_stops_before_copying()
    {
        await using var kv = await KubeVirtCluster.StartAsync();
        kv.Cluster.Simulator.CreateStorageClass("csi", isDefault: true);
        kv.Cluster.Simulator.SeedPvc(Ns, "golden", await SampleDisk.PathAsync());
        await kv.CreateAsync(Cdi, "datasources", DataSource("fedora", "golden"));
        var template = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "app-root" },
            ["spec"] = new JsonObject
            {
                ["sourceRef"] = new JsonObject { ["kind"] = "DataSource", ["name"] = "fedora" },
                ["storage"] = new JsonObject { ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "64Mi" } } },
            },
        };

        await kv.CreateAsync(Vm, "virtualmachines", VmManifest("app", template));
        var dv = await kv.WaitAsync(Cdi, "datavolumes", "app-root", d => (string?)d["status"]?["phase"] == "CloneScheduled", "CloneScheduled");

        // KubeVirt resolved the DataSource into spec.source (GenerateDataVolumeFromTemplate).
        Assert.Null(dv["spec"]!["sourceRef"]);
        Assert.Equal(("golden", Ns), ((string?)dv["spec"]!["source"]!["pvc"]!["name"], (string?)dv["spec"]!["source"]!["pvc"]!["namespace"]));
        // CDI's clone goes through its own populator: a VolumeCloneSource naming the golden claim.
        var cloneSource = $"volume-clone-source-{dv["metadata"]!["uid"]}";
        Assert.Equal(cloneSource, (string?)kv.Cluster.Claim("app-root")!["spec"]!["dataSourceRef"]!["name"]);
        var volumeCloneSource = kv.Get(Cdi, "volumeclonesources", cloneSource)!;
        Assert.Equal("golden", (string?)volumeCloneSource["spec"]!["source"]!["name"]);
        // The copy itself is CDI's clone populator, which is not simulated: no disk appears. CDI writes CloneScheduled as
        // soon as it created the claim; the node simulator marks the claim Pending in its own loop, so that is waited for.
        await WaitForPendingClaimAsync(kv, "app-root");
        Assert.False(File.Exists(kv.Cluster.Simulator.DiskPath(Ns, "app-root")));
        await AssertSettlesAsync(kv);
    }

    [Fact]
    public async Task Without_cdi_a_vm_reports_that_it_could_not_create_its_data_volume()
    {
        await using var kv = await KubeVirtCluster.StartAsync(cdi: false);

        await kv.CreateAsync(Vm, "virtualmachines", VmManifest("lonely", DataVolumeTemplate("lonely-root", PopulatorRef())));

        var events = await kv.Cluster.WaitAsync(() => kv.Cluster.EventsFor("lonely", "FailedDataVolumeCreate"), e => e.Count > 0, "FailedDataVolumeCreate");
        Assert.Contains("lonely-root", (string?)events[0]["message"], StringComparison.Ordinal);
        Assert.False(kv.Cluster.Server.Serves(Cdi, "datavolumes"));
    }

    [Fact]
    public async Task Deleting_a_pool_removes_its_vms_data_volumes_and_claims_through_the_garbage_collector()
    {
        await using var kv = await KubeVirtCluster.StartAsync();
        kv.Cluster.Simulator.CreateStorageClass("csi", isDefault: true);
        await kv.CreateAsync(Pool, "virtualmachinepools", PoolManifest("tmp", 2, DataVolumeTemplate("disk", PopulatorRef())));
        await kv.WaitAsync(Cdi, "datavolumes", "disk-1", d => (string?)d["status"]?["phase"] == "Succeeded", "second disk");

        await kv.Cluster.DeleteAsync($"/apis/{Pool}/namespaces/{Ns}/virtualmachinepools/tmp");

        await kv.Cluster.WaitAsync(() => kv.Cluster.Server.List(Vm, "virtualmachines", Ns).Count == 0
            && kv.Cluster.Server.List(Cdi, "datavolumes", Ns).Count == 0
            && kv.Cluster.Server.List("v1", "persistentvolumeclaims", Ns).Count == 0 ? "gone" : null, _ => true, "VMs, DataVolumes and claims gone");
        await AssertSettlesAsync(kv);
    }

    /// <summary>The controllers stop writing once the state is reached (a write loop would show as ever-growing resourceVersions).</summary>
    private static async Task AssertSettlesAsync(KubeVirtCluster kv)
    {
        string Versions() => string.Join(",", new[] { (Pool, "virtualmachinepools"), (Vm, "virtualmachines"), (Cdi, "datavolumes"), ("v1", "persistentvolumeclaims") }
            .SelectMany(k => kv.Cluster.Server.List(k.Item1, k.Item2, Ns)).Select(o => (string?)o["metadata"]!["resourceVersion"]));
        var previous = Versions();
        for (var attempt = 0; attempt < 40; attempt++)
        {
            await Task.Delay(250);
            var now = Versions();
            if (now == previous)
                return;
            previous = now;
        }
        Assert.Fail("the simulated controllers kept writing: " + previous);
    }

    /// <summary>The fake API server leaves a new claim's status empty; the node simulator sets Pending when it first reconciles the claim.</summary>
    private static Task<JsonObject> WaitForPendingClaimAsync(KubeVirtCluster kv, string name) =>
        kv.WaitAsync("v1", "persistentvolumeclaims", name, c => (string?)c["status"]?["phase"] == "Pending", "Pending");

    private static (string? Status, string? Reason) Condition(JsonObject obj, string type)
    {
        var condition = (obj["status"]?["conditions"] as JsonArray ?? []).FirstOrDefault(c => (string?)c?["type"] == type);
        return ((string?)condition?["status"], (string?)condition?["reason"]);
    }

    private static JsonObject PopulatorRef() => new() { ["apiGroup"] = "imprint.dev", ["kind"] = "CloneTemplate", ["name"] = "web" };

    private static JsonObject DataVolumeTemplate(string name, JsonObject dataSourceRef) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["role"] = "disk" } },
        ["spec"] = new JsonObject
        {
            ["storage"] = new JsonObject
            {
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "64Mi" } },
                ["dataSourceRef"] = dataSourceRef,
            },
        },
    };

    private static JsonObject DataVolume(string name, JsonObject dataSourceRef)
    {
        var dv = DataVolumeTemplate(name, dataSourceRef);
        dv["apiVersion"] = Cdi;
        dv["kind"] = "DataVolume";
        return dv;
    }

    private static JsonObject DataSource(string name, string claim) => new()
    {
        ["apiVersion"] = Cdi,
        ["kind"] = "DataSource",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["source"] = new JsonObject { ["pvc"] = new JsonObject { ["name"] = claim, ["namespace"] = Ns } } },
    };

    private static JsonObject VmSpec(params JsonObject[] templates) => new()
    {
        ["runStrategy"] = "Always",
        ["dataVolumeTemplates"] = new JsonArray([.. templates]),
        ["template"] = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["domain"] = new JsonObject { ["devices"] = new JsonObject { ["disks"] = new JsonArray(new JsonObject { ["name"] = "root", ["disk"] = new JsonObject { ["bus"] = "virtio" } }) } },
                ["volumes"] = new JsonArray([.. templates.Select(t => (JsonNode?)new JsonObject
                {
                    ["name"] = "root",
                    ["dataVolume"] = new JsonObject { ["name"] = (string?)t["metadata"]!["name"] },
                })]),
            },
        },
    };

    private static JsonObject VmManifest(string name, params JsonObject[] templates) => new()
    {
        ["apiVersion"] = Vm,
        ["kind"] = "VirtualMachine",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = VmSpec(templates),
    };

    private static JsonObject PoolManifest(string name, int replicas, JsonObject template) => new()
    {
        ["apiVersion"] = Pool,
        ["kind"] = "VirtualMachinePool",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["kubevirt.io/vmpool"] = name } },
            ["virtualMachineTemplate"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["kubevirt.io/vmpool"] = name } },
                ["spec"] = VmSpec(template),
            },
        },
    };
}
