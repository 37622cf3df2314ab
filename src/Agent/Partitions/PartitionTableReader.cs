using System.Buffers.Binary;
using System.Globalization;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Partitions;

/// <summary>
/// Reads MBR and GPT partition tables with our own code. A GPT is checked copy by copy (signature, header CRC, entry
/// CRC, self LBA); a corrupt primary falls back to the backup with a warning. Anything pointing past the disk end is
/// an error that names the partition and the sizes involved. Reading never writes.
/// </summary>
public static class PartitionTableReader
{
    private const int MaxEntryArrayBytes = 1024 * 1024;

    public static PartitionTable Read(DiskImage disk)
    {
        if (disk.Length == 0)
        {
            throw ImprintException.InvalidImage($"disk '{disk.Path}' is empty (0 bytes)");
        }

        if (disk.Length < 512)
        {
            throw ImprintException.InvalidImage($"disk '{disk.Path}' is only {disk.Length} bytes: truncated image?");
        }

        var mbr = disk.Read(new ByteRange(0, 512));
        var entries = Enumerable.Range(0, 4).Select(i => MbrEntry.Parse(mbr.AsSpan(MbrEntry.OffsetOf(i), 16))).ToArray();
        var hasSignature = MbrEntry.HasBootSignature(mbr);
        var protective = hasSignature && entries.Any(e => e.Type == 0xEE);
        var sectorSize = GptSectorSize(disk);
        if (protective || sectorSize is not null)
        {
            var isHybrid = protective && entries.Any(e => !e.IsEmpty && e.Type != 0xEE);
            return ReadGpt(disk, sectorSize ?? 512, isHybrid);
        }

        return hasSignature && entries.Any(e => !e.IsEmpty) && LooksLikeMbr(entries, mbr)
            ? ReadMbr(disk, mbr, entries)
            : new PartitionTable(PartitionTableKind.None, 512, disk.Length, [], null, false, [], null);
    }

    private static int? GptSectorSize(DiskImage disk)
    {
        foreach (var size in new[] { 512, 4096 })
        {
            if (disk.Length >= size * 2L && disk.Read(new ByteRange(size, 8)).AsSpan().SequenceEqual(GptHeader.Signature))
            {
                return size;
            }
        }

        return null;
    }

    // A FAT or NTFS boot sector also ends in 55AA; an MBR's entries have status 0x00 or 0x80.
    private static bool LooksLikeMbr(MbrEntry[] entries, byte[] sector) =>
        entries.All(e => e.Status is 0x00 or 0x80) && !(sector[0] == 0xEB && sector[2] == 0x90 && sector[3] != 0);

    private static PartitionTable ReadGpt(DiskImage disk, int sectorSize, bool isHybrid)
    {
        var totalSectors = disk.Length / sectorSize;
        var warnings = new List<string>();
        var primary = ReadCopy(disk, sectorSize, 1);
        var backupLba = primary.Header is { } ph && ph.AlternateLba > 1 && ph.AlternateLba < totalSectors ? ph.AlternateLba : totalSectors - 1;
        var backup = ReadCopy(disk, sectorSize, backupLba);
        if (!backup.Valid && backupLba != totalSectors - 1)
        {
            backup = ReadCopy(disk, sectorSize, totalSectors - 1);
        }

        GptCopy chosen;
        if (primary.Valid)
        {
            chosen = primary;
            if (!backup.Valid)
            {
                warnings.Add(primary.Header!.AlternateLba >= totalSectors
                    ? $"the backup GPT header should be at sector {primary.Header.AlternateLba} but the disk has only {totalSectors} sectors: truncated image?"
                    : $"backup GPT header at sector {backupLba} is missing or corrupt ({backup.Problem}); it will be rewritten on the next table change");
            }
            else if (primary.Header!.AlternateLba != totalSectors - 1)
            {
                warnings.Add($"the disk has grown: the backup GPT is at sector {primary.Header.AlternateLba}, not at the last sector {totalSectors - 1}");
            }
        }
        else if (backup.Valid)
        {
            chosen = backup;
            warnings.Add($"primary GPT header/entries corrupt ({primary.Problem}); using backup at sector {backup.Header!.MyLba}");
        }
        else
        {
            throw ImprintException.InvalidImage($"disk '{disk.Path}': both GPT copies are unusable — primary: {primary.Problem}; backup: {backup.Problem}");
        }

        var header = chosen.Header!;
        if (header.AlternateLba >= totalSectors && chosen == primary && !backup.Valid)
        {
            throw ImprintException.InvalidImage($"disk '{disk.Path}' is {disk.Length} bytes but its GPT says it had at least {(header.AlternateLba + 1) * sectorSize}: truncated image?");
        }

        var partitions = new List<Partition>();
        for (var i = 0; i < header.EntryCount; i++)
        {
            var entry = GptEntry.Parse(chosen.Entries.AsSpan(i * header.EntrySize, header.EntrySize));
            if (!entry.IsUsed)
            {
                continue;
            }

            var number = i + 1;
            if (entry.FirstLba > entry.LastLba || entry.FirstLba < header.FirstUsableLba)
            {
                throw ImprintException.InvalidImage($"disk '{disk.Path}': GPT partition {number} has an invalid range (sectors {entry.FirstLba}–{entry.LastLba})");
            }

            CheckInsideDisk(disk, number, entry.FirstLba, entry.LastLba, sectorSize);
            partitions.Add(new Partition(
                number,
                new ByteRange(entry.FirstLba * sectorSize, (entry.LastLba - entry.FirstLba + 1) * sectorSize),
                entry.FirstLba,
                entry.LastLba,
                entry.Type.ToString(),
                PartitionTypes.GptName(entry.Type),
                entry.Name,
                entry.Unique.ToString(),
                entry.Attributes,
                IsLogical: false,
                Bootable: (entry.Attributes & 0b100) != 0));
        }

        CheckOverlaps(disk, partitions);
        var layout = new GptLayout(1, header.MyLba == 1 ? header.AlternateLba : header.MyLba, header.FirstUsableLba, header.LastUsableLba, header.EntryCount, header.EntrySize, chosen == primary ? header.PartitionEntryLba : 2, primary.Valid, backup.Valid, header.DiskGuid);
        return new PartitionTable(PartitionTableKind.Gpt, sectorSize, disk.Length, partitions, header.DiskGuid.ToString(), isHybrid, warnings, layout);
    }

    private static GptCopy ReadCopy(DiskImage disk, int sectorSize, long lba)
    {
        if ((lba + 1) * sectorSize > disk.Length)
        {
            return GptCopy.Invalid($"sector {lba} lies past the disk end");
        }

        var sector = disk.Read(new ByteRange(lba * sectorSize, sectorSize));
        var header = GptHeader.Parse(sector);
        if (header is null)
        {
            return GptCopy.Invalid($"no GPT signature at sector {lba}");
        }

        if (!GptHeader.HasValidCrc(sector, header))
        {
            return GptCopy.Invalid($"header CRC mismatch at sector {lba}");
        }

        if (header.MyLba != lba)
        {
            return GptCopy.Invalid($"header at sector {lba} says it lives at {header.MyLba}");
        }

        var arrayBytes = (long)header.EntryCount * header.EntrySize;
        if (arrayBytes > MaxEntryArrayBytes)
        {
            return GptCopy.Invalid($"entry array of {arrayBytes} bytes is implausibly large");
        }

        if (header.PartitionEntryLba < 2 || (header.PartitionEntryLba * sectorSize) + arrayBytes > disk.Length)
        {
            return GptCopy.Invalid($"entry array at sector {header.PartitionEntryLba} lies outside the disk");
        }

        var entries = disk.Read(new ByteRange(header.PartitionEntryLba * sectorSize, arrayBytes));
        if (Crc32.Compute(entries) != header.EntryArrayCrc)
        {
            return GptCopy.Invalid($"entry array CRC mismatch (array at sector {header.PartitionEntryLba})");
        }

        return new GptCopy(header, entries, sector, null);
    }

    private static PartitionTable ReadMbr(DiskImage disk, byte[] mbr, MbrEntry[] primaries)
    {
        var partitions = new List<Partition>();
        for (var i = 0; i < 4; i++)
        {
            var e = primaries[i];
            if (e.IsEmpty)
            {
                continue;
            }

            CheckInsideDisk(disk, i + 1, e.FirstLba, (long)e.FirstLba + e.SectorCount - 1, 512);
            partitions.Add(MbrPartition(i + 1, e, e.FirstLba, isLogical: false));
            if (e.IsExtended)
            {
                ReadLogicals(disk, e, partitions);
            }
        }

        CheckOverlaps(disk, partitions.Where(p => !PartitionTable.IsExtendedContainer(p)).ToList());
        var signature = BinaryPrimitives.ReadUInt32LittleEndian(mbr.AsSpan(440));
        return new PartitionTable(PartitionTableKind.Mbr, 512, disk.Length, partitions, signature.ToString("x8", CultureInfo.InvariantCulture), false, [], null);
    }

    private static void ReadLogicals(DiskImage disk, MbrEntry extended, List<Partition> partitions)
    {
        var number = 5;
        long ebrLba = extended.FirstLba;
        var seen = new HashSet<long>();
        while (ebrLba != 0)
        {
            if (!seen.Add(ebrLba) || seen.Count > 256)
            {
                throw ImprintException.InvalidImage($"disk '{disk.Path}': the extended partition's EBR chain loops");
            }

            CheckInsideDisk(disk, number, ebrLba, ebrLba, 512);
            var ebr = disk.Read(new ByteRange(ebrLba * 512, 512));
            if (!MbrEntry.HasBootSignature(ebr))
            {
                throw ImprintException.InvalidImage($"disk '{disk.Path}': EBR at sector {ebrLba} has no boot signature");
            }

            var logical = MbrEntry.Parse(ebr.AsSpan(MbrEntry.OffsetOf(0), 16));
            var next = MbrEntry.Parse(ebr.AsSpan(MbrEntry.OffsetOf(1), 16));
            if (!logical.IsEmpty)
            {
                var first = ebrLba + logical.FirstLba;
                CheckInsideDisk(disk, number, first, first + logical.SectorCount - 1, 512);
                partitions.Add(MbrPartition(number, logical, first, isLogical: true));
                number++;
            }

            ebrLba = next.IsEmpty ? 0 : extended.FirstLba + next.FirstLba;
        }
    }

    private static Partition MbrPartition(int number, MbrEntry e, long first, bool isLogical)
    {
        var last = first + e.SectorCount - 1;
        return new Partition(
            number,
            new ByteRange(first * 512, (long)e.SectorCount * 512),
            first,
            last,
            string.Create(CultureInfo.InvariantCulture, $"0x{e.Type:x2}"),
            PartitionTypes.MbrName(e.Type),
            null,
            null,
            0,
            isLogical,
            e.Status == 0x80);
    }

    private static void CheckInsideDisk(DiskImage disk, int number, long first, long last, int sectorSize)
    {
        var endByte = (last + 1) * sectorSize;
        if (endByte > disk.Length)
        {
            throw ImprintException.InvalidImage($"partition {number} ends at byte {endByte} but disk '{disk.Path}' is only {disk.Length} bytes — truncated image?");
        }
    }

    private static void CheckOverlaps(DiskImage disk, List<Partition> partitions)
    {
        var ordered = partitions.OrderBy(p => p.FirstSector).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].FirstSector <= ordered[i - 1].LastSector)
            {
                throw ImprintException.InvalidImage($"disk '{disk.Path}': partitions {ordered[i - 1].Number} and {ordered[i].Number} overlap");
            }
        }
    }

    private sealed record GptCopy(GptHeader? Header, byte[] Entries, byte[] Sector, string? Problem)
    {
        public bool Valid => Problem is null;

        public static GptCopy Invalid(string problem) => new(null, [], [], problem);
    }
}
