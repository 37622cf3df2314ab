using System.Text.Json;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Partitions;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Partitions;

public sealed class GrowPartitionTests : IDisposable
{
    private const long MiB = TestDisks.MiB;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Grows_last_partition_and_moves_backup_gpt_header_after_the_disk_grew()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateGpt(image, 64, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        var offset = TestDisks.MakeExt(image, 2, tree: GuestTrees.DebianLike(_temp.File("tree")));
        Enlarge(image, 256 * MiB);

        GrowPlan plan;
        using (var disk = DiskImage.OpenWrite(image))
        {
            var table = PartitionTableReader.Read(disk);
            Assert.Contains(table.Warnings, w => w.Contains("disk has grown", StringComparison.Ordinal));
            plan = GrowPartition.Plan(table, 2);
            GrowPartition.Apply(disk, plan);
        }

        Assert.True(plan.MovesBackupGpt);
        Sh.AssertGptValid(image);
        var (start, length) = TestDisks.PartitionRange(image, 2);
        Assert.Equal(offset, start);
        Assert.Equal(0, (start + length) % MiB);
        Assert.Equal(255 * MiB, start + length); // the last MiB holds the backup GPT, aligned down.
        Assert.Contains("No problems found", Sh.Run("sgdisk", "-v", image), StringComparison.Ordinal);
        Sh.AssertFsckClean(image, offset); // the table edit never touches the filesystem
        using var reread = DiskImage.OpenRead(image);
        var after = PartitionTableReader.Read(reread);
        Assert.Empty(after.Warnings);
        Assert.Equal((256 * MiB / 512) - 1, after.Gpt!.BackupHeaderLba);
    }

    [Fact]
    public void Root_followed_by_swap_without_free_space_is_refused_with_a_clear_message()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateGpt(image, 64, new PartitionSpec(32), new PartitionSpec(0, "8200"));
        var hash = Sh.Sha256(image);

        using var disk = DiskImage.OpenRead(image);
        var error = Assert.Throws<ImprintException>(() => GrowPartition.Plan(PartitionTableReader.Read(disk), 1));

        Assert.Equal(ExitCode.Conflict, error.Code);
        Assert.Contains("followed by partition 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("no free space", error.Message, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public void Grows_into_free_space_up_to_the_next_partition()
    {
        var image = _temp.File("disk.raw");
        CreateWithGap(image);

        using (var disk = DiskImage.OpenWrite(image))
        {
            GrowPartition.Apply(disk, GrowPartition.Plan(PartitionTableReader.Read(disk), 1));
        }

        Sh.AssertGptValid(image);
        var (start1, length1) = TestDisks.PartitionRange(image, 1);
        var (start2, _) = TestDisks.PartitionRange(image, 2);
        Assert.Equal(start2, start1 + length1);
    }

    [Fact]
    public void Requested_end_beyond_the_free_space_is_refused()
    {
        var image = _temp.File("disk.raw");
        CreateWithGap(image);

        using var disk = DiskImage.OpenRead(image);
        var error = Assert.Throws<ImprintException>(() => GrowPartition.Plan(PartitionTableReader.Read(disk), 1, requestedEndByte: 60 * MiB));

        Assert.Equal(ExitCode.Conflict, error.Code);
    }

    [Fact]
    public void Requested_end_inside_the_free_space_is_honoured()
    {
        var image = _temp.File("disk.raw");
        CreateWithGap(image);

        using (var disk = DiskImage.OpenWrite(image))
        {
            GrowPartition.Apply(disk, GrowPartition.Plan(PartitionTableReader.Read(disk), 1, requestedEndByte: 20 * MiB));
        }

        var (start, length) = TestDisks.PartitionRange(image, 1);
        Assert.Equal(20 * MiB, start + length);
        Sh.AssertGptValid(image);
    }

    [Fact]
    public void Partition_that_already_fills_the_disk_is_left_unchanged()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateGpt(image, 64, new PartitionSpec(0));
        var hash = Sh.Sha256(image);

        using var disk = DiskImage.OpenWrite(image);
        var plan = GrowPartition.Plan(PartitionTableReader.Read(disk), 1);
        GrowPartition.Apply(disk, plan);

        Assert.False(plan.HasWork);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public void Mbr_partition_grows_after_the_disk_grew_and_sfdisk_verifies()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateMbr(image, 32, (0, "83"));
        Enlarge(image, 128 * MiB);

        using (var disk = DiskImage.OpenWrite(image))
        {
            GrowPartition.Apply(disk, GrowPartition.Plan(PartitionTableReader.Read(disk), 1));
        }

        var verify = Sh.RunResult("sfdisk", ["--verify", image], accept: [0, 1]);
        Assert.Equal(0, verify.ExitStatus);
        var (start, length) = TestDisks.PartitionRange(image, 1);
        Assert.Equal(128 * MiB, start + length);
    }

    [Fact]
    public void Logical_mbr_partition_growth_is_unsupported()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateSparse(image, 64 * MiB);
        Sh.RunResult("sfdisk", ["--no-reread", "--no-tell-kernel", image], stdin: "label: dos\n,8MiB,83\n,,5\n,10MiB,83\n");

        using var disk = DiskImage.OpenRead(image);
        var error = Assert.Throws<ImprintException>(() => GrowPartition.Plan(PartitionTableReader.Read(disk), 5));

        Assert.Equal(ExitCode.Unsupported, error.Code);
        Assert.Contains("logical", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hybrid_mbr_growth_is_refused()
    {
        var image = _temp.File("hybrid.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(8, "0700"), new PartitionSpec(0));
        PartitionTableReaderTests.MakeHybrid(image);
        Enlarge(image, 64 * MiB);

        using var disk = DiskImage.OpenRead(image);
        var error = Assert.Throws<ImprintException>(() => GrowPartition.Plan(PartitionTableReader.Read(disk), 2));

        Assert.Contains("hybrid MBR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_partition_number_is_a_usage_error()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));

        using var disk = DiskImage.OpenRead(image);
        var error = Assert.Throws<ImprintException>(() => GrowPartition.Plan(PartitionTableReader.Read(disk), 7));

        Assert.Equal(ExitCode.Usage, error.Code);
    }

    private static void CreateWithGap(string image)
    {
        // Partition 1 at 1..9 MiB, partition 2 at 40 MiB..end: 31 MiB of free space after partition 1.
        TestDisks.CreateSparse(image, 64 * MiB);
        Sh.Run("sgdisk", "-n1:2048:+8M", "-n2:81920:0", image);
    }

    private static void Enlarge(string image, long bytes)
    {
        using var stream = new FileStream(image, FileMode.Open);
        stream.SetLength(bytes);
    }
}
