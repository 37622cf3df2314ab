using Imprint.Agent.Disk;

namespace Imprint.Agent.Partitions;

/// <summary>What growing a partition will do. Computing it reads only; <see cref="GrowPartition.Apply"/> writes it.</summary>
/// <param name="Table">The table the plan was made from.</param>
/// <param name="Number">Partition number.</param>
/// <param name="OldRange">Current byte range.</param>
/// <param name="NewRange">Byte range after growing (equal to <paramref name="OldRange"/> when nothing grows).</param>
/// <param name="NewLastSector">Last sector after growing.</param>
/// <param name="MovesBackupGpt">The disk grew, so the backup GPT moves to the new last sector.</param>
public sealed record GrowPlan(PartitionTable Table, int Number, ByteRange OldRange, ByteRange NewRange, long NewLastSector, bool MovesBackupGpt)
{
    public bool ChangesPartition => NewRange.Length > OldRange.Length;

    public bool HasWork => ChangesPartition || MovesBackupGpt;

    public string Describe() => ChangesPartition
        ? $"partition {Number}: {OldRange.Length} → {NewRange.Length} bytes{(MovesBackupGpt ? "; backup GPT moves to the new disk end" : string.Empty)}"
        : $"partition {Number} already fills the space it can grow into{(MovesBackupGpt ? "; backup GPT moves to the new disk end" : string.Empty)}";
}
