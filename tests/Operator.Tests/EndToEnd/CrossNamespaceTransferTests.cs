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
        var receive = Assert.Single(cluster.Simulator.Runs, r => r.Args.FirstOrDefault() == "clone");
        Assert.Equal("vms", receive.Namespace);
        Assert.StartsWith("https://127.0.0.1:", receive.Args[1], StringComparison.Ordinal);
        Assert.DoesNotContain(receive.Args, a => a.Length == 64 && a.All(char.IsAsciiHexDigitLower));

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
}
