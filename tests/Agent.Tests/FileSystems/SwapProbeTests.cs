using Imprint.Agent.FileSystems;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.FileSystems;

public sealed class SwapProbeTests
{
    [Theory]
    [InlineData(4096)]
    [InlineData(8192)]
    [InlineData(65536)]
    public void Reports_swap_with_label_uuid_and_page_size_like_blkid(int pageSize)
    {
        using var dir = new TempDirectory();
        const string uuid = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        var partition = ProbeImages.DiskWith(dir, 16, fs => Sh.Run("mkswap", "-L", "swap0", "-U", uuid, "-p", $"{pageSize}", fs));
        var disk = dir.File("disk.img");

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Equal(FileSystemKind.Swap, found.Kind);
        Assert.Equal(uuid, found.Uuid);
        Assert.Equal("swap0", found.Label);
        Assert.Equal(pageSize, found.BlockSize);
        Assert.Equal(16 * TestDisks.MiB / pageSize * pageSize, found.SizeBytes);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }
}
