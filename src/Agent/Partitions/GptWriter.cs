using System.Buffers.Binary;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Partitions;

/// <summary>
/// Rewrites a GPT from the trusted copy: both headers and entry arrays with fresh CRCs, the backup at the disk's last
/// sector, the usable range and the protective MBR fitted to the current disk size.
/// </summary>
public static class GptWriter
{
    /// <summary>Rewrites both copies, letting <paramref name="editEntries"/> change the raw entry array first.</summary>
    public static void Write(DiskImage disk, PartitionTable table, Action<byte[]>? editEntries = null)
    {
        var layout = table.Gpt ?? throw new InvalidOperationException("not a GPT disk");
        var ss = table.SectorSize;
        var totalSectors = disk.Length / ss;
        var arraySectors = layout.EntryArraySectors(ss);
        var entriesLba = layout.PrimaryValid ? layout.PrimaryEntriesLba : 2;
        var trustedHeaderLba = layout.PrimaryValid ? 1 : layout.BackupHeaderLba;
        var trustedHeader = GptHeader.Parse(disk.Read(new ByteRange(trustedHeaderLba * ss, ss)))
            ?? throw ImprintException.InvalidImage("the GPT header changed under us");
        var entries = disk.Read(new ByteRange(trustedHeader.PartitionEntryLba * ss, (long)layout.EntryCount * layout.EntrySize));
        editEntries?.Invoke(entries);

        var entriesCrc = Crc32.Compute(entries);
        var backupLba = totalSectors - 1;
        var backupEntriesLba = backupLba - arraySectors;
        var lastUsable = backupEntriesLba - 1;
        var highestUsed = table.Partitions.Count == 0 ? 0 : table.Partitions.Max(p => p.LastSector);
        for (var i = 0; i < layout.EntryCount; i++)
        {
            highestUsed = Math.Max(highestUsed, (long)BinaryPrimitives.ReadUInt64LittleEndian(entries.AsSpan((i * layout.EntrySize) + 40)));
        }

        if (highestUsed > lastUsable)
        {
            throw ImprintException.Conflict($"a partition ends at sector {highestUsed}, past the last usable sector {lastUsable}");
        }

        var oldBackupLba = layout.BackupHeaderLba;
        var primary = trustedHeader with
        {
            MyLba = 1,
            AlternateLba = backupLba,
            LastUsableLba = lastUsable,
            PartitionEntryLba = entriesLba,
            EntryArrayCrc = entriesCrc,
        };
        var backup = primary with { MyLba = backupLba, AlternateLba = 1, PartitionEntryLba = backupEntriesLba };

        // Backup first, then primary: at every moment one complete, valid copy exists.
        disk.Write(backupEntriesLba * ss, entries);
        disk.Write(backupLba * ss, backup.ToSector(ss));
        disk.Flush();
        disk.Write(entriesLba * ss, entries);
        disk.Write(ss, primary.ToSector(ss));
        WriteProtectiveMbrSize(disk, totalSectors);
        if (oldBackupLba != backupLba && oldBackupLba > 1 && (oldBackupLba + 1) * ss <= disk.Length)
        {
            // The old backup header now sits in free space the partition grows into: clear its signature so no
            // tool mistakes it for a table, before the filesystem starts using that space.
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
            if (mbr[offset + 4] == 0xEE)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(mbr.AsSpan(offset + 12), (uint)Math.Min(totalSectors - 1, uint.MaxValue));
                disk.Write(0, mbr);
                return;
            }
        }
    }
}
