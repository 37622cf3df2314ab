using System.Text.Json;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Partitions;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Partitions;

public sealed class PartitionTableReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Crc32_matches_the_standard_check_value() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Fact]
    public void Gpt_read_matches_sfdisk_for_every_partition()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 64, new PartitionSpec(1, "ef02", "bios"), new PartitionSpec(8, "ef00", "esp"), new PartitionSpec(16, "8200", "swap"), new PartitionSpec(0, "8300", "root"));
        var hash = Sh.Sha256(image);

        using var disk = DiskImage.OpenRead(image);
        var table = PartitionTableReader.Read(disk);

        Assert.Equal(PartitionTableKind.Gpt, table.Kind);
        Assert.Empty(table.Warnings);
        using var doc = JsonDocument.Parse(Sh.Run("sfdisk", "--json", image));
        var expected = doc.RootElement.GetProperty("partitiontable").GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal(expected.Count, table.Partitions.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var p = table.Partitions[i];
            Assert.Equal(expected[i].GetProperty("start").GetInt64(), p.FirstSector);
            Assert.Equal(expected[i].GetProperty("size").GetInt64(), p.LastSector - p.FirstSector + 1);
            Assert.Equal(expected[i].GetProperty("type").GetString(), p.TypeId, ignoreCase: true);
            Assert.Equal(expected[i].GetProperty("uuid").GetString(), p.UniqueId, ignoreCase: true);
            Assert.Equal(expected[i].GetProperty("name").GetString(), p.Name);
        }

        Assert.Equal("EFI system", table.Partitions[1].TypeName);
        Assert.Equal(doc.RootElement.GetProperty("partitiontable").GetProperty("id").GetString(), table.DiskId, ignoreCase: true);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public void Mbr_primaries_and_logicals_match_sfdisk()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateSparse(image, 64 * TestDisks.MiB);
        Sh.RunResult("sfdisk", ["--no-reread", "--no-tell-kernel", image], stdin: "label: dos\n,8MiB,83,*\n,,5\n,10MiB,82\n,12MiB,83\n");

        using var disk = DiskImage.OpenRead(image);
        var table = PartitionTableReader.Read(disk);

        Assert.Equal(PartitionTableKind.Mbr, table.Kind);
        using var doc = JsonDocument.Parse(Sh.Run("sfdisk", "--json", image));
        var expected = doc.RootElement.GetProperty("partitiontable").GetProperty("partitions").EnumerateArray()
            .Select(p => (Node: p.GetProperty("node").GetString()!, Start: p.GetProperty("start").GetInt64(), Size: p.GetProperty("size").GetInt64(), Type: p.GetProperty("type").GetString()!))
            .ToList();
        Assert.Equal(expected.Count, table.Partitions.Count);
        foreach (var (node, start, size, type) in expected)
        {
            var number = int.Parse(node[(image.Length)..], System.Globalization.CultureInfo.InvariantCulture);
            var p = Assert.Single(table.Partitions, x => x.Number == number);
            Assert.Equal(start, p.FirstSector);
            Assert.Equal(size, p.LastSector - p.FirstSector + 1);
            Assert.Equal("0x" + type.PadLeft(2, '0'), p.TypeId);
        }

        Assert.True(table.Find(1)!.Bootable);
        Assert.True(table.Find(5)!.IsLogical);
        Assert.True(table.Find(6)!.IsLogical);
    }

    [Fact]
    public void Unpartitioned_disk_reads_as_no_table()
    {
        var image = _temp.File("plain.raw");
        TestDisks.CreateSparse(image, 8 * TestDisks.MiB);

        using var disk = DiskImage.OpenRead(image);

        Assert.Equal(PartitionTableKind.None, PartitionTableReader.Read(disk).Kind);
    }

    [Fact]
    public void Corrupt_primary_header_falls_back_to_the_backup_with_a_warning_and_repair_restores_it()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));
        FlipByte(image, 512 + 40); // FirstUsableLBA of the primary header: its CRC no longer matches.

        PartitionTable table;
        using (var disk = DiskImage.OpenRead(image))
        {
            table = PartitionTableReader.Read(disk);
        }

        Assert.Contains(table.Warnings, w => w.Contains("primary GPT", StringComparison.Ordinal) && w.Contains("using backup", StringComparison.Ordinal));
        Assert.Single(table.Partitions);
        using (var disk = DiskImage.OpenWrite(image))
        {
            Assert.True(RepairGpt.Repair(disk, table));
        }

        Sh.AssertGptValid(image);
    }

    [Fact]
    public void Corrupt_entry_array_falls_back_to_the_backup()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0, "8300", "root"));
        FlipByte(image, (2 * 512) + 60); // a byte of entry 1's name in the primary array.

        using var disk = DiskImage.OpenRead(image);
        var table = PartitionTableReader.Read(disk);

        Assert.Contains(table.Warnings, w => w.Contains("entry array CRC", StringComparison.Ordinal));
        Assert.Equal("root", table.Partitions[0].Name);
    }

    [Fact]
    public void Both_copies_corrupt_is_an_invalid_image()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));
        FlipByte(image, 512 + 40);
        FlipByte(image, (32 * TestDisks.MiB) - 512 + 40);

        using var disk = DiskImage.OpenRead(image);
        var error = Assert.Throws<ImprintException>(() => PartitionTableReader.Read(disk));

        Assert.Equal(ExitCode.InvalidImage, error.Code);
        Assert.Contains("both GPT copies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_size_disk_is_a_clear_error()
    {
        var image = _temp.File("empty.raw");
        File.WriteAllBytes(image, []);

        using var disk = DiskImage.OpenRead(image);
        var error = Assert.Throws<ImprintException>(() => PartitionTableReader.Read(disk));

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_gpt_image_names_the_partition_past_the_end()
    {
        var image = _temp.File("gpt.raw");
        TestDisks.CreateGpt(image, 64, new PartitionSpec(8), new PartitionSpec(0));
        using (var stream = new FileStream(image, FileMode.Open))
        {
            stream.SetLength(40 * TestDisks.MiB);
        }

        using var disk = DiskImage.OpenRead(image);
        var error = Assert.Throws<ImprintException>(() => PartitionTableReader.Read(disk));

        Assert.Equal(ExitCode.InvalidImage, error.Code);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mbr_partition_past_the_disk_end_is_an_invalid_image()
    {
        var image = _temp.File("mbr.raw");
        TestDisks.CreateMbr(image, 32, (0, "83"));
        using (var stream = new FileStream(image, FileMode.Open))
        {
            stream.SetLength(16 * TestDisks.MiB);
        }

        using var disk = DiskImage.OpenRead(image);
        var error = Assert.Throws<ImprintException>(() => PartitionTableReader.Read(disk));

        Assert.Contains("partition 1 ends at byte", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hybrid_mbr_is_detected()
    {
        var image = _temp.File("hybrid.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(8, "0700"), new PartitionSpec(0));
        MakeHybrid(image);

        using var disk = DiskImage.OpenRead(image);

        Assert.True(PartitionTableReader.Read(disk).IsHybridMbr);
    }

    internal static void MakeHybrid(string image)
    {
        // Entry 2 of the MBR mirrors GPT partition 1 (sectors 2048.. +8 MiB) as type 0x07, next to the 0xEE entry.
        using var stream = new FileStream(image, FileMode.Open);
        var entry = new byte[16];
        entry[4] = 0x07;
        BitConverter.TryWriteBytes(entry.AsSpan(8), 2048u);
        BitConverter.TryWriteBytes(entry.AsSpan(12), 16384u);
        stream.Position = 446 + 16;
        stream.Write(entry);
    }

    internal static void FlipByte(string image, long offset)
    {
        using var stream = new FileStream(image, FileMode.Open);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0xFF));
    }
}
