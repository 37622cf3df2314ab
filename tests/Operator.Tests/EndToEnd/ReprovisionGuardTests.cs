using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Tests.EndToEnd.Support;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// ProvisionTargetPhase's guard for a claim that is still Terminating: a retry deletes the driver-filled claim, and
/// on a real cluster the claim outlives its DELETE while a finalizer holds it (pvc-protection, or another
/// controller's). The operator must wait for it to go rather than treat it as its new claim or create one beside it.
/// </summary>
public sealed class ReprovisionGuardTests
{
    private const string Ns = "vms";
    private const string Hold = "test.imprint.dev/hold";

    [Fact]
    public async Task A_retry_waits_while_the_old_claim_is_terminating_and_provisions_a_new_one_once_it_is_gone()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        await cluster.ReadyGoldenImageAsync(Ns, "base");
        cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, "web"), "resize", 7, "resize2fs: Input/output error", count: 1);
        var held = 0;
        cluster.Server.Changed += (_, change) =>
        {
            // Another controller's finalizer lands on the first claim as soon as it exists.
            var meta = change.Object["metadata"];
            if (change.Type == "ADDED" && (string?)change.Object["kind"] == "PersistentVolumeClaim" && (string?)meta?["namespace"] == Ns
                && (string?)meta?["name"] == "web" && Interlocked.Exchange(ref held, 1) == 0)
            {
                var finalizers = new JsonArray([.. (meta?["finalizers"] as JsonArray ?? []).Select(f => f?.DeepClone()), JsonValue.Create(Hold)]);
                cluster.Server.Patch("v1", "persistentvolumeclaims", Ns, "web", new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = finalizers } });
            }
        };
        var manifest = E2eObjects.VmClone(Ns, "web", "base");
        manifest["spec"]!["target"] = new JsonObject { ["size"] = "128Mi" };

        await cluster.CreateAsync(manifest);
        await cluster.WaitForAsync(() => cluster.VmCloneAsync("web", Ns),
            c => c.Status?.Conditions?.Any(x => x.Message?.Contains("waiting for the old PVC web to go", StringComparison.Ordinal) == true) == true,
            "the retry waiting for the old claim");
        var terminating = cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "web")!;
        var claimsWhileHeld = E2eAssert.ClaimIncarnations(cluster, Ns, "web").Distinct().Count();
        // Released: pvc-protection already let go (no pod uses the claim), so only the hold keeps it.
        var remaining = new JsonArray([.. (terminating["metadata"]!["finalizers"] as JsonArray ?? []).Where(f => (string?)f != Hold).Select(f => f?.DeepClone())]);
        cluster.Server.Patch("v1", "persistentvolumeclaims", Ns, "web", new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = remaining } });
        var clone = await cluster.WaitForVmCloneAsync("web", Ns, VmClonePhase.Ready);

        Assert.NotNull(terminating["metadata"]!["deletionTimestamp"]);
        Assert.Equal([Hold], terminating["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
        Assert.Equal(1, claimsWhileHeld);
        Assert.Equal(2, E2eAssert.ClaimIncarnations(cluster, Ns, "web").Distinct().Count());
        Assert.Equal("1", (string?)cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "web")!["metadata"]!["annotations"]!["imprint.dev/attempt"]);
        Assert.Equal(1, clone.Status!.RetryCount);
    }
}
