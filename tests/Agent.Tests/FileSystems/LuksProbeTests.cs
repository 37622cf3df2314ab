using Imprint.Agent.Disk;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.FileSystems;

public sealed class LuksProbeTests
{
    [Theory]
    [InlineData("luks1", "1")]
    [InlineData("luks2", "2")]
    public void Reports_luks_with_version_and_uuid_like_blkid(string type, string version)
    {
        using var dir = new TempDirectory();
        var partition = ProbeImages.DiskWith(dir, 20, fs => Format(dir, fs, type, type == "luks2" ? ["--label", "vault"] : []));
        var disk = dir.File("disk.img");

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Equal(FileSystemKind.Luks, found.Kind);
        Assert.Equal(version, found.Version);
        Assert.Equal(type == "luks2" ? "vault" : null, found.Label);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    [Fact]
    public void Finds_luks2_by_its_secondary_header_when_the_primary_is_wiped_like_blkid()
    {
        using var dir = new TempDirectory();
        var partition = ProbeImages.DiskWith(dir, 20, fs => Format(dir, fs, "luks2", ["--label", "vault"]));
        var disk = dir.File("disk.img");
        using (var image = DiskImage.OpenWrite(disk))
        {
            image.Write(partition.Offset, new byte[4096]);
        }

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Equal("2", found.Version);
        Assert.Equal("vault", found.Label);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    private static void Format(TempDirectory dir, string fs, string type, string[] extra)
    {
        var key = dir.File("key");
        File.WriteAllText(key, "correct horse battery staple");
        Sh.Run("cryptsetup", [
            "luksFormat", "--type", type, "--batch-mode", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000",
            $"--key-file={key}", .. extra, fs]);
    }
}
