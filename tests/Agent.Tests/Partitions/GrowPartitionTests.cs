using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Partitions;
using Imprint.Agent.Tests.Support;
using static Imprint.Agent.Tests.Partitions.PartitionTestImages;

namespace Imprint.Agent.Tests.Partitions;

public sealed class GrowPartitionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Grows_last_partition_and_moves_backup_gpt_header_after_the_disk_grew()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateGpt(image, 64, new PartitionSpec(1, "ef02"), new PartitionSpec(0, "8300", "root"));
        var before = Sgdisk(image, 2);
        var offset = TestDisks.MakeExt(image, 2, tree: GuestTrees.DebianLike(_temp.File("tree")));
        Enlarge(image, 256 * MiB);

        var plan = GrowAll(image, 2);

        Assert.True(plan.MovesBackupGpt);
        Assert.True(plan.UpdatesProtectiveMbr);
        Assert.False(plan.RepairsGpt);
        Sh.AssertGptValid(image);
        var after = Sgdisk(image, 2);
        Assert.Equal(before.Start, after.Start);
        Assert.Equal(before with { Size = after.Size }, after); // type, unique GUID, name, attributes kept
        var (start, length) = TestDisks.PartitionRange(image, 2);
        Assert.Equal(offset, start);
        Assert.Equal(255 * MiB, start + length); // the last MiB holds the backup GPT: aligned down to 1 MiB.
        Assert.Equal(plan.NewRange, new ByteRange(start, length));
        Assert.Equal((256 * MiB / 512) - 1, HeaderLbaAt(image, (256 * MiB) - 512));
        Assert.Null(HeaderLbaAt(image, (64 * MiB) - 512)); // the stale backup header is gone
        Assert.Equal((uint)((256 * MiB / 512) - 1), ProtectiveMbrSize(image));
        Assert.Empty(Sh.RunResult("fdisk", ["-l", image]).StandardError.Trim()); // fdisk sees no PMBR/backup problems
        Sh.AssertFsckClean(image, offset); // the table edit never touches the filesystem
        using var reread = DiskImage.OpenRead(image);
        var table = PartitionTableReader.Read(reread);
        Assert.Empty(table.Warnings);
        Assert.Equal((256 * MiB / 512) - 1, table.Gpt!.BackupHeaderLba);
    }

    [Fact]
    public void Gpt_with_4096_byte_sectors_grows_and_fdisk_sees_no_problems()
    {
        var image = _temp.File("4k.raw");
        TestDisks.CreateSparse(image, 64 * MiB);
        Sh.RunResult("fdisk", ["-b", "4096", image], stdin: "g\nn\n1\n\n+8M\nn\n2\n\n\nw\n");
        Enlarge(image, 128 * MiB);

        var plan = GrowAll(image, 2);

        var (listing, problems) = Fdisk4K(image);
        Assert.Empty(problems);
        Assert.Equal(127 * MiB, plan.NewRange.End);
        Assert.Contains($"{(127 * MiB / 4096) - 1} 0FC63DAF", listing, StringComparison.Ordinal);
        Assert.Equal((128 * MiB / 4096) - 1, HeaderLbaAt(image, (128 * MiB) - 4096));
    }

    [Fact]
    public void Planning_never_writes()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));
        Enlarge(image, 64 * MiB);
        var hash = Sh.Sha256(image);

        // Writable, as resize holds it: with a read-only handle the closing hash check could never fail.
        using var disk = DiskImage.OpenWrite(image);
        var plan = GrowPartition.Plan(PartitionTableReader.Read(disk), 1);
        disk.Dispose();

        Assert.True(plan.HasWork);
        Assert.Contains("grow partition 1", plan.Description, StringComparison.Ordinal);
        Assert.Contains("move the backup GPT", plan.Description, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public void Root_followed_by_swap_without_free_space_is_refused_with_a_clear_message()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateGpt(image, 64, new PartitionSpec(32), new PartitionSpec(0, "8200"));
        Enlarge(image, 128 * MiB);
        var (swapStart, _) = TestDisks.PartitionRange(image, 2);
        var hash = Sh.Sha256(image);

        var error = PlanFails(image, 1);

        Assert.Equal(ExitCode.Conflict, error.Code);
        Assert.Equal($"partition 1 is followed by partition 2 at byte {swapStart}; there is no free space to grow into", error.Message);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public void Grows_into_free_space_exactly_up_to_the_next_partition()
    {
        var image = _temp.File("disk.raw");
        CreateWithGap(image);
        var second = Sgdisk(image, 2);

        var plan = GrowAll(image, 1);

        Sh.AssertGptValid(image);
        Assert.False(plan.MovesBackupGpt);
        var (start1, length1) = TestDisks.PartitionRange(image, 1);
        Assert.Equal(second.Start * 512, start1 + length1);
        Assert.Equal(second, Sgdisk(image, 2));
    }

    [Fact]
    public void Requested_end_beyond_the_free_space_is_refused()
    {
        var image = _temp.File("disk.raw");
        CreateWithGap(image);

        var error = PlanFails(image, 1, requestedEndByte: 60 * MiB);

        Assert.Equal(ExitCode.Conflict, error.Code);
        Assert.Contains($"can end at byte {40 * MiB} at most", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Requested_end_before_the_current_end_is_refused_as_a_shrink()
    {
        var image = _temp.File("disk.raw");
        CreateWithGap(image);

        var error = PlanFails(image, 1, requestedEndByte: 5 * MiB);

        Assert.Equal(ExitCode.Conflict, error.Code);
        Assert.Contains("shrink", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Requested_end_inside_the_free_space_is_honoured()
    {
        var image = _temp.File("disk.raw");
        CreateWithGap(image);

        GrowAll(image, 1, requestedEndByte: 20 * MiB);

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
        Assert.False(plan.ChangesPartition);
        Assert.Equal(plan.OldRange, plan.NewRange);
        Assert.Contains("already ends where it can", plan.Description, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public void Plan_against_a_projected_disk_size_applies_after_the_file_grows()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));
        using var disk = DiskImage.OpenWrite(image);
        var projected = PartitionTableReader.Read(disk) with { DiskLength = 64 * MiB };

        var plan = GrowPartition.Plan(projected, 1);
        disk.GrowTo(64 * MiB);
        GrowPartition.Apply(disk, plan);
        disk.Dispose();

        Sh.AssertGptValid(image);
        Assert.Equal(63 * MiB, TestDisks.PartitionRange(image, 1).Offset + TestDisks.PartitionRange(image, 1).Length);
    }

    [Fact]
    public void Applying_a_plan_after_the_table_changed_is_refused()
    {
        var image = _temp.File("disk.raw");
        CreateWithGap(image);
        using var disk = DiskImage.OpenWrite(image);
        var plan = GrowPartition.Plan(PartitionTableReader.Read(disk), 1);
        Sh.Run("sgdisk", "-d1", "-n1:2048:+4M", image);
        var hash = Sh.Sha256(image);

        var error = Assert.Throws<ImprintException>(() => GrowPartition.Apply(disk, plan));

        Assert.Equal(ExitCode.Conflict, error.Code);
        Assert.Contains("changed since the plan", error.Message, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public void Growing_with_a_corrupt_primary_also_repairs_it()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0, "8300", "root"));
        Enlarge(image, 64 * MiB);
        FlipByte(image, 512 + 40);

        var plan = GrowAll(image, 1);

        Assert.True(plan.RepairsGpt);
        Sh.AssertGptValid(image);
        Assert.Equal(63 * MiB, plan.NewRange.End);
        Assert.Equal(plan.NewRange.End, TestDisks.PartitionRange(image, 1).Offset + TestDisks.PartitionRange(image, 1).Length);
    }

    [Fact]
    public void Mbr_partition_grows_after_the_disk_grew_and_sfdisk_verifies()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateMbr(image, 32, (0, "83"));
        Enlarge(image, 128 * MiB);

        var plan = GrowAll(image, 1);

        Assert.False(plan.MovesBackupGpt);
        Assert.Equal(0, Sh.RunResult("sfdisk", ["--verify", image], accept: [0, 1]).ExitStatus);
        var (start, length) = TestDisks.PartitionRange(image, 1);
        Assert.Equal(128 * MiB, start + length);
        Assert.Empty(Sh.RunResult("fdisk", ["-l", image]).StandardError.Trim());
    }

    [Fact]
    public void Mbr_primary_grows_only_up_to_the_extended_partition_that_follows()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateSparse(image, 64 * MiB);
        Sh.RunResult("sfdisk", ["--no-reread", "--no-tell-kernel", image], stdin: "label: dos\nstart=2048,size=8MiB,type=83\nstart=40MiB,size=24MiB,type=5\nstart=41MiB,size=10MiB,type=83\nstart=52MiB,type=83\n");
        var before = Sfdisk(image).Partitions;

        GrowAll(image, 1);

        Assert.Equal(0, Sh.RunResult("sfdisk", ["--verify", image], accept: [0, 1]).ExitStatus);
        var after = Sfdisk(image).Partitions;
        Assert.Equal(40 * MiB / 512, after[0].Start + after[0].Size);
        Assert.Equal(before.Skip(1), after.Skip(1)); // the extended container and its logicals are untouched
    }

    [Fact]
    public void Mbr_growth_past_2_TiB_is_refused_but_a_smaller_end_works()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateMbr(image, 64, (0, "83"));
        Enlarge(image, 3L * 1024 * 1024 * MiB);

        var error = PlanFails(image, 1);

        Assert.Equal(ExitCode.Unsupported, error.Code);
        Assert.Contains("2 TiB", error.Message, StringComparison.Ordinal);
        GrowAll(image, 1, requestedEndByte: 1024L * 1024 * MiB);
        var (start, length) = TestDisks.PartitionRange(image, 1);
        Assert.Equal(1024L * 1024 * MiB, start + length);
    }

    [Fact]
    public void Last_logical_mbr_partition_grows_with_its_extended_container_and_the_ebr_chain_stays_valid()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateSparse(image, 64 * MiB);
        Sh.RunResult("sfdisk", ["--no-reread", "--no-tell-kernel", image], stdin: "label: dos\n,8MiB,83\n,,5\n,10MiB,83\n,10MiB,83\n");
        var before = Sfdisk(image).Partitions;
        Enlarge(image, 128 * MiB);

        var plan = GrowAll(image, 6);

        // sfdisk walks the EBR chain itself: it must see the same logicals, the last one and its container ending at
        // the new disk end, and find nothing wrong with the chain.
        Assert.True(plan.ChangesPartition);
        Assert.Equal(0, Sh.RunResult("sfdisk", ["--verify", image], accept: [0, 1]).ExitStatus);
        var after = Sfdisk(image).Partitions;
        Assert.Equal(before.Select(p => p.Number), after.Select(p => p.Number));
        var container = after.Single(p => p.Number == 2);
        var last = after.Single(p => p.Number == 6);
        Assert.Equal(128 * MiB / 512, container.Start + container.Size);
        Assert.Equal(128 * MiB / 512, last.Start + last.Size);
        Assert.Equal(before.Single(p => p.Number == 6).Start, last.Start);
        Assert.Equal(before.Where(p => p.Number is 1 or 5), after.Where(p => p.Number is 1 or 5));
        Assert.Empty(Sh.RunResult("fdisk", ["-l", image]).StandardError.Trim());
    }

    [Fact]
    public void A_logical_partition_followed_by_another_and_the_extended_container_itself_are_refused()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateSparse(image, 64 * MiB);
        Sh.RunResult("sfdisk", ["--no-reread", "--no-tell-kernel", image], stdin: "label: dos\n,8MiB,83\n,,5\n,10MiB,83\n,10MiB,83\n");
        var hash = Sh.Sha256(image);

        var logical = PlanFails(image, 5);
        var container = PlanFails(image, 2);

        Assert.Equal(ExitCode.Conflict, logical.Code);
        Assert.Contains("followed by logical partition 6", logical.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.Unsupported, container.Code);
        Assert.Contains("extended", container.Message, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public void Hybrid_mbr_growth_is_refused()
    {
        var image = _temp.File("hybrid.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(8, "0700"), new PartitionSpec(0));
        MakeHybrid(image);
        Enlarge(image, 64 * MiB);
        var hash = Sh.Sha256(image);

        var error = PlanFails(image, 2);

        Assert.Equal(ExitCode.Conflict, error.Code);
        Assert.StartsWith("hybrid MBR: growing is refused, it would desynchronise the MBR and GPT views", error.Message, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public void Unknown_partition_number_is_a_usage_error()
    {
        var image = _temp.File("disk.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));

        var error = PlanFails(image, 7);

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Contains("partition 7 does not exist", error.Message, StringComparison.Ordinal);
    }

    private static GrowPlan GrowAll(string image, int number, long? requestedEndByte = null)
    {
        using var disk = DiskImage.OpenWrite(image);
        var plan = GrowPartition.Plan(PartitionTableReader.Read(disk), number, requestedEndByte);
        GrowPartition.Apply(disk, plan);
        return plan;
    }

    private static ImprintException PlanFails(string image, int number, long? requestedEndByte = null)
    {
        // Writable, as resize holds it, so the callers' "unchanged" hash checks could catch a stray write.
        using var disk = DiskImage.OpenWrite(image);
        var table = PartitionTableReader.Read(disk);
        return Assert.Throws<ImprintException>(() => GrowPartition.Plan(table, number, requestedEndByte));
    }

    private static void CreateWithGap(string image)
    {
        // Partition 1 at 1..9 MiB, partition 2 at 40 MiB..end: 31 MiB of free space after partition 1.
        TestDisks.CreateSparse(image, 64 * MiB);
        Sh.Run("sgdisk", "-n1:2048:+8M", "-n2:81920:0", image);
    }
}
