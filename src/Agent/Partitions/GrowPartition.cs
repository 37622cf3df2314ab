using System.Buffers.Binary;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Partitions;

/// <summary>
/// Grows a partition into the free space that follows it, like growpart: up to the next partition or the last usable
/// sector, with the end aligned down to a 1 MiB boundary when that still grows it. <see cref="Plan"/> only reads, so a
/// dry run is free; <see cref="Apply"/> writes. On GPT the backup copy moves to the disk's new end when the disk grew
/// (backup written first, primary last, flushed in between). The last MBR logical partition grows with its extended
/// container (<see cref="LogicalPartitionGrowth"/>).
/// </summary>
public static class GrowPartition
{
    private const long Alignment = 1024 * 1024;

    /// <summary>MBR entries hold 32-bit sector numbers: nothing can end past sector 2^32 (2 TiB with 512-byte sectors).</summary>
    private const long MbrSectorLimit = 1L << 32;

    /// <summary>
    /// Plans growing partition <paramref name="partitionNumber"/> of <paramref name="table"/> (whose DiskLength may be
    /// the projected size of a disk about to grow). <paramref name="requestedEndByte"/> (exclusive) asks for a precise
    /// end instead of the largest one; it must lie between the current end and the limit.
    /// </summary>
    public static GrowPlan Plan(PartitionTable table, int partitionNumber, long? requestedEndByte = null)
    {
        var partition = PartitionEditGuard.Require(table, partitionNumber, "grow");
        // The last logical grows with its extended container; the container is then not "next" to it.
        var container = partition.IsLogical ? LogicalPartitionGrowth.RequireGrowable(table, partition) : null;

        if (PartitionTable.IsExtendedContainer(partition))
        {
            throw ImprintException.Unsupported($"partition {partitionNumber} is an extended MBR partition (a container of logical partitions); growing it is not supported");
        }

        var ss = table.SectorSize;
        var totalSectors = table.TotalSectors;
        var limit = table.Kind == PartitionTableKind.Gpt ? table.Gpt!.LastUsableAtDiskEnd(totalSectors, ss) : totalSectors - 1;

        // Extended containers count as "next": growing into one would swallow its boot records.
        var next = table.Partitions.Where(p => p.Number != partitionNumber && p != container && p.FirstSector > partition.LastSector).MinBy(p => p.FirstSector);
        if (next is not null)
        {
            if (next.FirstSector == partition.LastSector + 1)
            {
                throw ImprintException.Conflict(
                    $"partition {partitionNumber} is followed by partition {next.Number} at byte {next.Range.Offset}; there is no free space to grow into");
            }

            limit = Math.Min(limit, next.FirstSector - 1);
        }

        limit = Math.Max(limit, partition.LastSector);
        var newLast = requestedEndByte is { } requested
            ? RequestedLastSector(partition, requested, limit, ss)
            : AlignedLastSector(partition, limit, ss);
        if (table.Kind == PartitionTableKind.Mbr && newLast >= MbrSectorLimit)
        {
            throw ImprintException.Unsupported(
                $"partition {partitionNumber} would end at byte {(newLast + 1) * ss}, past the {MbrSectorLimit * ss} bytes (2 TiB) an MBR can address; convert the disk to GPT or ask for an end at most {MbrSectorLimit * ss}");
        }

        var gpt = table.Gpt;
        var movesBackup = gpt is not null && gpt.BackupHeaderLba != totalSectors - 1;
        var repairs = gpt is not null && (!gpt.PrimaryValid || !gpt.BackupValid);
        var updatesMbr = gpt is { ProtectiveMbrSectors: { } size } && size != GptLayout.ProtectiveSizeFor(totalSectors);
        var newRange = new ByteRange(partition.Range.Offset, (newLast - partition.FirstSector + 1) * ss);
        return new GrowPlan(table, partitionNumber, partition.Range, newRange, newLast, (limit + 1) * ss, movesBackup, repairs, updatesMbr);
    }

    /// <summary>
    /// Writes the plan: on GPT the entry's new end and both copies (moved to the disk end when it grew, CRCs
    /// recomputed, protective MBR resized); on MBR the entry's size. The disk must still hold the table the plan saw.
    /// </summary>
    public static void Apply(DiskImage disk, GrowPlan plan)
    {
        if (!plan.HasWork)
        {
            return;
        }

        if (disk.Length != plan.Table.DiskLength)
        {
            throw ImprintException.Conflict($"disk '{disk.Path}' is {disk.Length} bytes but the plan was made for {plan.Table.DiskLength}; plan again");
        }

        var current = PartitionTableReader.Read(disk);
        if (current.Kind != plan.Table.Kind || current.Find(plan.Number)?.Range != plan.OldRange || current.IsHybridMbr)
        {
            throw ImprintException.Conflict($"the partition table of '{disk.Path}' changed since the plan was made; plan again");
        }

        if (current.Kind == PartitionTableKind.Mbr && current.Find(plan.Number)!.IsLogical)
        {
            LogicalPartitionGrowth.Apply(disk, current, plan);
            return;
        }

        if (current.Kind == PartitionTableKind.Mbr)
        {
            ApplyMbr(disk, plan);
            return;
        }

        GptWriter.Write(disk, current, entries =>
        {
            if (plan.ChangesPartition)
            {
                GptEntry.WriteLastLba(entries.AsSpan((plan.Number - 1) * current.Gpt!.EntrySize), plan.NewLastSector);
            }
        });
    }

    private static long RequestedLastSector(Partition partition, long requestedEndByte, long limit, int ss)
    {
        if (requestedEndByte % ss != 0)
        {
            throw ImprintException.Usage($"requested end byte {requestedEndByte} of partition {partition.Number} is not a multiple of the {ss}-byte sector size");
        }

        var last = (requestedEndByte / ss) - 1;
        if (last > limit)
        {
            throw ImprintException.Conflict(
                $"partition {partition.Number} can end at byte {(limit + 1) * ss} at most (the next partition or the end of the usable space); {requestedEndByte} was asked for");
        }

        if (last < partition.LastSector)
        {
            throw ImprintException.Conflict(
                $"partition {partition.Number} ends at byte {partition.Range.End}; ending it at {requestedEndByte} would shrink it, which is refused");
        }

        return last;
    }

    private static long AlignedLastSector(Partition partition, long limit, int ss)
    {
        // End+1 on a 1 MiB boundary (parted/growpart); when rounding down would gain nothing, take the whole gap. A
        // partition already ending on that boundary stays: growing again must change nothing (a killed run's retry).
        var alignSectors = Math.Max(1, Alignment / ss);
        var aligned = (((limit + 1) / alignSectors) * alignSectors) - 1;
        return aligned >= partition.LastSector ? aligned : limit;
    }

    private static void ApplyMbr(DiskImage disk, GrowPlan plan)
    {
        var sector = disk.Read(new ByteRange(0, 512));
        var offset = MbrEntry.OffsetOf(plan.Number - 1);
        var entry = MbrEntry.Parse(sector.AsSpan(offset, 16));
        BinaryPrimitives.WriteUInt32LittleEndian(sector.AsSpan(offset + 12), checked((uint)(plan.NewLastSector - entry.FirstLba + 1)));
        MbrEntry.EncodeChs(plan.NewLastSector, sector.AsSpan(offset + 5, 3));
        disk.Write(0, sector);
        disk.Flush();
    }
}
