using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Partitions;
using Imprint.Agent.Tests.Support;
using static Imprint.Agent.Tests.Partitions.PartitionTestImages;

namespace Imprint.Agent.Tests.Partitions;

/// <summary>The shared preconditions of grow and shrink: each refusal names the edit that was refused.</summary>
public sealed class PartitionEditGuardTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Hybrid_mbr_refusal_names_the_edit()
    {
        var image = _temp.File("hybrid.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(8, "0700"), new PartitionSpec(0));
        MakeHybrid(image);
        var table = Read(image);

        var shrink = Assert.Throws<ImprintException>(() => ShrinkPartition.Plan(table, 2, 16 * MiB));
        var grow = Assert.Throws<ImprintException>(() => GrowPartition.Plan(table, 2));

        Assert.Equal(ExitCode.Conflict, shrink.Code);
        Assert.StartsWith("hybrid MBR: shrinking is refused", shrink.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Conflict, grow.Code);
        Assert.StartsWith("hybrid MBR: growing is refused", grow.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disk_without_a_partition_table_has_nothing_to_shrink()
    {
        var image = _temp.File("bare.raw");
        Sh.Run("truncate", ["-s", "8M", image]);

        var error = Assert.Throws<ImprintException>(() => PartitionEditGuard.Require(Read(image), 1, "shrink"));

        Assert.Equal(ExitCode.Unsupported, error.Code);
        Assert.Equal("the disk has no partition table; there is no partition to shrink", error.Message);
    }

    [Fact]
    public void Returns_the_partition_asked_for_and_lists_the_others_when_it_is_missing()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(8), new PartitionSpec(0));
        var table = Read(image);

        var found = PartitionEditGuard.Require(table, 2, "shrink");
        var missing = Assert.Throws<ImprintException>(() => PartitionEditGuard.Require(table, 7, "shrink"));

        Assert.Equal(Sgdisk(image, 2).Start * 512, found.Range.Offset); // sgdisk is the oracle for where partition 2 starts
        Assert.Equal(ExitCode.Usage, missing.Code);
        Assert.Equal("partition 7 does not exist (partitions: 1, 2)", missing.Message);
    }

    private static PartitionTable Read(string image)
    {
        using var disk = DiskImage.OpenRead(image);
        return PartitionTableReader.Read(disk);
    }
}
