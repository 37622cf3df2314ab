using Imprint.Agent.Disk;
using Imprint.Agent.Partitions;
using Imprint.Agent.Tests.Support;
using static Imprint.Agent.Tests.Partitions.PartitionTestImages;

namespace Imprint.Agent.Tests.Partitions;

public sealed class RepairGptTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Corrupt_primary_header_is_rewritten_from_the_backup_and_sgdisk_is_clean()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(4, "ef00", "esp"), new PartitionSpec(0, "8300", "root"));
        var expected = new[] { Sgdisk(image, 1), Sgdisk(image, 2) };
        FlipByte(image, 512 + 40);

        Assert.True(Repair(image));

        Sh.AssertGptValid(image);
        Assert.Equal(expected, new[] { Sgdisk(image, 1), Sgdisk(image, 2) });
        using var disk = DiskImage.OpenRead(image);
        var table = PartitionTableReader.Read(disk);
        Assert.Empty(table.Warnings);
        Assert.True(table.Gpt!.PrimaryValid && table.Gpt.BackupValid);
    }

    [Fact]
    public void Corrupt_primary_entry_array_is_rewritten_from_the_backup()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0, "8300", "root"));
        FlipByte(image, (2 * 512) + 60);

        Assert.True(Repair(image));

        Sh.AssertGptValid(image);
        Assert.Equal("root", Sgdisk(image, 1).Name);
    }

    [Fact]
    public void Corrupt_backup_is_rewritten_from_the_primary()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0, "8300", "root"));
        FlipByte(image, (32 * MiB) - 512 + 40);

        Assert.True(Repair(image));

        Sh.AssertGptValid(image);
        Assert.Equal((32 * MiB / 512) - 1, HeaderLbaAt(image, (32 * MiB) - 512));
    }

    [Fact]
    public void Healthy_gpt_is_left_untouched()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));
        var hash = Sh.Sha256(image);

        Assert.False(Repair(image));

        Assert.Equal(hash, Sh.Sha256(image));
    }

    private static bool Repair(string image)
    {
        using var disk = DiskImage.OpenWrite(image);
        return RepairGpt.Repair(disk, PartitionTableReader.Read(disk));
    }
}
