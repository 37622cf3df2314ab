using System.Text.Json.Nodes;
using Imprint.Operator.Controllers.CloneTemplates;
using Imprint.Operator.Tests.EndToEnd.Support;
using Imprint.Operator.Tests.Runtime.Support;
using k8s.Models;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// The populator's life around a claim: woken by its template's creation (not by a poll), protected by
/// <c>imprint.dev/populate-target-protection</c> while it is populated, and cleaned up when deleted mid-way; the
/// rebind is checked against the simulator's PersistentVolume objects.
/// </summary>
public sealed class CloneTemplatePopulatorLifecycleTests
{
    private const string Ns = "vms";

    [Fact]
    public async Task Claim_waiting_for_its_template_starts_populating_when_the_template_is_created_without_any_timer_firing()
    {
        // The operator's clock never moves: every requeue and backoff timer stays armed and unfired, so only a watch
        // event can bring the claim back. No golden image is needed to see the population start.
        var clock = new FakeClock();
        var started = clock.GetUtcNow();
        await using var cluster = await ImprintCluster.StartAsync(time: clock);
        cluster.Simulator.CreateStorageClass("csi");
        await cluster.CreateAsync(PopulatorObjects.Claim(Ns, "web-0", "web"));
        await cluster.WaitForAsync(() => Task.FromResult(E2eAssert.Events(cluster, Ns, "web-0").FirstOrDefault(e => (string?)e["reason"] == "CloneTemplateNotFound")),
            _ => true, "CloneTemplateNotFound on web-0", 30);
        Assert.True(clock.PendingTimers > 0, "the waiting claim armed no poll timer");

        await cluster.CreateAsync(PopulatorObjects.CloneTemplate(Ns, "web", "base", new JsonObject { ["hostname"] = "{{ .claim.name }}" }));

        var claim = await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "web-0")),
            c => c["metadata"]?["annotations"]?[PopulationNames.VmCloneAnnotation] is not null, "web-0 annotated with its VmClone", 30);
        var cloneName = (string)claim["metadata"]!["annotations"]![PopulationNames.VmCloneAnnotation]!;
        var clone = await cluster.VmCloneAsync(cloneName, Ns);
        Assert.NotNull(clone);
        Assert.Equal($"prime-{(string)claim["metadata"]!["uid"]!}", clone.Spec.Target!.PvcName);
        await cluster.WaitForAsync(() => Task.FromResult(E2eAssert.Events(cluster, Ns, "web-0").FirstOrDefault(e => (string?)e["reason"] == "Populating")),
            _ => true, "Populating on web-0", 10);
        Assert.Equal(0, clock.FiredTimers);
        Assert.Equal(started, clock.GetUtcNow());
    }

    [Fact]
    public async Task Claim_deleted_mid_population_goes_only_after_its_vm_clone_and_prime_claim_and_a_populated_claim_is_bound_to_the_prime_volume_without_the_finalizer()
    {
        // A failed attempt waits a minute for its retry: the doomed claim's population stays mid-way, its prime claim
        // Bound to a volume, for as long as the test needs.
        await using var cluster = await ImprintCluster.StartAsync(o =>
        {
            o.Agent.RetryBackoffSeconds = 60;
            o.Agent.RetryBackoffMaxSeconds = 60;
        });
        cluster.Simulator.CreateStorageClass("csi");
        await cluster.ReadyGoldenImageAsync(Ns, "base");
        cluster.Simulator.FailSteps(job => ((string?)job["metadata"]!["labels"]!["imprint.dev/owner"])?.StartsWith("doomed-", StringComparison.Ordinal) == true,
            "customize", 7, "debugfs: Input/output error", count: 1);
        await cluster.CreateAsync(PopulatorObjects.CloneTemplate(Ns, "web", "base", new JsonObject { ["hostname"] = "{{ .claim.name }}" }));
        await cluster.CreateAsync(PopulatorObjects.Claim(Ns, "kept", "web"));
        var doomed = await cluster.CreateAsync(PopulatorObjects.Claim(Ns, "doomed", "web"));
        var doomedUid = (string)doomed["metadata"]!["uid"]!;

        // Mid-way: the attempt failed, the prime claim holds a provisioned volume, the claim carries the finalizer.
        await cluster.WaitForAsync(() => Task.FromResult(E2eAssert.Events(cluster, Ns, "doomed").FirstOrDefault(e => (string?)e["reason"] == "PopulationRetrying")),
            _ => true, "PopulationRetrying on doomed", 60);
        var prime = cluster.Server.Get("v1", "persistentvolumeclaims", Ns, $"prime-{doomedUid}");
        Assert.True(PopulatorObjects.IsBound(prime), $"prime claim not Bound: {prime}");
        var primeVolume = (string)prime!["spec"]!["volumeName"]!;
        Assert.NotNull(cluster.Server.Get("v1", "persistentvolumes", null, primeVolume));
        Assert.Contains(PopulationCleanupFinalizer.Name, Finalizers(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "doomed")));
        var cloneName = PopulationNames.VmClone(new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "doomed", Uid = doomedUid } });
        Assert.NotNull(await cluster.VmCloneAsync(cloneName, Ns));

        await cluster.Client.DeleteAsync<V1PersistentVolumeClaim>("doomed", Ns);

        // The claim is gone only after what population made for it: at that moment VmClone and prime claim are gone too.
        await cluster.WaitForAsync(() => Task.FromResult<object?>(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "doomed") is null ? "gone" : null), _ => true, "doomed deleted", 60);
        Assert.Null(cluster.Server.Get("imprint.dev/v1alpha1", "vmclones", Ns, cloneName));
        Assert.Null(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, $"prime-{doomedUid}"));
        var doomedHistory = cluster.History("PersistentVolumeClaim", Ns, "doomed");
        var deleting = doomedHistory.Select(c => c.Object).Where(o => o["metadata"]?["deletionTimestamp"] is not null).ToList();
        Assert.NotEmpty(deleting);
        Assert.Contains(PopulationCleanupFinalizer.Name, Finalizers(deleting[0]));

        // The prime claim's volume is reclaimed (Delete) with its data: no PersistentVolume is left naming either claim.
        await cluster.WaitForAsync(() => Task.FromResult<object?>(cluster.Server.Get("v1", "persistentvolumes", null, primeVolume) is null ? "gone" : null), _ => true, "prime volume deleted", 30);
        Assert.DoesNotContain(cluster.Server.List("v1", "persistentvolumes"), v => (string?)v["spec"]?["claimRef"]?["name"] is { } n && (n == "doomed" || n == $"prime-{doomedUid}"));
        Assert.False(Directory.Exists(Path.Combine(cluster.Root, "node", "volumes", Ns, $"prime-{doomedUid}")), "the prime volume's data was left behind");

        // The other claim: Bound to the volume provisioned for its prime claim, rebound by claimRef, reclaim policy as provisioned.
        var kept = await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "kept")), PopulatorObjects.IsBound, "kept Bound", 90);
        var keptUid = (string)kept["metadata"]!["uid"]!;
        var volumeName = (string)kept["spec"]!["volumeName"]!;
        var volume = cluster.Server.Get("v1", "persistentvolumes", null, volumeName)!;
        Assert.Equal($"pvc-{cluster.History("PersistentVolumeClaim", Ns, $"prime-{keptUid}").Select(c => (string?)c.Object["metadata"]!["uid"]).First()}", volumeName);
        Assert.Equal(keptUid, (string?)volume["spec"]!["claimRef"]!["uid"]);
        Assert.Equal("kept", (string?)volume["spec"]!["claimRef"]!["name"]);
        Assert.Equal("Delete", (string?)volume["spec"]!["persistentVolumeReclaimPolicy"]);
        Assert.Equal("Bound", (string?)volume["status"]!["phase"]);
        Assert.Contains(cluster.History("PersistentVolumeClaim", Ns, "kept").Select(c => c.Object),
            o => !PopulatorObjects.IsBound(o) && Finalizers(o).Contains(PopulationCleanupFinalizer.Name));
        await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "kept")),
            c => !Finalizers(c).Contains(PopulationCleanupFinalizer.Name), "finalizer off the Bound claim", 30);
        var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, "kept"));
        Assert.Equal("kept\n", await guest.TryReadTextAsync("/etc/hostname"));
        Assert.Empty(cluster.Simulator.Errors);
    }

    private static List<string> Finalizers(JsonObject? obj) =>
        [.. (obj?["metadata"]?["finalizers"] as JsonArray ?? []).Select(f => (string?)f ?? "")];
}
