using System.Buffers.Binary;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Partitions;

/// <summary>
/// Rewrites both GPT copies from the trusted one: entry arrays and headers with fresh CRCs, the backup at the disk's
/// last sector, the usable range and (unless hybrid) the protective MBR fitted to the current disk size. Writes go
/// backup first and primary last, flushed in between, so a crash leaves at least one complete, valid copy.
/// </summary>
internal static class GptWriter
{
    /// <summary>
    /// Rewrites both copies; <paramref name="editEntries"/> may change the raw entry array first. <paramref name="newDiskLength"/>
    /// (shorter than the disk) places the backup at the end of a disk about to be truncated to that length.
    /// </summary>
    public static void Write(DiskImage disk, PartitionTable table, Action<byte[]>? editEntries = null, long? newDiskLength = null)
    {
        var layout = table.Gpt ?? throw new InvalidOperationException("not a GPT disk");
        if (disk.Length != table.DiskLength)
        {
            throw ImprintException.Conflict($"disk '{disk.Path}' is {disk.Length} bytes but its table was read at {table.DiskLength}; read it again");
        }

        var ss = table.SectorSize;
        if (newDiskLength is { } shorter && (shorter > disk.Length || shorter % ss != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(newDiskLength), $"{shorter} is not a whole number of sectors within the disk's {disk.Length} bytes");
        }

        var totalSectors = (newDiskLength ?? disk.Length) / ss;
        var trustedHeaderLba = layout.PrimaryValid ? 1 : layout.BackupHeaderLba;
        var trustedHeader = GptHeader.Parse(disk.Read(new ByteRange(trustedHeaderLba * ss, ss)))
            ?? throw ImprintException.Conflict($"disk '{disk.Path}': the GPT header at sector {trustedHeaderLba} changed since it was read");
        var entries = disk.Read(new ByteRange(trustedHeader.PartitionEntryLba * ss, (long)layout.EntryCount * layout.EntrySize));
        editEntries?.Invoke(entries);

        var arraySectors = layout.EntryArraySectors(ss);
        var backupLba = totalSectors - 1;
        var backupEntriesLba = backupLba - arraySectors;
        var lastUsable = backupEntriesLba - 1;
        var primaryEntriesLba = layout.PrimaryEntriesLba;
        if (primaryEntriesLba + arraySectors > layout.FirstUsableLba)
        {
            throw ImprintException.InvalidImage($"disk '{disk.Path}': the primary GPT entry array (sectors {primaryEntriesLba}–{primaryEntriesLba + arraySectors - 1}) would overlap the first usable sector {layout.FirstUsableLba}");
        }

        for (var i = 0; i < layout.EntryCount; i++)
        {
            var entry = entries.AsSpan(i * layout.EntrySize, layout.EntrySize);
            var last = (long)BinaryPrimitives.ReadUInt64LittleEndian(entry[40..]);
            if (!entry[..16].ContainsAnyExcept((byte)0))
            {
                continue;
            }

            if (last > lastUsable)
            {
                throw ImprintException.Conflict($"disk '{disk.Path}': partition {i + 1} ends at sector {last}, past the last usable sector {lastUsable} of a {totalSectors * ss}-byte disk");
            }
        }

        var entriesCrc = Crc32.Compute(entries);
        var primary = trustedHeader with
        {
            MyLba = 1,
            AlternateLba = backupLba,
            LastUsableLba = lastUsable,
            PartitionEntryLba = primaryEntriesLba,
            EntryArrayCrc = entriesCrc,
        };
        var backup = primary with { MyLba = backupLba, AlternateLba = 1, PartitionEntryLba = backupEntriesLba };

        disk.Write(backupEntriesLba * ss, entries);
        disk.Write(backupLba * ss, backup.ToSector(ss));
        disk.Flush();
        disk.Write(primaryEntriesLba * ss, entries);
        disk.Write(ss, primary.ToSector(ss));
        disk.Flush();
        if (!table.IsHybridMbr)
        {
            WriteProtectiveMbrSize(disk, totalSectors);
        }

        var oldBackupLba = layout.BackupHeaderLba;
        if (oldBackupLba > 1 && oldBackupLba < backupEntriesLba)
        {
            // The old backup header now sits in space the partition grows into: clear its signature so no tool
            // mistakes it for a table before the filesystem starts using that space.
            disk.Write(oldBackupLba * ss, new byte[ss]);
        }

        disk.Flush();
    }

    private static void WriteProtectiveMbrSize(DiskImage disk, long totalSectors)
    {
        var mbr = disk.Read(new ByteRange(0, 512));
        if (!MbrEntry.HasBootSignature(mbr))
        {
            return;
        }

        for (var i = 0; i < 4; i++)
        {
            var offset = MbrEntry.OffsetOf(i);
            if (mbr[offset + 4] != MbrEntry.ProtectiveType)
            {
                continue;
            }

            var size = GptLayout.ProtectiveSizeFor(totalSectors);
            if (BinaryPrimitives.ReadUInt32LittleEndian(mbr.AsSpan(offset + 12)) != size)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(mbr.AsSpan(offset + 12), size);
                MbrEntry.EncodeChs(Math.Min(totalSectors - 1, uint.MaxValue), mbr.AsSpan(offset + 5, 3));
                disk.Write(0, mbr);
            }

            return;
        }
    }
}
