using System.Globalization;
using Imprint.Agent.Disk;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.FileSystems;

public sealed class ExtProbeTests
{
    [Theory]
    [InlineData("ext2", FileSystemKind.Ext2, new string[0])]
    [InlineData("ext3", FileSystemKind.Ext3, new string[0])]
    [InlineData("ext4", FileSystemKind.Ext4, new string[0])]
    [InlineData("ext4", FileSystemKind.Ext4, new[] { "-O", "^64bit", "-b", "4096" })]
    [InlineData("ext4", FileSystemKind.Ext4, new[] { "-O", "^metadata_csum", "-b", "1024" })]
    [InlineData("ext4", FileSystemKind.Ext4, new[] { "-O", "^metadata_csum,^64bit,orphan_file", "-b", "4096" })]
    [InlineData("ext3", FileSystemKind.Ext3, new[] { "-b", "4096", "-O", "^resize_inode" })]
    public void Reports_ext_like_blkid_with_dumpe2fs_features_and_superblock_numbers(string fsType, FileSystemKind kind, string[] options)
    {
        using var dir = new TempDirectory();
        var disk = dir.File("disk.img");
        var partition = ProbeImages.CreateDisk(disk, 48);
        TestDisks.MakeExt(disk, 1, fsType, null, ["-L", "rootfs", .. options]);

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Equal(kind, found.Kind);
        Assert.Equal("rootfs", found.Label);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
        var dump = Dumpe2fs(disk, partition.Offset);
        Assert.Equal(dump["Filesystem features"].Split(' ', StringSplitOptions.RemoveEmptyEntries), found.Features);
        var ext = found.Ext!;
        Assert.Equal(long.Parse(dump["Block size"], CultureInfo.InvariantCulture), ext.BlockSize);
        Assert.Equal(long.Parse(dump["Block count"], CultureInfo.InvariantCulture), ext.BlocksCount);
        Assert.Equal(long.Parse(dump["Free blocks"], CultureInfo.InvariantCulture), ext.FreeBlocksCount);
        Assert.Equal(long.Parse(dump["Reserved block count"], CultureInfo.InvariantCulture), ext.ReservedBlocksCount);
        Assert.Equal(long.Parse(dump["First block"], CultureInfo.InvariantCulture), ext.FirstDataBlock);
        Assert.Equal(long.Parse(dump["Blocks per group"], CultureInfo.InvariantCulture), ext.BlocksPerGroup);
        Assert.Equal(long.Parse(dump["Inode count"], CultureInfo.InvariantCulture), ext.InodesCount);
        Assert.Equal(int.Parse(dump["Inode size"], CultureInfo.InvariantCulture), ext.InodeSize);
        Assert.Equal(dump["Filesystem UUID"], found.Uuid);
        Assert.Equal(partition.Length, found.SizeBytes);
        Assert.Equal(dump["Filesystem features"].Contains("64bit", StringComparison.Ordinal), ext.Is64Bit);
        Assert.Equal(dump["Filesystem features"].Contains("metadata_csum", StringComparison.Ordinal), ext.HasMetadataChecksum);
        Assert.False(found.NeedsRecovery);
        Assert.True(found.ChecksumValid);
    }

    [Fact]
    public void Reports_needs_recovery_when_the_journal_was_not_replayed()
    {
        using var dir = new TempDirectory();
        var disk = dir.File("disk.img");
        var partition = ProbeImages.CreateDisk(disk, 32);
        TestDisks.MakeExt(disk, 1, "ext4");
        Sh.Run("debugfs", "-w", "-R", "feature needs_recovery", $"{disk}?offset={partition.Offset}");

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.True(found.NeedsRecovery);
        Assert.True(found.Ext!.NeedsRecovery);
        Assert.Contains("needs_recovery", found.Features);
        Assert.Contains("needs_recovery", Dumpe2fs(disk, partition.Offset)["Filesystem features"], StringComparison.Ordinal);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    [Fact]
    public void Reports_a_test_filesystem_flagged_ext4_as_ext4dev_like_blkid()
    {
        using var dir = new TempDirectory();
        var disk = dir.File("disk.img");
        var partition = ProbeImages.CreateDisk(disk, 16);
        TestDisks.MakeExt(disk, 1, "ext4");
        Sh.Run("tune2fs", "-E", "test_fs", $"{disk}?offset={partition.Offset}");

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Equal(FileSystemKind.Ext4, found.Kind);
        Assert.Equal("ext4dev", found.TypeName);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    [Fact]
    public void Does_not_claim_ext2_flagged_needs_recovery_without_a_journal_like_blkid()
    {
        using var dir = new TempDirectory();
        var disk = dir.File("disk.img");
        var partition = ProbeImages.CreateDisk(disk, 16);
        TestDisks.MakeExt(disk, 1, "ext2");
        Sh.Run("debugfs", "-w", "-R", "feature needs_recovery", $"{disk}?offset={partition.Offset}");

        var found = ProbeImages.Probe(disk, partition);

        Assert.Null(found);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    [Fact]
    public void Reports_a_filesystem_larger_than_the_probed_range_with_its_own_size()
    {
        using var dir = new TempDirectory();
        var disk = dir.File("disk.img");
        var partition = ProbeImages.CreateDisk(disk, 32);
        TestDisks.MakeExt(disk, 1, "ext4", null, "-b", "4096");
        var shortRange = new ByteRange(partition.Offset, 64 * 1024);

        var found = ProbeImages.Probe(disk, shortRange);

        Assert.NotNull(found);
        Assert.Equal(FileSystemKind.Ext4, found.Kind);
        Assert.Equal(partition.Length, found.SizeBytes);
        Assert.Equal(partition.Length / 4096, found.Ext!.BlocksCount);
        BlkidOracle.AssertAgrees(disk, shortRange.Offset, shortRange.Length, found);
    }

    [Fact]
    public void Reports_an_ext4_superblock_whose_metadata_checksum_is_wrong_as_not_checksum_valid()
    {
        using var dir = new TempDirectory();
        var disk = dir.File("disk.img");
        var partition = ProbeImages.CreateDisk(disk, 32);
        TestDisks.MakeExt(disk, 1, "ext4", null, "-L", "before");
        using (var image = DiskImage.OpenWrite(disk))
        {
            // Change the label byte without updating s_checksum.
            image.Write(partition.Offset + 1024 + 0x78, "X"u8);
        }

        var found = ProbeImages.Probe(disk, partition);

        // dumpe2fs is the oracle for the checksum; blkid 2.38, like us, still reports the filesystem.
        var dump = Sh.RunResult("dumpe2fs", ["-h", $"{disk}?offset={partition.Offset}"], accept: [0, 1, 152]);
        Assert.Contains("Superblock checksum does not match", dump.StandardError, StringComparison.Ordinal);
        Assert.NotNull(found);
        Assert.Equal("Xefore", found.Label);
        Assert.False(found.ChecksumValid);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    private static Dictionary<string, string> Dumpe2fs(string disk, long offset)
    {
        var text = Sh.RunResult("dumpe2fs", ["-h", $"{disk}?offset={offset}"]).StandardOutput;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        return fields;
    }
}
