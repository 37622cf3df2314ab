using System.Buffers.Binary;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Partitions;

/// <summary>
/// Grows the last logical partition of an MBR extended partition together with its container: the extended entry in
/// the MBR grows to the logical's new end, then the logical's own EBR entry, then the link entry of the EBR before it
/// (which fdisk and the kernel read as covering the next EBR through the end of its logical). Each boot record is
/// written whole and flushed; a run killed in between leaves a larger container holding the old logical, which is
/// valid and grows again on retry.
/// </summary>
public static class LogicalPartitionGrowth
{
    /// <summary>The container of <paramref name="logical"/>, checked to be the last logical so it can grow with the container.</summary>
    public static Partition RequireGrowable(PartitionTable table, Partition logical)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(logical);
        var container = table.Partitions.Single(PartitionTable.IsExtendedContainer);
        var after = table.Partitions.Where(p => p.IsLogical && p.FirstSector > logical.LastSector).MinBy(p => p.FirstSector);
        if (after is not null)
        {
            throw ImprintException.Conflict(
                $"logical partition {logical.Number} is followed by logical partition {after.Number} at byte {after.Range.Offset}; only the last logical partition can grow (with its extended container)");
        }

        return container;
    }

    public static void Apply(DiskImage disk, PartitionTable current, GrowPlan plan)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(plan);
        var container = current.Partitions.Single(PartitionTable.IsExtendedContainer);
        var logical = current.Find(plan.Number)!;

        // The chain was validated by PartitionTableReader; find the EBR describing this logical and the one linking to it.
        long? previousEbr = null;
        var ebr = container.FirstSector;
        while (true)
        {
            var record = disk.Read(new ByteRange(ebr * 512, 512));
            var entry = MbrEntry.Parse(record.AsSpan(MbrEntry.OffsetOf(0), 16));
            if (!entry.IsEmpty && ebr + entry.FirstLba == logical.FirstSector)
            {
                break;
            }

            var link = MbrEntry.Parse(record.AsSpan(MbrEntry.OffsetOf(1), 16));
            if (link.IsEmpty)
            {
                throw ImprintException.Conflict($"logical partition {plan.Number} is no longer in the chain of extended boot records; plan again");
            }

            previousEbr = ebr;
            ebr = container.FirstSector + link.FirstLba;
        }

        if (plan.NewLastSector > container.LastSector)
        {
            var mbr = disk.Read(new ByteRange(0, 512));
            SetLength(mbr, MbrEntry.OffsetOf(container.Number - 1), container.FirstSector, plan.NewLastSector);
            disk.Write(0, mbr);
            disk.Flush();
        }

        var own = disk.Read(new ByteRange(ebr * 512, 512));
        SetLength(own, MbrEntry.OffsetOf(0), logical.FirstSector, plan.NewLastSector);
        disk.Write(ebr * 512, own);
        if (previousEbr is { } previous)
        {
            var before = disk.Read(new ByteRange(previous * 512, 512));
            // A link entry spans from the next EBR through the end of its logical.
            SetLength(before, MbrEntry.OffsetOf(1), ebr, plan.NewLastSector);
            disk.Write(previous * 512, before);
        }

        disk.Flush();
    }

    /// <summary>Sets an entry whose start is <paramref name="first"/> (absolute) to end at <paramref name="last"/>, CHS end included.</summary>
    private static void SetLength(byte[] sector, int entryOffset, long first, long last)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(sector.AsSpan(entryOffset + 12), checked((uint)(last - first + 1)));
        MbrEntry.EncodeChs(last, sector.AsSpan(entryOffset + 5, 3));
    }
}
