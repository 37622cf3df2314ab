using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Tests.EndToEnd.Support;
using Imprint.Testing.NodeSimulator;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// CloneTemplate as a volume populator through the real pieces: the fake API server (CEL, RBAC, GC), the node
/// simulator's provisioner and PV controller (it leaves a claim naming a CloneTemplate alone and binds a claim its
/// volume's claimRef names) and the real agent. Every disk is read back with the agent's ext reader and e2fsck.
/// </summary>
public sealed class CloneTemplatePopulatorTests
{
    private const string Ns = "vms";

    [Fact]
    public async Task Bare_claim_data_volume_and_pool_of_three_each_get_their_own_finished_disk_and_the_golden_is_never_written()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.StartKubeVirt();
        cluster.Simulator.CreateStorageClass("csi");
        await cluster.ReadyGoldenImageAsync(Ns, "base");
        var goldenHash = await HashAsync(cluster.Simulator.DiskPath(Ns, "base-golden"));

        // A claim made before its template waits, and says why.
        await cluster.CreateAsync(PopulatorObjects.Claim(Ns, "web-0", "web", labels: new JsonObject { ["tier"] = "frontend" }));
        await WaitForEventAsync(cluster, "web-0", "CloneTemplateNotFound");

        // An unknown placeholder never gets in: the CRD's CEL rule refuses it.
        var typo = PopulatorObjects.CloneTemplate(Ns, "typo", "base", new JsonObject { ["hostname"] = "{{ .vm.nmae }}" });
        var refused = await Assert.ThrowsAsync<KubernetesApiException>(() => cluster.CreateAsync(typo));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("may use only the placeholders", refused.Message, StringComparison.Ordinal);

        await cluster.CreateAsync(PopulatorObjects.CloneTemplate(Ns, "web", "base", new JsonObject
        {
            ["hostname"] = "{{ .claim.name }}",
            ["files"] = new JsonArray(new JsonObject
            {
                ["path"] = "/etc/imprint-claim",
                ["content"] = "{{ .claim.namespace }}/{{ .claim.labels[\"tier\"] }} {{ \"{{\" }}kept}}\n",
            }),
        }));
        await cluster.CreateAsync(PopulatorObjects.CloneTemplate(Ns, "pool", "base", new JsonObject { ["hostname"] = "{{ .vm.name }}" }));

        // Through CDI: a DataVolume naming the template (CDI makes its claim), and a pool of three VMs whose
        // dataVolumeTemplate names the other one (KubeVirt makes a VM and a DataVolume per replica).
        await cluster.CreateRawAsync("datavolumes", PopulatorObjects.DataVolume(Ns, "solo", "web", labels: new JsonObject { ["tier"] = "data" }));
        await cluster.CreateRawAsync("virtualmachinepools", PopulatorObjects.Pool(Ns, "app", 3, "root", "pool"));

        // Deleting a template while its claims are being populated: they finish; a later claim waits with an Event.
        await cluster.WaitForAsync(() => Task.FromResult<object?>(PopulatingClones(cluster).Count == 5 ? "all" : null), _ => true, "five VmClones at work");
        await cluster.Client.DeleteAsync<V1Alpha1CloneTemplate>("web", Ns);
        var claims = new List<(JsonObject Claim, string Hostname, string? Content)>();
        claims.Add((await WaitForBoundAsync(cluster, "web-0"), "web-0", $"{Ns}/frontend {{{{kept}}}}\n"));
        claims.Add((await WaitForBoundAsync(cluster, "solo"), "solo", $"{Ns}/data {{{{kept}}}}\n"));
        for (var i = 0; i < 3; i++)
        {
            claims.Add((await WaitForBoundAsync(cluster, $"root-{i}"), $"app-{i}", null));
        }

        await cluster.CreateAsync(PopulatorObjects.Claim(Ns, "web-2", "web"));
        var waiting = await WaitForEventAsync(cluster, "web-2", "CloneTemplateNotFound");
        Assert.Contains("waiting for CloneTemplate vms/web: it does not exist", E2eAssert.Note(waiting), StringComparison.Ordinal);
        Assert.False(PopulatorObjects.IsBound(Claim(cluster, "web-2")));

        var machineIds = new List<string>();
        var hostKeys = new List<string>();
        foreach (var (claim, hostname, content) in claims)
        {
            var name = (string)claim["metadata"]!["name"]!;
            var uid = (string)claim["metadata"]!["uid"]!;

            // Bound to the prime claim's volume, rebound by claimRef; the prime claim is gone.
            var volume = cluster.Server.Get("v1", "persistentvolumes", null, (string)claim["spec"]!["volumeName"]!)!;
            Assert.Equal(uid, (string?)volume["spec"]!["claimRef"]!["uid"]);
            Assert.Equal($"{Ns}/prime-{uid}", (string?)volume["spec"]!["csi"]!["volumeHandle"]);
            await cluster.WaitForAsync(() => Task.FromResult<object?>(Claim(cluster, $"prime-{uid}") is null ? "gone" : null), _ => true, "prime claim deleted");

            // The per-claim record: a VmClone owned by the claim, named in the claim's annotation, Ready before the claim was Bound.
            var cloneName = (string)claim["metadata"]!["annotations"]!["imprint.dev/vmclone"]!;
            var clone = (await cluster.VmCloneAsync(cloneName, Ns))!;
            Assert.Equal(name, clone.Metadata.Labels["imprint.dev/claim"]);
            Assert.Equal(uid, Assert.Single(clone.Metadata.OwnerReferences).Uid);
            Assert.Equal($"prime-{uid}", clone.Spec.Target!.PvcName);
            var changes = cluster.Changes.ToList();
            var ready = changes.FindIndex(c => (string?)c.Object["kind"] == "VmClone" && (string?)c.Object["metadata"]!["name"] == cloneName && (string?)c.Object["status"]?["phase"] == "Ready");
            var bound = changes.FindIndex(c => (string?)c.Object["kind"] == "PersistentVolumeClaim" && (string?)c.Object["metadata"]!["name"] == name && PopulatorObjects.IsBound(c.Object));
            Assert.True(ready >= 0 && bound > ready, $"claim {name} was Bound (change {bound}) before its disk was ready (change {ready})");

            // The disk, read back: the placeholders were filled for this claim (or its VM); a new machine-id and host keys, as in status.
            var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, name));
            Assert.Equal($"{hostname}\n", await guest.TryReadTextAsync("/etc/hostname"));
            if (content is not null)
            {
                Assert.Equal(content, await guest.TryReadTextAsync("/etc/imprint-claim"));
            }

            var machineId = (await guest.TryReadTextAsync("/etc/machine-id"))!.Trim();
            Assert.Equal(clone.Status!.MachineId, machineId);
            machineIds.Add(machineId);
            hostKeys.AddRange(clone.Status.SshHostKeys!.Select(k => k.Fingerprint));
            var check = await guest.CheckAsync();
            Assert.True(check.IsClean, check.Output);

            var reasons = E2eAssert.Events(cluster, Ns, name).Select(e => (string?)e["reason"]).ToList();
            Assert.Contains("Populating", reasons);
            var populated = Assert.Single(E2eAssert.Events(cluster, Ns, name), e => (string?)e["reason"] == "Populated");
            Assert.Contains($"machine-id {machineId}", E2eAssert.Note(populated), StringComparison.Ordinal);
            Assert.Contains($"hostname {hostname}", E2eAssert.Note(populated), StringComparison.Ordinal);
        }

        // CDI sees its claims Bound: the DataVolumes succeed.
        foreach (var dv in new[] { "solo", "root-0", "root-1", "root-2" })
        {
            await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get("cdi.kubevirt.io/v1beta1", "datavolumes", Ns, dv)),
                d => (string?)d["status"]?["phase"] == "Succeeded", $"DataVolume {dv} Succeeded");
        }

        Assert.Equal(5, machineIds.Distinct().Count());
        Assert.Equal(hostKeys.Count, hostKeys.Distinct().Count());
        Assert.Equal(goldenHash, await HashAsync(cluster.Simulator.DiskPath(Ns, "base-golden")));
        Assert.Empty(cluster.Simulator.Errors);
    }

    [Fact]
    public async Task Wait_for_first_consumer_claim_is_populated_on_its_selected_node_after_a_failed_attempt_is_reported_and_retried_from_the_golden()
    {
        // One retry per VmClone keeps the failure path short: a failed attempt, its retry failing too, the give-up.
        await using var cluster = await ImprintCluster.StartAsync(o => o.Agent.MaxRetries = 1);
        await cluster.ReadyGoldenImageAsync(Ns, "base");
        var goldenHash = await HashAsync(cluster.Simulator.DiskPath(Ns, "base-golden"));
        cluster.Simulator.CreateStorageClass("wffc", VolumeBindingMode.WaitForFirstConsumer);
        const string agentMessage = "debugfs: Input/output error while writing /etc/hostname";
        // Two failures: the VmClone's first attempt and its retry (from the golden), then its give-up, which the
        // populator answers with a new VmClone from the golden.
        cluster.Simulator.FailSteps(job => ((string?)job["metadata"]!["labels"]!["imprint.dev/owner"])?.StartsWith("db-0-", StringComparison.Ordinal) == true,
            "customize", 7, agentMessage, count: 2);
        var template = await cluster.CreateAsync(PopulatorObjects.CloneTemplate(Ns, "db", "base", new JsonObject { ["hostname"] = "{{ .claim.name }}" }));
        await cluster.CreateAsync(PopulatorObjects.Claim(Ns, "db-0", "db", storageClass: "wffc"));

        // No node chosen yet: nothing is made (a prime claim made now could land on another node than the VM).
        await cluster.WaitForAsync(async () => (await cluster.Client.GetAsync<V1Alpha1CloneTemplate>("db", Ns))?.Status, s => s.Conditions is not null, "template status");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Empty(PopulatingClones(cluster));
        Assert.DoesNotContain(cluster.Server.List("v1", "persistentvolumeclaims", Ns), c => ((string?)c["metadata"]!["name"])!.StartsWith("prime-", StringComparison.Ordinal));

        // The scheduler places the VM's pod and says where.
        cluster.Server.Patch("v1", "persistentvolumeclaims", Ns, "db-0", new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["volume.kubernetes.io/selected-node"] = "sim-node" } },
        });
        var claim = await WaitForBoundAsync(cluster, "db-0", seconds: 120);

        var uid = (string)claim["metadata"]!["uid"]!;
        var primes = cluster.History("PersistentVolumeClaim", Ns, $"prime-{uid}").Where(c => c.Type == "ADDED").Select(c => c.Object).ToList();
        Assert.NotEmpty(primes);
        Assert.All(primes, p => Assert.Equal("sim-node", (string?)p["metadata"]!["annotations"]!["volume.kubernetes.io/selected-node"]));
        Assert.All(primes, p => Assert.Equal("wffc", (string?)p["spec"]!["storageClassName"]));

        // Reported on the claim: each failed attempt, then the give-up and the fresh start.
        var warnings = E2eAssert.Events(cluster, Ns, "db-0", "Warning");
        var retrying = warnings.Where(e => (string?)e["reason"] == "PopulationRetrying").ToList();
        Assert.NotEmpty(retrying);
        Assert.All(retrying, e => Assert.Contains(agentMessage, E2eAssert.Note(e), StringComparison.Ordinal));
        var failed = Assert.Single(warnings, e => (string?)e["reason"] == "PopulationFailed");
        Assert.Contains("starting again from the golden image", E2eAssert.Note(failed), StringComparison.Ordinal);
        Assert.Equal(2, cluster.History("VmClone", Ns, (string)claim["metadata"]!["annotations"]!["imprint.dev/vmclone"]!)
            .Where(c => c.Type == "ADDED").Select(c => (string?)c.Object["metadata"]!["uid"]).Distinct().Count());

        var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, "db-0"));
        Assert.Equal("db-0\n", await guest.TryReadTextAsync("/etc/hostname"));
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);
        Assert.Equal(goldenHash, await HashAsync(cluster.Simulator.DiskPath(Ns, "base-golden")));

        // The template reports itself usable and what it uses.
        var status = (await cluster.Client.GetAsync<V1Alpha1CloneTemplate>("db", Ns))!.Status!;
        E2eAssert.Condition(status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Valid", (long?)template["metadata"]!["generation"]);
        Assert.Equal(["{{ .claim.name }}"], status.Placeholders);
    }

    [Fact]
    public async Task Claims_whose_template_renders_no_value_or_an_invalid_value_wait_with_a_warning_each_poll_and_a_fixed_claim_is_populated()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.CreateStorageClass("csi");
        await cluster.ReadyGoldenImageAsync(Ns, "base");
        var goldenRuns = cluster.Simulator.Runs.Count;
        await cluster.CreateAsync(PopulatorObjects.CloneTemplate(Ns, "named", "base", new JsonObject { ["hostname"] = "{{ .claim.labels[\"host\"] }}" }));

        // Rendered, but to a hostname the VmClone schema refuses (upper case, underscore); and a label that is missing.
        await cluster.CreateAsync(PopulatorObjects.Claim(Ns, "upper", "named", labels: new JsonObject { ["host"] = "Web_01" }));
        await cluster.CreateAsync(PopulatorObjects.Claim(Ns, "unlabelled", "named"));

        // Each is reported on its claim and retried every poll: the repeats fold into the Event's series.
        var invalid = await WaitForRepeatedEventAsync(cluster, "upper", "RenderedSpecInvalid");
        Assert.Equal("Warning", (string?)invalid["type"]);
        Assert.Contains("CloneTemplate named rendered for this claim is not a valid VmClone", E2eAssert.Note(invalid), StringComparison.Ordinal);
        Assert.Contains("spec.customize.hostname", E2eAssert.Note(invalid), StringComparison.Ordinal);
        Assert.Contains("Web_01", E2eAssert.Note(invalid), StringComparison.Ordinal);
        var notRendered = await WaitForRepeatedEventAsync(cluster, "unlabelled", "TemplateNotRendered");
        Assert.Equal("Warning", (string?)notRendered["type"]);
        Assert.Contains("CloneTemplate named: spec.customize.hostname: ", E2eAssert.Note(notRendered), StringComparison.Ordinal);
        Assert.Contains($"claim {Ns}/unlabelled has no label 'host'", E2eAssert.Note(notRendered), StringComparison.Ordinal);

        // Nothing was started for either: no VmClone, no prime claim, no agent Job; both claims stay Pending.
        foreach (var name in new[] { "upper", "unlabelled" })
        {
            await cluster.WaitForAsync(() => Task.FromResult(Claim(cluster, name)), c => (string?)c["status"]?["phase"] == "Pending", $"claim {name} Pending", 10);
        }

        Assert.DoesNotContain(cluster.Changes, c => (string?)c.Object["kind"] == "VmClone");
        Assert.DoesNotContain(cluster.Changes, c => (string?)c.Object["kind"] == "PersistentVolumeClaim"
            && ((string?)c.Object["metadata"]!["name"])!.StartsWith("prime-", StringComparison.Ordinal));
        Assert.Equal(goldenRuns, cluster.Simulator.Runs.Count);

        // The user adds the label: that claim is populated with the rendered hostname; the other still waits.
        cluster.Server.Patch("v1", "persistentvolumeclaims", Ns, "unlabelled", new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["host"] = "db-7" } },
        });
        await WaitForBoundAsync(cluster, "unlabelled", seconds: 60);

        var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, "unlabelled"));
        Assert.Equal("db-7\n", await guest.TryReadTextAsync("/etc/hostname"));
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);
        var populated = Assert.Single(E2eAssert.Events(cluster, Ns, "unlabelled"), e => (string?)e["reason"] == "Populated");
        Assert.Contains("hostname db-7", E2eAssert.Note(populated), StringComparison.Ordinal);

        Assert.False(PopulatorObjects.IsBound(Claim(cluster, "upper")!));
        var clones = cluster.Server.List("imprint.dev/v1alpha1", "vmclones", Ns);
        Assert.All(clones, c => Assert.Equal("unlabelled", (string?)c["metadata"]!["labels"]!["imprint.dev/claim"]));
        Assert.Empty(cluster.Simulator.Errors);
    }

    private static IReadOnlyList<JsonObject> PopulatingClones(ImprintCluster cluster) =>
        [.. cluster.Server.List("imprint.dev/v1alpha1", "vmclones", Ns).Where(c => c["metadata"]?["labels"]?["imprint.dev/claim"] is not null)];

    private static JsonObject? Claim(ImprintCluster cluster, string name) => cluster.Server.Get("v1", "persistentvolumeclaims", Ns, name);

    private static Task<JsonObject> WaitForBoundAsync(ImprintCluster cluster, string name, double seconds = 90) =>
        cluster.WaitForAsync(() => Task.FromResult(Claim(cluster, name)), PopulatorObjects.IsBound, $"claim {name} Bound", seconds);

    private static Task<JsonObject> WaitForEventAsync(ImprintCluster cluster, string claim, string reason) =>
        cluster.WaitForAsync(() => Task.FromResult(E2eAssert.Events(cluster, Ns, claim).FirstOrDefault(e => (string?)e["reason"] == reason)), _ => true, $"{reason} Event on {claim}", 30);

    /// <summary>An Event the populator recorded at least twice (its series counts the repeats).</summary>
    private static Task<JsonObject> WaitForRepeatedEventAsync(ImprintCluster cluster, string claim, string reason) =>
        cluster.WaitForAsync(() => Task.FromResult(E2eAssert.Events(cluster, Ns, claim).FirstOrDefault(e => (string?)e["reason"] == reason)),
            e => ((int?)e["series"]?["count"] ?? 1) >= 2, $"repeated {reason} Event on {claim}", 30);

    private static async Task<string> HashAsync(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexString(await SHA256.HashDataAsync(file));
    }
}
