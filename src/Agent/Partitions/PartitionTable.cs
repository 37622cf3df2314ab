namespace Imprint.Agent.Partitions;

/// <summary>A disk's partition table as read, with the facts growing needs.</summary>
/// <param name="Kind">None, MBR or GPT.</param>
/// <param name="SectorSize">Logical sector size the table uses (512, or 4096 when the GPT header sits at byte 4096).</param>
/// <param name="DiskLength">Size of the disk in bytes when it was read (a planner may project a larger size).</param>
/// <param name="Partitions">Partitions by number; MBR extended containers are included (see <see cref="IsExtendedContainer"/>).</param>
/// <param name="DiskId">GPT disk GUID, or the MBR disk signature as 8 hex digits.</param>
/// <param name="IsHybridMbr">A GPT disk whose MBR holds other partitions next to the 0xEE entry.</param>
/// <param name="Warnings">Problems that did not stop reading (a damaged copy, a grown disk).</param>
/// <param name="Gpt">GPT layout; null on MBR and unpartitioned disks.</param>
public sealed record PartitionTable(
    PartitionTableKind Kind,
    int SectorSize,
    long DiskLength,
    IReadOnlyList<Partition> Partitions,
    string? DiskId,
    bool IsHybridMbr,
    IReadOnlyList<string> Warnings,
    GptLayout? Gpt)
{
    public Guid? DiskGuid => Gpt?.DiskGuid;

    public long TotalSectors => DiskLength / SectorSize;

    public Partition? Find(int number) => Partitions.FirstOrDefault(p => p.Number == number);

    /// <summary>Partitions that hold data (no extended containers), by first sector.</summary>
    public IEnumerable<Partition> InDiskOrder => Partitions.Where(p => !IsExtendedContainer(p)).OrderBy(p => p.FirstSector);

    public static bool IsExtendedContainer(Partition partition) => partition.TypeId is "0x05" or "0x0f" or "0x85";
}
