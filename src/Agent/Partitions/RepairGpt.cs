using Imprint.Agent.Disk;

namespace Imprint.Agent.Partitions;

/// <summary>Rewrites a damaged GPT copy from the good one (the reader already chose which copy to trust).</summary>
public static class RepairGpt
{
    /// <summary>True when something was rewritten.</summary>
    public static bool Repair(DiskImage disk, PartitionTable table)
    {
        if (table.Kind != PartitionTableKind.Gpt || table.IsHybridMbr)
        {
            return false;
        }

        var layout = table.Gpt!;
        if (layout.PrimaryValid && layout.BackupValid && layout.BackupHeaderLba == (disk.Length / table.SectorSize) - 1)
        {
            return false;
        }

        GptWriter.Write(disk, table);
        return true;
    }
}
