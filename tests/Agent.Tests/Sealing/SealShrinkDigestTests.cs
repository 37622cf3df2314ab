using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Sealing;

public sealed class SealShrinkDigestTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Seal_with_shrink_records_the_digest_of_the_final_shrunk_disk()
    {
        var disk = _temp.File("golden.raw");
        TestDisks.CreateGpt(disk, 256, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        var offset = TestDisks.MakeExt(disk, 2, tree: GuestTrees.DebianLike(_temp.File("tree")));

        var (exit, result, stderr) = await CliRun.JsonAsync("seal", "--shrink", disk);

        Assert.True(exit == 0, stderr + result.Error);
        Assert.Equal(new FileInfo(disk).Length, result.Shrink!.NewDiskSize);
        Assert.True(result.Shrink.NewDiskSize < 256 * MiB);
        Assert.Equal("sha256:" + Sh.Run("sha256sum", disk).Split(' ')[0], result.Digest!.Digest);
        Assert.Equal(result.Shrink.NewDiskSize, result.Digest.DiskSize);
        Assert.Equal(string.Empty, Sh.DebugfsCat(disk, offset, "/etc/machine-id")); // sealed before it shrank
        Sh.AssertGptValid(disk);
        Sh.AssertFsckClean(disk, offset);
    }

    [Fact]
    public async Task Plain_seal_records_the_digest_and_a_dry_run_records_none()
    {
        var disk = _temp.File("golden.raw");
        TestDisks.CreateGpt(disk, 48, new PartitionSpec(0));
        TestDisks.MakeExt(disk, 1, tree: GuestTrees.DebianLike(_temp.File("tree")));

        var (_, dry, _) = await CliRun.JsonAsync("seal", "--dry-run", disk);
        var (exit, result, stderr) = await CliRun.JsonAsync("seal", disk);

        Assert.Null(dry.Digest);
        Assert.True(exit == 0, stderr + result.Error);
        Assert.Null(result.Shrink);
        Assert.Equal(48 * MiB, new FileInfo(disk).Length);
        Assert.Equal("sha256:" + Sh.Run("sha256sum", disk).Split(' ')[0], result.Digest!.Digest);
    }
}
