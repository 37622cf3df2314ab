using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Tests.EndToEnd.Support;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// A GoldenImage without spec.storage.size is sized from its image, not from the claim the image sits in: the source
/// is measured read-only first (virtual size of a qcow2, not its file length), and status shows the size as a
/// quantity and records the sealed disk's fingerprint.
/// </summary>
public sealed class GoldenImageSizingTests
{
    private const string Ns = "images";

    [Fact]
    public async Task Golden_claim_is_sized_from_the_source_images_virtual_size_not_from_the_source_claim()
    {
        var images = await SampleImages.GetAsync();
        await using var cluster = await ImprintCluster.StartAsync();
        // A 64 MiB disk as a smaller qcow2 file, in a 4 GiB claim (the issue: 2 GiB image, 42 GiB asked).
        cluster.Simulator.SeedPvc(Ns, "upload", images.QcowPath, capacity: 4L << 30);
        await cluster.CreateAsync(E2eObjects.GoldenImageFromPvc(Ns, "base", "upload"));

        var golden = await cluster.WaitForGoldenImageAsync("base", Ns, GoldenImagePhase.Ready);

        var virtualSize = new FileInfo(images.RawPath).Length;
        Assert.True(new FileInfo(images.QcowPath).Length < virtualSize);
        var status = golden.Status!;
        Assert.Equal(virtualSize, status.VirtualSize);
        Assert.Equal("64Mi", status.Size);
        var claim = cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "base-golden")!;
        Assert.Equal(DiskSizing.Format(DiskSizing.ClaimBytes(virtualSize, VolumeMode.Filesystem, 0.055)), (string?)claim["spec"]!["resources"]!["requests"]!["storage"]);
        Assert.Equal("68Mi", (string?)claim["spec"]!["resources"]!["requests"]!["storage"]);
        var runs = E2eAssert.Runs(cluster, Ns, "base");
        Assert.Equal(["base-measure-a0", "base-plan-a0"], runs.Select(r => r.Job));
        Assert.Contains("/disks/source/disk.img", runs[0].Args);

        // The fingerprint is the sealed disk's, by sha256sum of its first and last MiB.
        var disk = cluster.Simulator.DiskPath(Ns, "base-golden");
        Assert.Equal(virtualSize, status.Fingerprint!.Size);
        Assert.Equal(await Sha256Async("head", disk), status.Fingerprint.Head);
        Assert.Equal(await Sha256Async("tail", disk), status.Fingerprint.Tail);
    }

    private static async Task<string> Sha256Async(string end, string disk)
    {
        var (exit, output) = await GuestDisk.RunAsync("sh", "-c", $"{end} -c 1048576 '{disk}' | sha256sum");
        Assert.Equal(0, exit);
        return output.Split(' ')[0];
    }
}
