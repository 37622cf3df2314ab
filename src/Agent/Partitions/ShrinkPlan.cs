using Imprint.Agent.Disk;

namespace Imprint.Agent.Partitions;

/// <summary>
/// What <see cref="ShrinkPartition.Apply"/> will write: partition <see cref="Number"/> ending at
/// <see cref="NewLastSector"/>, and the disk cut to <see cref="NewDiskLength"/> bytes (the backup GPT moved there).
/// </summary>
public sealed record ShrinkPlan(PartitionTable Table, int Number, ByteRange OldRange, ByteRange NewRange, long NewLastSector, long NewDiskLength);
