using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Partitions;
using Imprint.Agent.Tests.Support;
using static Imprint.Agent.Tests.Partitions.PartitionTestImages;

namespace Imprint.Agent.Tests.Partitions;

public sealed class RelocateBackupGptTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Moves_the_backup_to_the_new_end_and_fixes_usable_range_and_protective_mbr()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(8, "8300", "a"), new PartitionSpec(0, "8300", "b"));
        var before = new[] { Sgdisk(image, 1), Sgdisk(image, 2) };
        Enlarge(image, 100 * MiB);

        bool moved;
        using (var disk = DiskImage.OpenWrite(image))
        {
            var table = PartitionTableReader.Read(disk);
            Assert.True(RelocateBackupGpt.IsNeeded(table));
            Assert.Contains(table.Warnings, w => w.Contains("the disk has grown", StringComparison.Ordinal));
            moved = RelocateBackupGpt.Relocate(disk, table);
        }

        Assert.True(moved);
        Sh.AssertGptValid(image);
        Assert.Equal(before, new[] { Sgdisk(image, 1), Sgdisk(image, 2) });
        var totalSectors = 100 * MiB / 512;
        Assert.Equal(totalSectors - 1, HeaderLbaAt(image, (100 * MiB) - 512));
        Assert.Equal((uint)(totalSectors - 1), ProtectiveMbrSize(image));
        Assert.Contains($"last usable sector is {totalSectors - 34}", Sh.Run("sgdisk", "-p", image), StringComparison.Ordinal);
    }

    [Fact]
    public void Backup_already_at_the_end_is_not_rewritten()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));
        var hash = Sh.Sha256(image);

        using (var disk = DiskImage.OpenWrite(image))
        {
            Assert.False(RelocateBackupGpt.Relocate(disk, PartitionTableReader.Read(disk)));
        }

        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public void Hybrid_mbr_entries_are_left_alone_when_the_backup_moves()
    {
        var image = _temp.File("hybrid.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(8, "0700"), new PartitionSpec(0));
        MakeHybrid(image);
        Enlarge(image, 64 * MiB);
        var mbr = ReadBytes(image, 0, 512);

        using (var disk = DiskImage.OpenWrite(image))
        {
            Assert.True(RelocateBackupGpt.Relocate(disk, PartitionTableReader.Read(disk)));
        }

        Assert.Equal(mbr, ReadBytes(image, 0, 512));
        Assert.Equal((64 * MiB / 512) - 1, HeaderLbaAt(image, (64 * MiB) - 512));
    }

    [Fact]
    public void Mbr_disk_has_no_backup_to_move()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateMbr(image, 32, (0, "83"));

        using var disk = DiskImage.OpenWrite(image);
        var error = Assert.Throws<ImprintException>(() => RelocateBackupGpt.Relocate(disk, PartitionTableReader.Read(disk)));

        Assert.Equal(ExitCode.Unsupported, error.Code);
    }
}
