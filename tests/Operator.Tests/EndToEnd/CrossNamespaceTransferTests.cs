using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Tests.EndToEnd.Support;
using Imprint.Operator.Tests.Integration.Support;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>A clone in another namespace than its golden: the disk streams between two agents over TLS with a one-time token.</summary>
public sealed class CrossNamespaceTransferTests
{
    [Fact]
    public async Task A_shared_golden_image_is_copied_across_namespaces_by_a_serving_and_a_receiving_agent()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.SeedPvc("images", "debian-disk", images.RawPath);
        await cluster.Client.CreateRawAsync(ResourceType.Of<V1Alpha1GoldenImage>(), new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "debian", ["namespace"] = "images" },
            ["spec"] = new JsonObject
            {
                ["source"] = new JsonObject { ["pvc"] = new JsonObject { ["name"] = "debian-disk" } },
                ["sharing"] = new JsonObject { ["namespaces"] = new JsonArray("vms") },
            },
        });
        await cluster.WaitForGoldenImageAsync("debian", "images", GoldenImagePhase.Ready);

        await cluster.Client.CreateRawAsync(ResourceType.Of<V1Alpha1VmClone>(), new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "app-01", ["namespace"] = "vms" },
            ["spec"] = new JsonObject
            {
                ["goldenImage"] = new JsonObject { ["name"] = "debian", ["namespace"] = "images" },
                ["target"] = new JsonObject { ["size"] = "512Mi" },
                ["customize"] = new JsonObject { ["hostname"] = "app-01" },
            },
        });
        var clone = await cluster.WaitForVmCloneAsync("app-01", "vms", VmClonePhase.Ready, seconds: 120);

        Assert.Equal(CloneStrategy.Copy, clone.Status!.CloneStrategy);
        Assert.Contains("another namespace", clone.Status.FallbackReason, StringComparison.Ordinal);
        var serve = Assert.Single(cluster.Simulator.Runs, r => r.Args.FirstOrDefault() == "serve");
        Assert.Equal("images", serve.Namespace);
        Assert.Equal(0, serve.ExitCode);

        // Two Jobs: the serving side next to the golden, and the clone's plan whose first step receives over https, so
        // customize and grow share the receiving pod.
        var jobs = cluster.Changes.Where(c => c.Type == "ADDED" && (string?)c.Object["kind"] == "Job"
            && (string?)c.Object["metadata"]?["labels"]?["imprint.dev/owner"] == "app-01").Select(c => (string)c.Object["metadata"]!["namespace"]!).ToList();
        Assert.Equal(["images", "vms"], jobs.Order(StringComparer.Ordinal).ToList());
        var plan = Assert.Single(cluster.Simulator.Runs, r => r.Namespace == "vms");
        Assert.Equal("run", plan.Args[0]);
        Assert.Equal(0, plan.ExitCode);
        Assert.Equal(["copy", "customize", "resize"], E2eAssert.PlanSteps(cluster, "vms", "app-01", 0));
        var receive = E2eAssert.Plan(cluster, "vms", "app-01", 0)[0].Args;
        Assert.Equal("clone", receive[0]);
        Assert.StartsWith("https://127.0.0.1:", receive[1], StringComparison.Ordinal);
        Assert.DoesNotContain(receive, a => a.Length == 64 && a.All(char.IsAsciiHexDigitLower));

        var disk = cluster.Simulator.DiskPath("vms", "app-01");
        Assert.Equal(512L << 20, new FileInfo(disk).Length);
        var guest = await GuestDisk.RootAsync(disk);
        Assert.Equal("app-01\n", await guest.TryReadTextAsync("/etc/hostname"));
        Assert.True((await guest.CheckAsync()).IsClean);

        // Nothing of the transfer is left in the golden's namespace once the clone is Ready.
        await cluster.WaitForAsync(
            () => Task.FromResult<object?>(cluster.Server.List("v1", "secrets", "images").Count == 0 && cluster.Server.List("batch/v1", "jobs", "images").Count == 0 ? "" : null),
            _ => true, "transfer objects removed from the golden's namespace");
    }

    [Fact]
    public async Task A_retried_cross_namespace_clone_serves_again_only_when_its_copy_must_be_redone()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, "kept"), "customize", 7, "ssh-keygen: cannot write to /tmp", count: 1, diskUnchanged: true);
        cluster.Simulator.FailSteps(job => E2eObjects.IsOwnedBy(job, "redone"), "customize", 7, "debugfs: Input/output error while writing /etc/hostname", count: 1);
        cluster.Simulator.SeedPvc("images", "debian-disk", images.RawPath);
        var golden = E2eObjects.GoldenImageFromPvc("images", "debian", "debian-disk");
        golden["spec"]!["sharing"] = new JsonObject { ["namespaces"] = new JsonArray("vms") };
        await cluster.CreateAsync(golden);
        await cluster.WaitForGoldenImageAsync("debian", "images", GoldenImagePhase.Ready);

        // One after the other: the node simulator's serving agents all listen on the host's port.
        await cluster.CreateAsync(E2eObjects.VmClone("vms", "kept", "debian", goldenNamespace: "images"));
        var kept = await cluster.WaitForVmCloneAsync("kept", "vms", VmClonePhase.Ready, seconds: 120);
        await cluster.CreateAsync(E2eObjects.VmClone("vms", "redone", "debian", goldenNamespace: "images"));
        var redone = await cluster.WaitForVmCloneAsync("redone", "vms", VmClonePhase.Ready, seconds: 120);

        // A customize that left the disk as it found it keeps the copy: the retry's plan starts at customize and
        // nothing is served again.
        Assert.Equal(["copy", "customize"], E2eAssert.PlanSteps(cluster, "vms", "kept", 0));
        Assert.Equal(["customize"], E2eAssert.PlanSteps(cluster, "vms", "kept", 1));
        Assert.Single(ServeJobs(cluster, "kept"));

        // One that may have written to it copies again, from a serving side of its own attempt.
        Assert.Equal(["copy", "customize"], E2eAssert.PlanSteps(cluster, "vms", "redone", 1));
        Assert.StartsWith("https://", E2eAssert.Plan(cluster, "vms", "redone", 1)[0].Args[1], StringComparison.Ordinal);
        Assert.Equal(2, ServeJobs(cluster, "redone").Distinct(StringComparer.Ordinal).Count());

        foreach (var clone in new[] { kept, redone })
        {
            var name = clone.Metadata.Name!;
            Assert.Equal(1, clone.Status!.RetryCount);
            Assert.NotNull(clone.Status.Durations?.CloneMs);
            var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath("vms", name));
            Assert.Equal($"{name}\n", await guest.TryReadTextAsync("/etc/hostname"));
            var check = await guest.CheckAsync();
            Assert.True(check.IsClean, check.Output);
        }
    }

    /// <summary>Names of the serving Jobs made in the golden's namespace for a clone.</summary>
    private static List<string> ServeJobs(ImprintCluster cluster, string owner) =>
        [.. cluster.Changes.Where(c => c.Type == "ADDED" && (string?)c.Object["kind"] == "Job" && (string?)c.Object["metadata"]?["namespace"] == "images"
            && (string?)c.Object["metadata"]?["labels"]?["imprint.dev/owner"] == owner).Select(c => (string)c.Object["metadata"]!["name"]!)];
}
