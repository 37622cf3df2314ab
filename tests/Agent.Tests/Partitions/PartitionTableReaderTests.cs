using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Partitions;
using Imprint.Agent.Tests.Support;
using static Imprint.Agent.Tests.Partitions.PartitionTestImages;

namespace Imprint.Agent.Tests.Partitions;

public sealed class PartitionTableReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Gpt_read_matches_sgdisk_for_every_partition_and_never_writes()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 64, new PartitionSpec(1, "ef02", "bios"), new PartitionSpec(8, "ef00", "esp"), new PartitionSpec(16, "8200", "swap"), new PartitionSpec(0, "8304", "root"));
        Sh.Run("sgdisk", "-A4:set:2", "-A2:set:60", image);
        var hash = Sh.Sha256(image);

        // Read through a writable handle: with a read-only one the closing hash check could never fail.
        PartitionTable table;
        using (var writable = DiskImage.OpenWrite(image))
        {
            table = PartitionTableReader.Read(writable);
        }

        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Equal(512, table.SectorSize);
        Assert.False(table.IsHybridMbr);
        Assert.Empty(table.Warnings);
        Assert.Equal(4, table.Partitions.Count);
        foreach (var p in table.Partitions)
        {
            var expected = Sgdisk(image, p.Number);
            Assert.Equal(expected.Start, p.FirstSector);
            Assert.Equal(expected.Size, p.LastSector - p.FirstSector + 1);
            Assert.Equal(new ByteRange(expected.Start * 512, expected.Size * 512), p.Range);
            Assert.Equal(expected.Type, p.TypeId);
            Assert.Equal(expected.Uuid, p.UniqueId);
            Assert.Equal(expected.Name, p.Name);
            Assert.Equal(expected.Attributes, p.Attributes);
            Assert.Equal(expected.Bootable, p.Bootable);
            Assert.False(p.IsLogical);
        }

        Assert.Equal(["BIOS boot", "EFI system", "linux swap", "linux root (x86-64)"], table.Partitions.Select(p => p.TypeName));
        Assert.Equal(Sfdisk(image).Id, table.DiskId);
        Assert.Equal(Guid.Parse(Sfdisk(image).Id), table.DiskGuid);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public void Mbr_primaries_match_sfdisk_with_boot_flag_and_linux_partuuid()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateSparse(image, 64 * MiB);
        Sh.RunResult("sfdisk", ["--no-reread", "--no-tell-kernel", image], stdin: "label: dos\n,8MiB,83,*\n,10MiB,82\n,12MiB,8e\n,,ef\n");

        var table = Read(image);

        Assert.Equal(PartitionTableKind.Mbr, table.Kind);
        var (id, expected) = Sfdisk(image);
        Assert.Equal(expected.Count, table.Partitions.Count);
        foreach (var e in expected)
        {
            var p = Assert.Single(table.Partitions, x => x.Number == e.Number);
            Assert.Equal(e.Start, p.FirstSector);
            Assert.Equal(e.Size, p.LastSector - p.FirstSector + 1);
            Assert.Equal("0x" + e.Type.PadLeft(2, '0'), p.TypeId);
            Assert.Equal(e.Bootable, p.Bootable);
            Assert.Equal($"{id[2..]}-0{e.Number}", p.UniqueId); // Linux PARTUUID of an MBR partition: <disk id>-<nn>
        }

        Assert.Equal(["linux", "linux swap", "linux LVM", "EFI system"], table.Partitions.Select(p => p.TypeName));
        Assert.Equal(id[2..], table.DiskId);
        Assert.Null(table.Gpt);
    }

    [Fact]
    public void Extended_partition_and_its_logicals_match_sfdisk()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateSparse(image, 64 * MiB);
        Sh.RunResult("sfdisk", ["--no-reread", "--no-tell-kernel", image], stdin: "label: dos\n,8MiB,83,*\n,,5\n,10MiB,82\n,12MiB,83\n,,83\n");

        var table = Read(image);

        var (_, expected) = Sfdisk(image);
        Assert.Equal([1, 2, 5, 6, 7], table.Partitions.Select(p => p.Number));
        foreach (var e in expected)
        {
            var p = Assert.Single(table.Partitions, x => x.Number == e.Number);
            Assert.Equal(e.Start, p.FirstSector);
            Assert.Equal(e.Size, p.LastSector - p.FirstSector + 1);
            Assert.Equal("0x" + e.Type.PadLeft(2, '0'), p.TypeId);
            Assert.Equal(e.Number >= 5, p.IsLogical);
        }

        Assert.True(PartitionTable.IsExtendedContainer(table.Find(2)!));
        Assert.Equal([1, 5, 6, 7], table.InDiskOrder.Select(p => p.Number));
        Assert.All(table.Partitions.Where(p => p.IsLogical), p => Assert.True(table.Find(2)!.Range.Contains(p.Range)));
    }

    [Fact]
    public void Protective_mbr_is_recognised_and_not_listed_as_a_partition()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));

        var table = Read(image);

        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.False(table.IsHybridMbr);
        Assert.Equal(ProtectiveMbrSize(image), table.Gpt!.ProtectiveMbrSectors);
        Assert.Equal((uint)((32 * MiB / 512) - 1), table.Gpt.ProtectiveMbrSectors);
        Assert.Equal([1], table.Partitions.Select(p => p.Number));
    }

    [Fact]
    public void Gpt_without_a_protective_mbr_is_read_with_a_warning()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));
        WriteBytes(image, 0, new byte[512]);

        var table = Read(image);

        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Contains(table.Warnings, w => w.Contains("no protective MBR", StringComparison.Ordinal));
    }

    [Fact]
    public void Hybrid_mbr_is_detected()
    {
        var image = _temp.File("hybrid.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(8, "0700"), new PartitionSpec(0));
        MakeHybrid(image);

        var table = Read(image);

        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.True(table.IsHybridMbr);
        Assert.Equal(2, table.Partitions.Count);
    }

    [Fact]
    public void Gpt_with_4096_byte_sectors_matches_fdisk()
    {
        var image = _temp.File("4k.raw");
        TestDisks.CreateSparse(image, 64 * MiB);
        Sh.RunResult("fdisk", ["-b", "4096", image], stdin: "g\nn\n1\n\n+8M\nn\n2\n\n\nw\n");

        var table = Read(image);

        Assert.Equal(4096, table.SectorSize);
        Assert.Empty(table.Warnings);
        var rows = Fdisk4K(image).Listing.Split('\n').Where(l => l.StartsWith(image, StringComparison.Ordinal)).ToList();
        Assert.Equal(rows.Count, table.Partitions.Count);
        foreach (var (row, p) in rows.Zip(table.Partitions))
        {
            var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(long.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture), p.FirstSector);
            Assert.Equal(long.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture), p.LastSector);
            Assert.Equal(p.FirstSector * 4096, p.Range.Offset);
            Assert.Equal(cells[3].ToLowerInvariant(), p.TypeId);
            Assert.Equal(cells[4].ToLowerInvariant(), p.UniqueId);
        }
    }

    [Fact]
    public void Unpartitioned_disk_reads_as_no_table()
    {
        var image = _temp.File("plain.raw");
        TestDisks.CreateSparse(image, 8 * MiB);

        var table = Read(image);

        Assert.Equal(PartitionTableKind.None, table.Kind);
        Assert.Empty(table.Partitions);
    }

    [Fact]
    public void Filesystem_without_partition_table_reads_as_no_table()
    {
        var image = _temp.File("fs.raw");
        TestDisks.CreateSparse(image, 8 * MiB);
        Sh.Run("mkfs.vfat", image);

        Assert.Equal(PartitionTableKind.None, Read(image).Kind);
    }

    [Fact]
    public void Corrupt_primary_header_crc_falls_back_to_the_backup_with_a_warning()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(4, "8300", "boot"), new PartitionSpec(0, "8300", "root"));
        var expected = Sgdisk(image, 2);
        FlipByte(image, 512 + 40); // FirstUsableLBA of the primary header: its CRC no longer matches.

        var table = Read(image);

        var warning = Assert.Single(table.Warnings);
        Assert.StartsWith("primary GPT header/entries corrupt; using backup", warning, StringComparison.Ordinal);
        Assert.Contains("header CRC mismatch at sector 1", warning, StringComparison.Ordinal);
        Assert.False(table.Gpt!.PrimaryValid);
        Assert.True(table.Gpt.BackupValid);
        Assert.Equal(expected.Start, table.Find(2)!.FirstSector);
        Assert.Equal("root", table.Find(2)!.Name);
    }

    [Fact]
    public void Wiped_primary_header_is_still_found_through_the_backup()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0, "8300", "root"));
        WriteBytes(image, 512, new byte[512]);

        var table = Read(image);

        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Contains(table.Warnings, w => w.Contains("no GPT signature at sector 1", StringComparison.Ordinal));
        Assert.Equal("root", Assert.Single(table.Partitions).Name);
    }

    [Fact]
    public void Corrupt_entry_array_falls_back_to_the_backup()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0, "8300", "root"));
        FlipByte(image, (2 * 512) + 60); // a byte of entry 1's name in the primary array.

        var table = Read(image);

        Assert.Contains(table.Warnings, w => w.Contains("entry array CRC mismatch", StringComparison.Ordinal));
        Assert.Equal("root", table.Partitions[0].Name);
    }

    [Fact]
    public void Primary_entry_array_overlapping_the_usable_range_is_rejected_in_favour_of_the_backup()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));
        SetHeaderField(image, 512, 40, 20); // FirstUsableLBA 20: inside the array at sectors 2–33, CRC made valid.

        var table = Read(image);

        Assert.Contains(table.Warnings, w => w.Contains("overlaps the usable range", StringComparison.Ordinal));
        Assert.Equal(34, table.Gpt!.FirstUsableLba);
    }

    [Fact]
    public void Unsupported_revision_is_rejected_in_favour_of_the_backup()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));
        var header = ReadBytes(image, 512, 92);
        header[10] = 2; // revision 2.0
        header.AsSpan(16, 4).Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), BitwiseCrc32(header));
        WriteBytes(image, 512, header);

        var table = Read(image);

        Assert.Contains(table.Warnings, w => w.Contains("unsupported GPT revision 0x00020000", StringComparison.Ordinal));
    }

    [Fact]
    public void Both_copies_corrupt_is_an_invalid_image()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));
        FlipByte(image, 512 + 40);
        FlipByte(image, (32 * MiB) - 512 + 40);

        var error = ReadFails(image);

        Assert.Equal(ExitCode.InvalidImage, error.Code);
        Assert.Contains("both GPT copies are unusable", error.Message, StringComparison.Ordinal);
        Assert.Contains("header CRC mismatch at sector 1", error.Message, StringComparison.Ordinal);
        Assert.Contains($"header CRC mismatch at sector {(32 * MiB / 512) - 1}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_size_disk_is_a_clear_error()
    {
        var image = _temp.File("empty.raw");
        File.WriteAllBytes(image, []);

        var error = ReadFails(image);

        Assert.Equal(ExitCode.InvalidImage, error.Code);
        Assert.Contains("is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_gpt_image_names_the_partition_past_the_end()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 64, new PartitionSpec(8), new PartitionSpec(0));
        var (start, length) = TestDisks.PartitionRange(image, 2);
        Enlarge(image, 40 * MiB);

        var error = ReadFails(image);

        Assert.Equal(ExitCode.InvalidImage, error.Code);
        Assert.StartsWith($"partition 2 ends at byte {start + length} but disk", error.Message, StringComparison.Ordinal);
        Assert.Contains($"is only {40 * MiB} bytes — truncated image?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gpt_image_cut_just_before_its_backup_header_is_a_clear_error()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 64, new PartitionSpec(0));
        Enlarge(image, (64 * MiB) - 512);

        var error = ReadFails(image);

        Assert.Equal(ExitCode.InvalidImage, error.Code);
        Assert.Contains($"backup GPT header belongs at byte {(64 * MiB) - 512}", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated image?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mbr_partition_past_the_disk_end_is_an_invalid_image()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateMbr(image, 32, (0, "83"));
        var (start, length) = TestDisks.PartitionRange(image, 1);
        Enlarge(image, 16 * MiB);

        var error = ReadFails(image);

        Assert.Equal(ExitCode.InvalidImage, error.Code);
        Assert.StartsWith($"partition 1 ends at byte {start + length} but disk", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_mbr_partitions_are_an_invalid_image()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateMbr(image, 32, (8, "83"), (0, "83"));
        var entry = ReadBytes(image, 446, 16);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(12), 20480u); // partition 1 now runs into 2
        WriteBytes(image, 446, entry);

        var error = ReadFails(image);

        Assert.Contains("partitions 1 (sectors 2048–22527) and 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
    }

    private static PartitionTable Read(string image)
    {
        using var disk = DiskImage.OpenRead(image);
        return PartitionTableReader.Read(disk);
    }

    private static ImprintException ReadFails(string image)
    {
        using var disk = DiskImage.OpenRead(image);
        return Assert.Throws<ImprintException>(() => PartitionTableReader.Read(disk));
    }
}
