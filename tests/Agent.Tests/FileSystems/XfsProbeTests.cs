using Imprint.Agent.FileSystems;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.FileSystems;

public sealed class XfsProbeTests
{
    [Theory]
    [InlineData("crc=1")]
    [InlineData("crc=0")]
    public void Reports_xfs_in_a_partition_like_blkid(string metadata)
    {
        using var dir = new TempDirectory();
        var partition = ProbeImages.DiskWith(dir, 300, fs => Sh.Run("mkfs.xfs", "-q", "-f", "-m", metadata, "-L", "data", fs));
        var disk = dir.File("disk.img");

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Equal(FileSystemKind.Xfs, found.Kind);
        Assert.Equal("data", found.Label);
        Assert.Equal(300 * TestDisks.MiB, found.SizeBytes);
        Assert.True(found.ChecksumValid);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    [Fact]
    public void Reports_a_v5_superblock_with_a_wrong_crc_as_not_checksum_valid()
    {
        using var dir = new TempDirectory();
        var xfsDbOutput = string.Empty;
        var partition = ProbeImages.DiskWith(dir, 300, fs =>
        {
            Sh.Run("mkfs.xfs", "-q", "-f", "-L", "data", fs);
            ProbeImages.Patch(fs, 108, "X"u8);
            var check = Sh.RunResult("xfs_db", ["-r", "-c", "sb 0", "-c", "print fname", fs]);
            xfsDbOutput = check.StandardOutput + check.StandardError;
        });
        var disk = dir.File("disk.img");

        var found = ProbeImages.Probe(disk, partition);

        Assert.Contains("Metadata CRC error", xfsDbOutput, StringComparison.Ordinal);
        Assert.NotNull(found);
        Assert.Equal("Xata", found.Label);
        Assert.False(found.ChecksumValid);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }
}
