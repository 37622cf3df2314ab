using Imprint.Agent.FileSystems;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.FileSystems;

public sealed class BtrfsProbeTests
{
    [Fact]
    public void Reports_btrfs_in_a_partition_like_blkid()
    {
        using var dir = new TempDirectory();
        var partition = ProbeImages.DiskWith(dir, 128, fs => Sh.Run("mkfs.btrfs", "-q", "-f", "-L", "pool", fs));
        var disk = dir.File("disk.img");

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Equal(FileSystemKind.Btrfs, found.Kind);
        Assert.Equal("pool", found.Label);
        Assert.Equal(128 * TestDisks.MiB, found.SizeBytes);
        Assert.True(found.ChecksumValid);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    [Fact]
    public void Reports_btrfs_size_from_the_superblock_when_made_smaller_than_the_partition()
    {
        using var dir = new TempDirectory();
        var partition = ProbeImages.DiskWith(dir, 160, fs => Sh.Run("mkfs.btrfs", "-q", "-f", "-b", $"{120 * TestDisks.MiB}", fs));
        var disk = dir.File("disk.img");

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Null(found.Label);
        Assert.Equal(120 * TestDisks.MiB, found.SizeBytes);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    [Fact]
    public void Reports_a_superblock_with_a_wrong_crc_as_not_checksum_valid()
    {
        using var dir = new TempDirectory();
        var dump = string.Empty;
        var partition = ProbeImages.DiskWith(dir, 128, fs =>
        {
            Sh.Run("mkfs.btrfs", "-q", "-f", "-L", "pool", fs);
            ProbeImages.Patch(fs, 0x1012B, "X"u8);
            dump = Sh.Run("btrfs", "inspect-internal", "dump-super", fs);
        });
        var disk = dir.File("disk.img");

        var found = ProbeImages.Probe(disk, partition);

        Assert.Contains("DON'T MATCH", dump, StringComparison.Ordinal);
        Assert.NotNull(found);
        Assert.Equal("Xool", found.Label);
        Assert.False(found.ChecksumValid);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }
}
