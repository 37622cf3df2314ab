namespace Imprint.Agent.Partitions;

/// <summary>A disk's partition table as read, with the facts growing needs.</summary>
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
    public Partition? Find(int number) => Partitions.FirstOrDefault(p => p.Number == number);

    /// <summary>Partitions in disk order (by first sector).</summary>
    public IEnumerable<Partition> InDiskOrder => Partitions.Where(p => !IsExtendedContainer(p)).OrderBy(p => p.FirstSector);

    public static bool IsExtendedContainer(Partition partition) => partition.TypeId is "0x05" or "0x0f" or "0x85";
}
