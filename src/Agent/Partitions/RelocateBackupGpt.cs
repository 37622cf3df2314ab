using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Partitions;

/// <summary>
/// After a disk file was enlarged, moves the backup GPT (entries + header) to the new last sector, updates the
/// primary's AlternateLBA and LastUsableLBA, recomputes all CRCs and resizes the protective MBR entry to
/// min(disk sectors − 1, 0xFFFFFFFF) — what <c>sgdisk -e</c> does. Backup written first, primary last.
/// </summary>
public static class RelocateBackupGpt
{
    /// <summary>True when <paramref name="table"/> is a GPT whose backup header is not at the disk's last sector.</summary>
    public static bool IsNeeded(PartitionTable table) =>
        table.Kind == PartitionTableKind.Gpt && table.Gpt!.BackupHeaderLba != table.TotalSectors - 1;

    /// <summary>Moves the backup GPT to the end of <paramref name="disk"/>; false when it already is there.</summary>
    public static bool Relocate(DiskImage disk, PartitionTable table)
    {
        if (table.Kind != PartitionTableKind.Gpt)
        {
            throw ImprintException.Unsupported($"disk '{disk.Path}' has no GPT; there is no backup GPT to move");
        }

        if (disk.Length != table.DiskLength)
        {
            throw ImprintException.Conflict($"disk '{disk.Path}' is {disk.Length} bytes but its table was read at {table.DiskLength}; read it again");
        }

        if (!IsNeeded(table))
        {
            return false;
        }

        GptWriter.Write(disk, table);
        return true;
    }
}
