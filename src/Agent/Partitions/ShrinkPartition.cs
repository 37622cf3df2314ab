using System.Buffers.Binary;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Partitions;

/// <summary>
/// Shrinks the last partition of a disk so the disk file can be cut after it: the partition's end moves down to a
/// given byte, the disk ends 1 MiB later on GPT (room for the backup entries and header, keeping the 1 MiB alignment
/// partitioning tools use) or right after it on MBR. Only the last partition may shrink — one followed by another
/// partition would leave that one past the new end. <see cref="Plan"/> only reads; <see cref="Apply"/> writes the new
/// backup GPT at the future end first, then the primary, and only then truncates, so a crash before the truncation
/// leaves a consistent table on a disk that is merely longer than needed (which the grow path handles).
/// </summary>
public static class ShrinkPartition
{
    public const long Alignment = 1024 * 1024;

    /// <summary>Plans ending partition <paramref name="number"/> at <paramref name="newEndByte"/> (exclusive, rounded up to 1 MiB).</summary>
    public static ShrinkPlan Plan(PartitionTable table, int number, long newEndByte)
    {
        var partition = PartitionEditGuard.Require(table, number, "shrink");
        if (partition.IsLogical || PartitionTable.IsExtendedContainer(partition))
        {
            throw ImprintException.Unsupported($"partition {number} is an MBR logical or extended partition; shrinking it is not supported");
        }

        var after = table.Partitions.Where(p => p.Number != number && p.LastSector > partition.LastSector).OrderBy(p => p.FirstSector).FirstOrDefault();
        if (after is not null)
        {
            throw ImprintException.Conflict(
                $"partition {number} is not the last partition: partition {after.Number} ({after.TypeName}) lies after it at byte {after.Range.Offset}; shrink needs the root filesystem's partition at the end of the disk");
        }

        if (table.Gpt is { } gpt && (!gpt.PrimaryValid || !gpt.BackupValid))
        {
            throw ImprintException.InvalidImage("one of the GPT copies is damaged; repair the table (imprint resize, sgdisk -e) before shrinking");
        }

        var ss = table.SectorSize;
        var end = Math.Max(AlignUp(newEndByte, Alignment), partition.Range.Offset + ss);
        end = Math.Min(end, partition.Range.End); // never grows it
        var newLast = (end / ss) - 1;
        var diskLength = table.Kind == PartitionTableKind.Gpt
            ? AlignUp(end + ((table.Gpt!.EntryArraySectors(ss) + 1) * ss), Alignment)
            : end;
        diskLength = Math.Min(diskLength, table.DiskLength);
        return new ShrinkPlan(table, number, partition.Range, new ByteRange(partition.Range.Offset, end - partition.Range.Offset), newLast, diskLength);
    }

    /// <summary>Writes the plan and truncates the disk file. The disk must still hold the table the plan saw.</summary>
    public static void Apply(DiskImage disk, ShrinkPlan plan)
    {
        var current = PartitionTableReader.Read(disk);
        if (current.Kind != plan.Table.Kind || current.Find(plan.Number)?.Range != plan.OldRange || disk.Length != plan.Table.DiskLength)
        {
            throw ImprintException.Conflict($"the partition table of '{disk.Path}' changed since the shrink was planned; plan again");
        }

        if (current.Kind == PartitionTableKind.Gpt)
        {
            GptWriter.Write(disk, current, entries => GptEntry.WriteLastLba(entries.AsSpan((plan.Number - 1) * current.Gpt!.EntrySize), plan.NewLastSector), plan.NewDiskLength);
        }
        else
        {
            var sector = disk.Read(new ByteRange(0, 512));
            var offset = MbrEntry.OffsetOf(plan.Number - 1);
            var entry = MbrEntry.Parse(sector.AsSpan(offset, 16));
            BinaryPrimitives.WriteUInt32LittleEndian(sector.AsSpan(offset + 12), checked((uint)(plan.NewLastSector - entry.FirstLba + 1)));
            MbrEntry.EncodeChs(plan.NewLastSector, sector.AsSpan(offset + 5, 3));
            disk.Write(0, sector);
            disk.Flush();
        }

        disk.TruncateTo(plan.NewDiskLength);
        disk.Flush();
    }

    private static long AlignUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;
}
