using System.Buffers.Binary;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Partitions;

/// <summary>
/// Grows a partition into the free space that follows it, ending on a 1 MiB boundary when the space allows (like
/// growpart/parted). On GPT the backup copy is moved to the disk's new end when the disk grew. Writes go backup
/// first, primary last, each flushed, so a crash leaves one valid copy.
/// </summary>
public static class GrowPartition
{
    private const long Alignment = 1024 * 1024;

    /// <summary>Plans growing <paramref name="number"/>; <paramref name="requestedEndByte"/> (exclusive) caps the new end.</summary>
    public static GrowPlan Plan(PartitionTable table, int number, long? requestedEndByte = null)
    {
        if (table.Kind == PartitionTableKind.None)
        {
            throw ImprintException.Unsupported("the disk has no partition table; there is no partition to grow");
        }

        var partition = table.Find(number) ?? throw ImprintException.Usage(
            $"partition {number} does not exist (partitions: {string.Join(", ", table.Partitions.Select(p => p.Number))})");
        if (table.IsHybridMbr)
        {
            throw ImprintException.Conflict("hybrid MBR: growing is refused, it would desynchronise the MBR and GPT views of the disk");
        }

        if (partition.IsLogical || PartitionTable.IsExtendedContainer(partition))
        {
            throw ImprintException.Unsupported($"partition {number} is a logical (or extended) MBR partition; growing it is not supported");
        }

        var ss = table.SectorSize;
        var totalSectors = table.DiskLength / ss;
        var next = table.InDiskOrder.Where(p => p.FirstSector > partition.LastSector).MinBy(p => p.FirstSector);
        var limit = table.Kind == PartitionTableKind.Gpt
            ? totalSectors - 2 - table.Gpt!.EntryArraySectors(ss)
            : Math.Min(totalSectors - 1, uint.MaxValue);
        if (next is not null)
        {
            if (next.FirstSector == partition.LastSector + 1)
            {
                throw ImprintException.Conflict($"partition {number} is followed by partition {next.Number} at byte {next.Range.Offset}; there is no free space to grow into");
            }

            limit = Math.Min(limit, next.FirstSector - 1);
        }

        long newLast;
        if (requestedEndByte is { } requested)
        {
            var requestedLast = (requested / ss) - 1;
            if (requestedLast > limit)
            {
                throw ImprintException.Conflict($"partition {number} can grow to byte {(limit + 1) * ss} at most, not {requested}");
            }

            if (requestedLast < partition.LastSector)
            {
                throw ImprintException.Conflict($"partition {number} ends at byte {partition.Range.End}; shrinking to {requested} is refused");
            }

            newLast = requestedLast;
        }
        else
        {
            // End on a 1 MiB boundary; with less than that to gain, leave the partition as it is.
            var alignSectors = Alignment / ss;
            var aligned = (((limit + 1) / alignSectors) * alignSectors) - 1;
            newLast = aligned > partition.LastSector ? aligned : partition.LastSector;
        }

        if (table.Kind == PartitionTableKind.Mbr && newLast - partition.FirstSector + 1 > uint.MaxValue)
        {
            throw ImprintException.Unsupported($"partition {number} would exceed MBR's 2 TiB limit; convert the disk to GPT first");
        }

        var movesBackup = table.Kind == PartitionTableKind.Gpt
            && (table.Gpt!.BackupHeaderLba != totalSectors - 1 || !table.Gpt.BackupValid || !table.Gpt.PrimaryValid);
        var newRange = new ByteRange(partition.Range.Offset, (newLast - partition.FirstSector + 1) * ss);
        return new GrowPlan(table, number, partition.Range, newRange, newLast, movesBackup);
    }

    /// <summary>Writes the plan: the entry's new end, both GPT copies (moved to the disk end when it grew), CRCs.</summary>
    public static void Apply(DiskImage disk, GrowPlan plan)
    {
        if (!plan.HasWork)
        {
            return;
        }

        if (disk.Length != plan.Table.DiskLength)
        {
            throw new InvalidOperationException($"disk '{disk.Path}' changed size since the plan was made");
        }

        if (plan.Table.Kind == PartitionTableKind.Mbr)
        {
            ApplyMbr(disk, plan);
        }
        else
        {
            GptWriter.Write(disk, plan.Table, entries =>
            {
                if (plan.ChangesPartition)
                {
                    GptEntry.WriteLastLba(entries.AsSpan((plan.Number - 1) * plan.Table.Gpt!.EntrySize), plan.NewLastSector);
                }
            });
        }
    }

    private static void ApplyMbr(DiskImage disk, GrowPlan plan)
    {
        var sector = disk.Read(new ByteRange(0, 512));
        var offset = MbrEntry.OffsetOf(plan.Number - 1);
        var entry = MbrEntry.Parse(sector.AsSpan(offset, 16));
        var count = plan.NewLastSector - entry.FirstLba + 1;
        BinaryPrimitives.WriteUInt32LittleEndian(sector.AsSpan(offset + 12), (uint)count);

        // CHS end fields are meaningless past 8 GiB; write the conventional "maximum" marker like fdisk does.
        sector[offset + 5] = 0xFE;
        sector[offset + 6] = 0xFF;
        sector[offset + 7] = 0xFF;
        disk.Write(0, sector);
        disk.Flush();
    }
}
