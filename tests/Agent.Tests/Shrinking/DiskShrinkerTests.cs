using System.Security.Cryptography;
using Imprint.Agent.Errors;
using Imprint.Agent.Shrinking;
using Imprint.Agent.Tests.Cli;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Shrinking;

/// <summary>imprint shrink on real images; e2fsck -fn, sgdisk -v and debugfs are the oracles.</summary>
public sealed class DiskShrinkerTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Gpt_golden_of_2_GiB_holding_700_MiB_shrinks_near_its_minimum_then_grows_to_8_GiB_with_its_files_intact()
    {
        // Arrange: the issue's case — 2 GiB GPT disk (BIOS boot + root), ~700 MiB of incompressible files in the root.
        var tree = GuestTrees.DebianLike(_temp.File("tree"));
        var blobs = WriteBlobs(tree, count: 7, bytes: 100 * MiB);
        var disk = _temp.File("golden.raw");
        TestDisks.CreateGpt(disk, 2048, new PartitionSpec(1, "ef02"), new PartitionSpec(0, "8300", "root"));
        var offset = TestDisks.MakeExt(disk, 2, tree: tree);

        // Act
        var (exit, result, stderr) = await CliRun.JsonAsync("shrink", disk);

        // Assert: sizes as reported and as the file is; the tools find table and filesystem clean; files read back.
        Assert.True(exit == 0, stderr + result.Error);
        var shrink = result.Shrink!;
        var length = new FileInfo(disk).Length;
        Assert.Equal(2048 * MiB, shrink.OldDiskSize);
        Assert.Equal(shrink.NewDiskSize, length);
        Assert.True(shrink.MinimumDiskSize <= shrink.NewDiskSize && shrink.NewDiskSize <= shrink.MinimumDiskSize + DiskShrinker.MaximumMarginBytes + (2 * MiB), $"new {shrink.NewDiskSize} is not near the minimum {shrink.MinimumDiskSize}");
        Assert.True(shrink.NewFilesystemSize >= 700 * MiB, "a filesystem holding 700 MiB cannot be smaller");
        Assert.Equal(DiskShrinker.MaximumMarginBytes, shrink.MarginBytes); // 10% of a 1.3 GiB minimum is above the cap
        Assert.Equal(shrink.MinimumFilesystemSize + shrink.MarginBytes, shrink.NewFilesystemSize);
        Assert.Equal(0, length % MiB); // 1 MiB aligned, like partitioning tools leave disks
        Sh.AssertGptValid(disk);
        Sh.AssertFsckClean(disk, offset);
        var (start, partLength) = TestDisks.PartitionRange(disk, 2);
        Assert.Equal(offset, start);
        Assert.True(start + partLength >= offset + shrink.NewFilesystemSize, "the partition must still hold the filesystem");
        Assert.True(start + partLength <= length - (33 * 512), "the backup GPT must fit after the partition");
        AssertFilesIntact(disk, offset, blobs);

        // A clone below the minimum is refused before anything is written.
        var small = _temp.File("small.raw");
        var (refused, _, _) = await CliRun.JsonAsync("clone", disk, small, "--size", (shrink.NewDiskSize - MiB).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((int)ExitCode.Conflict, refused);
        Assert.False(File.Exists(small));

        // Grown back to 8 GiB: the same oracles pass.
        var (grown, _, growErr) = await CliRun.JsonAsync("resize", disk, "--size", "8G");
        Assert.True(grown == 0, growErr);
        Assert.Equal(8192 * MiB, new FileInfo(disk).Length);
        Sh.AssertGptValid(disk);
        Sh.AssertFsckClean(disk, offset);
        AssertFilesIntact(disk, offset, blobs);
    }

    [Fact]
    public async Task Mbr_root_shrinks_and_dry_run_before_it_wrote_nothing_and_predicted_the_sizes()
    {
        var tree = GuestTrees.DebianLike(_temp.File("tree"));
        var blobs = WriteBlobs(tree, count: 1, bytes: 20 * MiB);
        var disk = _temp.File("mbr.raw");
        TestDisks.CreateMbr(disk, 400, (0, "83"));
        var offset = TestDisks.MakeExt(disk, 1, tree: tree);
        var hash = Sh.Sha256(disk);

        var (dryExit, dry, _) = await CliRun.JsonAsync("shrink", "--dry-run", disk);
        var unchanged = Sh.Sha256(disk);
        var (exit, real, stderr) = await CliRun.JsonAsync("shrink", disk);

        Assert.Equal(0, dryExit);
        Assert.Equal(hash, unchanged);
        Assert.True(dry.Shrink!.DryRun);
        Assert.True(exit == 0, stderr + real.Error);
        Assert.Equal(dry.Shrink with { DryRun = false }, real.Shrink);
        Assert.Equal(real.Shrink!.NewDiskSize, new FileInfo(disk).Length);
        Assert.True(real.Shrink.NewDiskSize < 400 * MiB);
        var (start, partLength) = TestDisks.PartitionRange(disk, 1);
        Assert.Equal(real.Shrink.NewDiskSize, start + partLength); // the MBR partition ends where the disk now ends
        Assert.Empty(Sh.RunResult("sfdisk", ["--verify", disk]).StandardError.Trim());
        Sh.AssertFsckClean(disk, offset);
        AssertFilesIntact(disk, offset, blobs);
    }

    [Fact]
    public async Task Bare_ext_image_shrinks_to_its_filesystem()
    {
        var tree = GuestTrees.DebianLike(_temp.File("tree"));
        var blobs = WriteBlobs(tree, count: 1, bytes: 10 * MiB);
        var disk = _temp.File("bare.ext4");
        TestDisks.CreateSparse(disk, 300 * MiB);
        Sh.Run("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree, disk);

        var (exit, result, stderr) = await CliRun.JsonAsync("shrink", disk);

        Assert.True(exit == 0, stderr + result.Error);
        Assert.Null(result.Shrink!.Partition);
        Assert.Equal(result.Shrink.NewFilesystemSize, new FileInfo(disk).Length);
        Assert.True(result.Shrink.NewDiskSize < 300 * MiB);
        Sh.AssertFsckClean(disk, 0);
        AssertFilesIntact(disk, 0, blobs);
    }

    [Fact]
    public async Task Root_followed_by_another_partition_is_refused_and_the_disk_is_untouched()
    {
        var disk = _temp.File("swap-after.raw");
        TestDisks.CreateGpt(disk, 96, new PartitionSpec(64, "8300", "root"), new PartitionSpec(0, "8200", "swap"));
        TestDisks.MakeExt(disk, 1, tree: GuestTrees.DebianLike(_temp.File("tree")));
        var hash = Sh.Sha256(disk);

        var (exit, result, _) = await CliRun.JsonAsync("shrink", disk);

        Assert.Equal((int)ExitCode.Conflict, exit);
        Assert.Contains("not the last partition", result.Error, StringComparison.Ordinal);
        Assert.Contains("partition 2", result.Error, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(disk));
    }

    [Fact]
    public async Task Xfs_is_refused_as_unsupported_and_the_disk_is_untouched()
    {
        var disk = _temp.File("xfs.img");
        TestDisks.CreateSparse(disk, 320 * MiB);
        Sh.Run("mkfs.xfs", "-q", "-f", disk);
        var hash = Sh.Sha256(disk);

        var (exit, result, _) = await CliRun.JsonAsync("shrink", disk);

        Assert.Equal((int)ExitCode.Unsupported, exit);
        Assert.Contains("shrink unsupported for xfs", result.Error, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(disk));
    }

    [Fact]
    public async Task Lvm_root_is_refused_as_unsupported_and_the_disk_is_untouched()
    {
        var seed = Fuzz.LvmSeedImage.Build(_temp);
        var disk = _temp.File("lvm-root.raw");
        File.WriteAllBytes(disk, seed.Bytes);
        var hash = Sh.Sha256(disk);

        var (exit, result, _) = await CliRun.JsonAsync("shrink", disk);

        Assert.Equal((int)ExitCode.Unsupported, exit);
        Assert.Contains("shrink unsupported for LVM", result.Error, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(disk));
    }

    private static Dictionary<string, string> WriteBlobs(string tree, int count, long bytes)
    {
        var blobs = new Dictionary<string, string>(StringComparer.Ordinal);
        var random = new Random(700);
        var buffer = new byte[MiB];
        for (var i = 0; i < count; i++)
        {
            var relative = $"srv/blob{i}";
            var path = Path.Combine(tree, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var stream = File.Create(path))
            {
                for (long done = 0; done < bytes; done += buffer.Length)
                {
                    random.NextBytes(buffer);
                    stream.Write(buffer);
                    hash.AppendData(buffer);
                }
            }

            blobs["/" + relative] = Convert.ToHexString(hash.GetHashAndReset());
        }

        return blobs;
    }

    /// <summary>debugfs (not our code) dumps each file; its hash must be the one written.</summary>
    private void AssertFilesIntact(string disk, long offset, Dictionary<string, string> blobs)
    {
        Assert.Equal("golden\n", Sh.DebugfsCat(disk, offset, "/etc/hostname"));
        foreach (var (guestPath, expected) in blobs)
        {
            var dumped = _temp.File("dumped");
            File.Delete(dumped);
            Sh.Run("debugfs", "-R", $"dump {guestPath} {dumped}", $"{disk}?offset={offset}");
            Assert.Equal(expected, Sh.Sha256(dumped));
        }
    }
}
