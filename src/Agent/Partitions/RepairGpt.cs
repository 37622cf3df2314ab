using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Partitions;

/// <summary>
/// Rewrites a damaged GPT copy from the good one the reader chose (a corrupt primary from the backup, or the reverse),
/// with the backup placed at the disk's last sector. Afterwards <c>sgdisk -v</c> finds no problems.
/// </summary>
public static class RepairGpt
{
    /// <summary>True when something was rewritten; false when both copies were already valid and in place.</summary>
    public static bool Repair(DiskImage disk, PartitionTable table)
    {
        if (table.Kind != PartitionTableKind.Gpt)
        {
            throw ImprintException.Unsupported($"disk '{disk.Path}' has no GPT to repair");
        }

        var layout = table.Gpt!;
        if (layout.PrimaryValid && layout.BackupValid && !RelocateBackupGpt.IsNeeded(table))
        {
            return false;
        }

        GptWriter.Write(disk, table);
        return true;
    }
}
