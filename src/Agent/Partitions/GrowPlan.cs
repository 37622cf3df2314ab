using System.Globalization;
using Imprint.Agent.Disk;

namespace Imprint.Agent.Partitions;

/// <summary>What growing a partition will do. Making it only reads; <see cref="GrowPartition.Apply"/> writes it.</summary>
/// <param name="Table">The table the plan was made from (its <see cref="PartitionTable.DiskLength"/> may be a projected size).</param>
/// <param name="Number">Partition number.</param>
/// <param name="OldRange">Current byte range.</param>
/// <param name="NewRange">Byte range after growing (equal to <paramref name="OldRange"/> when nothing grows).</param>
/// <param name="NewLastSector">Last sector after growing.</param>
/// <param name="MaxEndByte">The furthest the partition could end (exclusive byte): the next partition's start or the last usable byte.</param>
/// <param name="MovesBackupGpt">The backup GPT moves to the disk's last sector (the disk grew).</param>
/// <param name="RepairsGpt">One GPT copy is damaged and gets rewritten from the other.</param>
/// <param name="UpdatesProtectiveMbr">The protective MBR's 0xEE entry is resized to cover the disk.</param>
public sealed record GrowPlan(
    PartitionTable Table,
    int Number,
    ByteRange OldRange,
    ByteRange NewRange,
    long NewLastSector,
    long MaxEndByte,
    bool MovesBackupGpt,
    bool RepairsGpt,
    bool UpdatesProtectiveMbr)
{
    public bool ChangesPartition => NewRange.End > OldRange.End;

    public bool HasWork => ChangesPartition || MovesBackupGpt || RepairsGpt || UpdatesProtectiveMbr;

    /// <summary>One line for humans and dry runs.</summary>
    public string Description
    {
        get
        {
            var text = ChangesPartition
                ? string.Create(CultureInfo.InvariantCulture, $"grow partition {Number} from {OldRange.Length} to {NewRange.Length} bytes (end byte {OldRange.End} → {NewRange.End})")
                : string.Create(CultureInfo.InvariantCulture, $"partition {Number} already ends where it can (byte {OldRange.End}); it stays {OldRange.Length} bytes");
            if (MovesBackupGpt)
            {
                text += string.Create(CultureInfo.InvariantCulture, $"; move the backup GPT to the last sector {Table.TotalSectors - 1}");
            }

            if (RepairsGpt)
            {
                text += "; rewrite the damaged GPT copy from the good one";
            }

            if (UpdatesProtectiveMbr)
            {
                text += "; resize the protective MBR entry to the disk";
            }

            return text;
        }
    }
}
