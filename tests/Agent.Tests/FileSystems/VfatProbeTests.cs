using Imprint.Agent.FileSystems;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.FileSystems;

public sealed class VfatProbeTests
{
    [Theory]
    [InlineData("12", 8, "FAT12")]
    [InlineData("16", 40, "FAT16")]
    [InlineData("32", 64, "FAT32")]
    public void Reports_fat_with_its_label_serial_and_version_like_blkid(string bits, long sizeMiB, string version)
    {
        using var dir = new TempDirectory();
        var partition = ProbeImages.DiskWith(dir, sizeMiB, fs => Sh.Run("mkfs.vfat", "-F", bits, "-n", "EFI BOOT", "-i", "1a2b3c4d", fs));
        var disk = dir.File("disk.img");

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Equal(FileSystemKind.Vfat, found.Kind);
        Assert.Equal(version, found.Version);
        Assert.Equal("EFI BOOT", found.Label);
        Assert.Equal("1A2B-3C4D", found.Uuid);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    [Fact]
    public void Reports_no_label_for_fat_made_without_one_like_blkid()
    {
        using var dir = new TempDirectory();
        var partition = ProbeImages.DiskWith(dir, 40, fs => Sh.Run("mkfs.vfat", "-F", "32", fs));
        var disk = dir.File("disk.img");

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Null(found.Label);
        Assert.Equal(40 * TestDisks.MiB, found.SizeBytes);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    [Fact]
    public void Reads_the_root_directory_label_after_the_label_was_changed_with_fatlabel()
    {
        using var dir = new TempDirectory();
        var partition = ProbeImages.DiskWith(dir, 40, fs =>
        {
            Sh.Run("mkfs.vfat", "-F", "16", "-n", "OLD", fs);
            Sh.Run("fatlabel", fs, "NEWNAME");
        });
        var disk = dir.File("disk.img");

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Equal("NEWNAME", found.Label);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }
}
