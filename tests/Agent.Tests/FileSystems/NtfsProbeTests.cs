using Imprint.Agent.FileSystems;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.FileSystems;

public sealed class NtfsProbeTests
{
    [Theory]
    [InlineData("Windows Data", new string[0])]
    [InlineData("Ünïcode", new[] { "-c", "4096", "-s", "4096" })]
    public void Reports_ntfs_with_its_serial_and_label_from_the_mft_like_blkid(string label, string[] options)
    {
        using var dir = new TempDirectory();
        var partition = ProbeImages.DiskWith(dir, 24, fs => Sh.Run("mkntfs", ["-F", "-Q", "-L", label, .. options, fs]));
        var disk = dir.File("disk.img");

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Equal(FileSystemKind.Ntfs, found.Kind);
        Assert.Equal(label, found.Label);
        Assert.Matches("^[0-9A-F]{16}$", found.Uuid);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }
}
