using System.Text.Json;
using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Resizing;

/// <summary>
/// <c>imprint resize</c> / <c>clone --size</c> on layouts beyond a GPT partition: a bare ext4 image (no partition
/// table) grows with its file, and a root in the last MBR logical partition grows with its extended container. Oracles:
/// e2fsck -fn and dumpe2fs at the filesystem's offset, sfdisk --json / --verify for the EBR chain, debugfs for content.
/// </summary>
public sealed class LayoutGrowthTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Bare_ext4_image_grows_with_its_file_and_stays_inspectable_sealable_and_customizable()
    {
        var disk = _temp.File("bare.img");
        var tree = GuestTrees.DebianLike(_temp.File("tree"));
        Sh.Run("mkfs.ext4", "-q", "-F", "-d", tree, disk, "32M");

        var (resizeExit, resize, _) = await CliRun.JsonAsync("resize", disk, "--size", "96M");
        var (sealExit, seal, _) = await CliRun.JsonAsync("seal", disk);
        var (customizeExit, customize, _) = await CliRun.JsonAsync("customize", disk, "--hostname", "bare-01");

        Assert.True(resizeExit == 0, resize.Error);
        Assert.Equal(96 * MiB, new FileInfo(disk).Length);
        Assert.Equal(0, resize.Resize!.Partition); // the whole disk
        Assert.Equal(96 * MiB, GrowthOracle.FileSystemBytes(disk, 0)); // dumpe2fs: the filesystem fills the file
        Assert.Equal(resize.Resize.NewFilesystemSize, GrowthOracle.FileSystemBytes(disk, 0));
        Assert.True(sealExit == 0, seal.Error);
        Assert.True(customizeExit == 0, customize.Error);
        Sh.AssertFsckClean(disk, 0);
        Assert.Equal("bare-01\n", Sh.DebugfsCat(disk, 0, "/etc/hostname"));
        Assert.Contains("File not found", Sh.RunResult("debugfs", ["-R", "stat /root/.bash_history", disk]).StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clone_of_a_bare_ext4_image_to_a_larger_size_grows_the_filesystem()
    {
        var source = _temp.File("bare.img");
        Sh.Run("mkfs.ext4", "-q", "-F", "-d", GuestTrees.DebianLike(_temp.File("tree")), source, "32M");
        var target = _temp.File("clone.img");

        var (exit, clone, _) = await CliRun.JsonAsync("clone", source, target, "--size", "64M");

        Assert.True(exit == 0, clone.Error);
        Assert.Equal(64 * MiB, GrowthOracle.FileSystemBytes(target, 0));
        Assert.Equal(32 * MiB, GrowthOracle.FileSystemBytes(source, 0)); // the source is untouched
        Sh.AssertFsckClean(target, 0);
    }

    [Fact]
    public async Task Root_in_the_last_mbr_logical_partition_grows_with_its_extended_container()
    {
        var disk = _temp.File("logical.img");
        TestDisks.CreateSparse(disk, 64 * MiB);
        Sh.RunResult("sfdisk", ["--no-reread", "--no-tell-kernel", disk], stdin: "label: dos\n,8MiB,83\n,,5\n,8MiB,82\n,,83\n");
        var offset = TestDisks.MakeExt(disk, 6, "ext4", GuestTrees.DebianLike(_temp.File("tree")));
        var (_, before) = TestDisks.PartitionRange(disk, 6);

        var (inspectExit, inspect, _) = await CliRun.JsonAsync("inspect", disk);
        var (exit, resize, _) = await CliRun.JsonAsync("resize", disk, "--size", "128M");

        Assert.Equal(0, inspectExit);
        Assert.Equal(6, inspect.Guest!.RootPartition);
        Assert.True(exit == 0, resize.Error);
        Assert.Equal(6, resize.Resize!.Partition);
        Assert.Equal(0, Sh.RunResult("sfdisk", ["--verify", disk], accept: [0, 1]).ExitStatus);
        using var doc = JsonDocument.Parse(Sh.Run("sfdisk", "--json", disk));
        var partitions = doc.RootElement.GetProperty("partitiontable").GetProperty("partitions").EnumerateArray()
            .ToDictionary(p => p.GetProperty("node").GetString()![disk.Length..], p => (Start: p.GetProperty("start").GetInt64(), Size: p.GetProperty("size").GetInt64()));
        Assert.Equal(["1", "2", "5", "6"], partitions.Keys.Order().ToArray());
        Assert.Equal(128 * MiB / 512, partitions["2"].Start + partitions["2"].Size); // the container reaches the disk end
        Assert.Equal(128 * MiB / 512, partitions["6"].Start + partitions["6"].Size); // and so does the root inside it
        Assert.Equal(offset / 512, partitions["6"].Start);
        var (_, after) = TestDisks.PartitionRange(disk, 6);
        Assert.Equal(before + (64 * MiB), after);
        Sh.AssertFsckClean(disk, offset);
        Assert.Equal(after, GrowthOracle.FileSystemBytes(disk, offset));
        Assert.Contains("Debian", Sh.DebugfsCat(disk, offset, "/etc/os-release"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_in_a_logical_partition_followed_by_another_is_refused_with_nothing_written()
    {
        var disk = _temp.File("logical.img");
        TestDisks.CreateSparse(disk, 64 * MiB);
        Sh.RunResult("sfdisk", ["--no-reread", "--no-tell-kernel", disk], stdin: "label: dos\n,8MiB,83\n,,5\n,24MiB,83\n,8MiB,82\n");
        TestDisks.MakeExt(disk, 5, "ext4", GuestTrees.DebianLike(_temp.File("tree")));
        var hash = Sh.Sha256(disk);

        var (exit, resize, _) = await CliRun.JsonAsync("resize", disk, "--size", "128M");

        Assert.Equal((int)ExitCode.Conflict, exit);
        Assert.Contains("logical partition 5 is followed by logical partition 6", resize.Error, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(disk)); // refused while planning: the file did not even grow
    }
}
