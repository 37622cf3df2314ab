using Imprint.Agent.Disk;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.FileSystems;

public sealed class FileSystemProbeTests
{
    [Fact]
    public void Identifies_each_partition_of_a_mixed_disk_like_blkid_without_writing()
    {
        using var dir = new TempDirectory();
        var disk = dir.File("disk.img");
        TestDisks.CreateGpt(disk, 100, new PartitionSpec(40, "EF00"), new PartitionSpec(16, "8200"), new PartitionSpec(32), new PartitionSpec(8));
        var parts = Enumerable.Range(1, 4).Select(n => TestDisks.PartitionRange(disk, n)).Select(p => new ByteRange(p.Offset, p.Length)).ToArray();
        PlaceFat(dir, disk, parts[0]);
        PlaceSwap(dir, disk, parts[1]);
        TestDisks.MakeExt(disk, 3, "ext4", null, "-L", "root");
        var before = Sh.Sha256(disk);

        // Probed through a writable handle: a read-only one could never show a stray write.
        DetectedFileSystem?[] found;
        DetectedFileSystem? whole;
        using (var writable = DiskImage.OpenWrite(disk))
        {
            found = parts.Select(p => FileSystemProbe.Probe(writable, p)).ToArray();
            whole = FileSystemProbe.Probe(writable, writable.WholeDisk);
        }

        Assert.Equal(before, Sh.Sha256(disk));
        Assert.Equal(FileSystemKind.Vfat, found[0]?.Kind);
        Assert.Equal(FileSystemKind.Swap, found[1]?.Kind);
        Assert.Equal(FileSystemKind.Ext4, found[2]?.Kind);
        Assert.Null(found[3]);
        for (var i = 0; i < parts.Length; i++)
        {
            BlkidOracle.AssertAgrees(disk, parts[i].Offset, parts[i].Length, found[i]);
        }

        // The whole disk holds a partition table, not a filesystem: blkid prints PTTYPE but no TYPE.
        Assert.Null(whole);
        Assert.Equal("gpt", BlkidOracle.AssertAgrees(disk, 0, new FileInfo(disk).Length, whole)["PTTYPE"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(512)]
    [InlineData(1500)]
    [InlineData(2047)]
    public void Returns_null_without_throwing_when_the_range_is_too_small_to_hold_metadata(long length)
    {
        using var dir = new TempDirectory();
        var disk = dir.File("disk.img");
        var partition = ProbeImages.CreateDisk(disk, 16);
        TestDisks.MakeExt(disk, 1, "ext4");

        var found = ProbeImages.Probe(disk, new ByteRange(partition.Offset, length));

        Assert.Null(found);
    }

    [Fact]
    public void Returns_null_for_a_range_running_past_the_end_of_the_disk()
    {
        using var dir = new TempDirectory();
        var disk = dir.File("disk.img");
        TestDisks.CreateSparse(disk, 4 * TestDisks.MiB);

        var found = ProbeImages.Probe(disk, new ByteRange(4 * TestDisks.MiB - 2048, TestDisks.MiB));

        Assert.Null(found);
    }

    [Fact]
    public void Returns_null_for_random_bytes_like_blkid()
    {
        using var dir = new TempDirectory();
        var disk = dir.File("disk.img");
        var partition = ProbeImages.CreateDisk(disk, 4);
        var noise = new byte[256 * 1024];
        new Random(1234).NextBytes(noise);
        using (var image = DiskImage.OpenWrite(disk))
        {
            image.Write(partition.Offset, noise);
        }

        var found = ProbeImages.Probe(disk, partition);

        Assert.Null(found);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    private static void PlaceFat(TempDirectory dir, string disk, ByteRange range)
    {
        var fs = dir.File("fat.img");
        TestDisks.CreateSparse(fs, range.Length);
        Sh.Run("mkfs.vfat", "-F", "32", "-n", "ESP", fs);
        ProbeImages.CopyInto(disk, range, fs);
    }

    private static void PlaceSwap(TempDirectory dir, string disk, ByteRange range)
    {
        var fs = dir.File("swap.img");
        TestDisks.CreateSparse(fs, range.Length);
        Sh.Run("mkswap", "-L", "swap", fs);
        ProbeImages.CopyInto(disk, range, fs);
    }
}
