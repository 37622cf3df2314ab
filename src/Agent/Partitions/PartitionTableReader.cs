using System.Buffers.Binary;
using System.Globalization;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Partitions;

/// <summary>
/// Reads MBR and GPT partition tables with our own code. Each GPT copy is validated on its own (signature, revision,
/// header size, header CRC, own LBA, usable range, entry-array placement and CRC); a damaged primary falls back to
/// the backup with a warning, both damaged is an error. Anything pointing past the disk end is an error naming the
/// partition and the sizes. Reading never writes.
/// </summary>
public static class PartitionTableReader
{
    private const int MaxEntryArrayBytes = 1024 * 1024;

    public static PartitionTable Read(DiskImage disk)
    {
        if (disk.Length == 0)
        {
            throw ImprintException.InvalidImage($"disk '{disk.Path}' is empty (0 bytes): there is no partition table to read");
        }

        if (disk.Length < 512)
        {
            throw ImprintException.InvalidImage($"disk '{disk.Path}' is only {disk.Length} bytes, less than one sector — truncated image?");
        }

        var mbr = disk.Read(new ByteRange(0, 512));
        var hasSignature = MbrEntry.HasBootSignature(mbr);
        var entries = hasSignature ? Enumerable.Range(0, 4).Select(i => MbrEntry.Parse(mbr.AsSpan(MbrEntry.OffsetOf(i), 16))).ToArray() : [];
        var protective = entries.FirstOrDefault(e => e.Type == MbrEntry.ProtectiveType);
        var sectorSize = GptSectorSize(disk, lookAtBackup: protective is not null);
        if (protective is not null || sectorSize is not null)
        {
            var isHybrid = protective is not null && entries.Any(e => !e.IsEmpty && e.Type != MbrEntry.ProtectiveType);
            return ReadGpt(disk, sectorSize ?? 512, isHybrid, protective?.SectorCount);
        }

        return hasSignature && entries.Any(e => !e.IsEmpty) && LooksLikeMbr(entries, mbr)
            ? ReadMbr(disk, mbr, entries)
            : new PartitionTable(PartitionTableKind.None, 512, disk.Length, [], null, false, [], null);
    }

    /// <summary>512 or 4096 when "EFI PART" sits at LBA 1 of that size (or, for a damaged primary, at the last LBA).</summary>
    private static int? GptSectorSize(DiskImage disk, bool lookAtBackup)
    {
        int[] sizes = [512, 4096];
        foreach (var size in sizes)
        {
            if (disk.Length >= size * 2L && HasSignatureAt(disk, size))
            {
                return size;
            }
        }

        if (lookAtBackup)
        {
            foreach (var size in sizes)
            {
                if (disk.Length >= size * 3L && disk.Length % size == 0 && HasSignatureAt(disk, disk.Length - size))
                {
                    return size;
                }
            }
        }

        return null;
    }

    private static bool HasSignatureAt(DiskImage disk, long offset)
    {
        Span<byte> signature = stackalloc byte[8];
        disk.ReadExactly(offset, signature);
        return signature.SequenceEqual(GptHeader.Signature);
    }

    // A FAT or NTFS boot sector also ends in 55AA; an MBR's entries have status 0x00 or 0x80.
    private static bool LooksLikeMbr(MbrEntry[] entries, byte[] sector) =>
        entries.All(e => e.Status is 0x00 or 0x80) && !(sector[0] == 0xEB && sector[2] == 0x90 && sector[3] != 0);

    private static PartitionTable ReadGpt(DiskImage disk, int sectorSize, bool isHybrid, uint? protectiveSectors)
    {
        var totalSectors = disk.Length / sectorSize;
        if (totalSectors < 3)
        {
            throw ImprintException.InvalidImage($"disk '{disk.Path}' is only {disk.Length} bytes, too small for a GPT — truncated image?");
        }

        var warnings = new List<string>();
        if (protectiveSectors is null)
        {
            warnings.Add("the disk has a GPT but no protective MBR (no 0xEE entry)");
        }

        // A damaged primary's AlternateLBA is still a useful hint (the disk may have grown since): the backup found
        // there must pass every check on its own.
        var primary = ReadCopy(disk, sectorSize, 1);
        var backupLba = primary.Header is { } ph && ph.AlternateLba > 1 && ph.AlternateLba < totalSectors ? ph.AlternateLba : totalSectors - 1;
        var backup = ReadCopy(disk, sectorSize, backupLba);
        if (!backup.Valid && backupLba != totalSectors - 1 && ReadCopy(disk, sectorSize, totalSectors - 1) is { Valid: true } atEnd)
        {
            backup = atEnd;
        }

        GptCopy chosen;
        if (primary.Valid)
        {
            chosen = primary;
            var alternate = primary.Header!.AlternateLba;
            if (backup.Valid && backup.Header!.EntryArrayCrc != primary.Header.EntryArrayCrc)
            {
                warnings.Add("the primary and backup GPT entry arrays differ; using the primary");
            }

            if (!backup.Valid && alternate < totalSectors)
            {
                warnings.Add($"backup GPT header at sector {backupLba} is missing or corrupt ({backup.Problem}); RepairGpt or the next table change rewrites it");
            }
        }
        else if (backup.Valid)
        {
            chosen = backup;
            warnings.Add($"primary GPT header/entries corrupt; using backup ({primary.Problem}; backup at sector {backup.Header!.MyLba})");
        }
        else
        {
            throw ImprintException.InvalidImage($"disk '{disk.Path}': both GPT copies are unusable — primary: {primary.Problem}; backup: {backup.Problem}");
        }

        var header = chosen.Header!;
        var partitions = ReadGptPartitions(disk, sectorSize, header, chosen.Entries);

        // Checked after the partitions, so a truncated image names the partition that was cut first.
        if (!backup.Valid && header.AlternateLba >= totalSectors)
        {
            throw ImprintException.InvalidImage(
                $"disk '{disk.Path}': the backup GPT header belongs at byte {header.AlternateLba * sectorSize} but the disk is only {disk.Length} bytes — truncated image?");
        }

        var backupHeaderLba = backup.Valid ? backup.Header!.MyLba : header.MyLba == 1 ? header.AlternateLba : header.MyLba;
        if (backup.Valid && backupHeaderLba != totalSectors - 1)
        {
            warnings.Add($"the disk has grown: the backup GPT header is at sector {backupHeaderLba}, not at the last sector {totalSectors - 1}");
        }

        var layout = new GptLayout(
            backupHeaderLba,
            header.FirstUsableLba,
            header.LastUsableLba,
            (int)header.EntryCount,
            (int)header.EntrySize,
            primary.Valid ? primary.Header!.PartitionEntryLba : 2,
            primary.Valid,
            backup.Valid,
            header.DiskGuid,
            protectiveSectors);
        return new PartitionTable(PartitionTableKind.Gpt, sectorSize, disk.Length, partitions, header.DiskGuid.ToString(), isHybrid, warnings, layout);
    }

    private static List<Partition> ReadGptPartitions(DiskImage disk, int sectorSize, GptHeader header, byte[] entries)
    {
        var partitions = new List<Partition>();
        for (var i = 0; i < header.EntryCount; i++)
        {
            var entry = GptEntry.Parse(entries.AsSpan(i * (int)header.EntrySize, (int)header.EntrySize));
            if (!entry.IsUsed)
            {
                continue;
            }

            var number = i + 1;
            if (entry.FirstLba > entry.LastLba || entry.FirstLba < 0)
            {
                throw ImprintException.InvalidImage($"disk '{disk.Path}': GPT partition {number} has an inverted range (sectors {entry.FirstLba}–{entry.LastLba})");
            }

            CheckInsideDisk(disk, number, entry.FirstLba, entry.LastLba, sectorSize);
            if (entry.FirstLba < header.FirstUsableLba || entry.LastLba > header.LastUsableLba)
            {
                throw ImprintException.InvalidImage(
                    $"disk '{disk.Path}': GPT partition {number} (sectors {entry.FirstLba}–{entry.LastLba}) lies outside the usable range {header.FirstUsableLba}–{header.LastUsableLba}");
            }

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
                Bootable: (entry.Attributes & GptEntry.LegacyBiosBootable) != 0));
        }

        CheckOverlaps(disk, partitions);
        return partitions;
    }

    /// <summary>Reads and validates one GPT copy; an invalid copy carries the first problem found.</summary>
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

        if (header.Revision >> 16 != 1)
        {
            return GptCopy.Invalid($"unsupported GPT revision 0x{header.Revision:x8} at sector {lba}", header);
        }

        if (header.HeaderSize < GptHeader.MinimumSize || header.HeaderSize > sectorSize)
        {
            return GptCopy.Invalid($"header size {header.HeaderSize} at sector {lba} is outside {GptHeader.MinimumSize}–{sectorSize}", header);
        }

        var crc = GptHeader.ComputeCrc(sector, (int)header.HeaderSize);
        if (crc != header.HeaderCrc)
        {
            return GptCopy.Invalid($"header CRC mismatch at sector {lba} (stored 0x{header.HeaderCrc:x8}, computed 0x{crc:x8})", header);
        }

        if (header.MyLba != lba)
        {
            return GptCopy.Invalid($"header at sector {lba} says it lives at sector {header.MyLba}", header);
        }

        if (header.EntrySize < 128 || (header.EntrySize & (header.EntrySize - 1)) != 0 || header.EntryCount == 0 || header.EntryArrayBytes > MaxEntryArrayBytes)
        {
            return GptCopy.Invalid($"implausible entry array at sector {lba}: {header.EntryCount} entries of {header.EntrySize} bytes", header);
        }

        if (header.FirstUsableLba > header.LastUsableLba || header.FirstUsableLba < 2)
        {
            return GptCopy.Invalid($"usable range {header.FirstUsableLba}–{header.LastUsableLba} in the header at sector {lba} is invalid", header);
        }

        if (lba == 1 ? header.AlternateLba <= header.LastUsableLba : lba <= header.LastUsableLba)
        {
            return GptCopy.Invalid($"the header at sector {lba} places the backup header inside its usable range {header.FirstUsableLba}–{header.LastUsableLba}", header);
        }

        var arrayFirst = header.PartitionEntryLba;
        var arrayLast = arrayFirst + header.EntryArraySectors(sectorSize) - 1;
        if (arrayFirst < 2 || (arrayFirst <= header.LastUsableLba && arrayLast >= header.FirstUsableLba) || (lba >= arrayFirst && lba <= arrayLast))
        {
            return GptCopy.Invalid(
                $"entry array at sectors {arrayFirst}–{arrayLast} overlaps the usable range {header.FirstUsableLba}–{header.LastUsableLba} or a header (header at sector {lba})",
                header);
        }

        if ((arrayLast + 1) * sectorSize > disk.Length)
        {
            return GptCopy.Invalid($"entry array at sectors {arrayFirst}–{arrayLast} lies past the disk end", header);
        }

        var entries = disk.Read(new ByteRange(arrayFirst * sectorSize, header.EntryArrayBytes));
        if (Crc32.Compute(entries) != header.EntryArrayCrc)
        {
            return GptCopy.Invalid($"entry array CRC mismatch (array at sector {arrayFirst}, header at sector {lba})", header);
        }

        return new GptCopy(header, entries, null);
    }

    private static PartitionTable ReadMbr(DiskImage disk, byte[] mbr, MbrEntry[] primaries)
    {
        var signature = BinaryPrimitives.ReadUInt32LittleEndian(mbr.AsSpan(440));
        var diskId = signature.ToString("x8", CultureInfo.InvariantCulture);
        var partitions = new List<Partition>();
        var extendedSeen = false;
        for (var i = 0; i < 4; i++)
        {
            var e = primaries[i];
            if (e.IsEmpty)
            {
                continue;
            }

            var last = (long)e.FirstLba + e.SectorCount - 1;
            CheckInsideDisk(disk, i + 1, e.FirstLba, last, 512);
            partitions.Add(MbrPartition(i + 1, e, e.FirstLba, diskId, isLogical: false));
            if (e.IsExtended)
            {
                if (extendedSeen)
                {
                    throw ImprintException.InvalidImage($"disk '{disk.Path}': the MBR holds more than one extended partition");
                }

                extendedSeen = true;
                ReadLogicals(disk, e, diskId, partitions);
            }
        }

        // Primaries (containers included) must not overlap each other; logicals must not overlap anything but their container.
        CheckOverlaps(disk, partitions.Where(p => !p.IsLogical).ToList());
        CheckOverlaps(disk, partitions.Where(p => !PartitionTable.IsExtendedContainer(p)).ToList());
        return new PartitionTable(PartitionTableKind.Mbr, 512, disk.Length, partitions, diskId, false, [], null);
    }

    private static void ReadLogicals(DiskImage disk, MbrEntry extended, string diskId, List<Partition> partitions)
    {
        var containerFirst = (long)extended.FirstLba;
        var containerLast = containerFirst + extended.SectorCount - 1;
        var number = 5;
        var ebrLba = containerFirst;
        var seen = new HashSet<long>();
        while (true)
        {
            if (!seen.Add(ebrLba) || seen.Count > 1024)
            {
                throw ImprintException.InvalidImage($"disk '{disk.Path}': the chain of extended boot records loops (sector {ebrLba} seen twice)");
            }

            if (ebrLba < containerFirst || ebrLba > containerLast)
            {
                throw ImprintException.InvalidImage($"disk '{disk.Path}': an extended boot record at sector {ebrLba} lies outside its extended partition (sectors {containerFirst}–{containerLast})");
            }

            var ebr = disk.Read(new ByteRange(ebrLba * 512, 512));
            if (!MbrEntry.HasBootSignature(ebr))
            {
                throw ImprintException.InvalidImage($"disk '{disk.Path}': the extended boot record at sector {ebrLba} has no 55AA signature");
            }

            var logical = MbrEntry.Parse(ebr.AsSpan(MbrEntry.OffsetOf(0), 16));
            var next = MbrEntry.Parse(ebr.AsSpan(MbrEntry.OffsetOf(1), 16));
            if (!logical.IsEmpty)
            {
                // A logical entry counts from its own EBR; the link to the next EBR counts from the container start.
                var first = ebrLba + logical.FirstLba;
                var last = first + logical.SectorCount - 1;
                CheckInsideDisk(disk, number, first, last, 512);
                if (first <= ebrLba || last > containerLast)
                {
                    throw ImprintException.InvalidImage(
                        $"disk '{disk.Path}': logical partition {number} (sectors {first}–{last}) lies outside its extended partition (sectors {containerFirst}–{containerLast})");
                }

                partitions.Add(MbrPartition(number, logical, first, diskId, isLogical: true));
                number++;
            }

            if (next.IsEmpty)
            {
                return;
            }

            ebrLba = containerFirst + next.FirstLba;
        }
    }

    private static Partition MbrPartition(int number, MbrEntry e, long first, string diskId, bool isLogical) => new(
        number,
        new ByteRange(first * 512, (long)e.SectorCount * 512),
        first,
        first + e.SectorCount - 1,
        string.Create(CultureInfo.InvariantCulture, $"0x{e.Type:x2}"),
        PartitionTypes.MbrName(e.Type),
        null,
        string.Create(CultureInfo.InvariantCulture, $"{diskId}-{number:x2}"),
        0,
        isLogical,
        e.Status == 0x80);

    private static void CheckInsideDisk(DiskImage disk, int number, long first, long last, int sectorSize)
    {
        var endByte = (last + 1) * sectorSize;
        if (endByte > disk.Length)
        {
            throw ImprintException.InvalidImage(
                $"partition {number} ends at byte {endByte} but disk '{disk.Path}' is only {disk.Length} bytes — truncated image? (partition starts at byte {first * sectorSize})");
        }
    }

    private static void CheckOverlaps(DiskImage disk, List<Partition> partitions)
    {
        var ordered = partitions.OrderBy(p => p.FirstSector).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].FirstSector <= ordered[i - 1].LastSector)
            {
                throw ImprintException.InvalidImage(
                    $"disk '{disk.Path}': partitions {ordered[i - 1].Number} (sectors {ordered[i - 1].FirstSector}–{ordered[i - 1].LastSector}) and {ordered[i].Number} (sectors {ordered[i].FirstSector}–{ordered[i].LastSector}) overlap");
            }
        }
    }

    /// <summary>One GPT copy; <see cref="Header"/> is set whenever the signature was found, valid or not.</summary>
    private sealed record GptCopy(GptHeader? Header, byte[] Entries, string? Problem)
    {
        public bool Valid => Problem is null;

        public static GptCopy Invalid(string problem, GptHeader? header = null) => new(header, [], problem);
    }
}
