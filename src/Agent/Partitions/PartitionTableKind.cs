namespace Imprint.Agent.Partitions;

/// <summary>The partitioning scheme of a disk.</summary>
public enum PartitionTableKind
{
    None,
    Mbr,
    Gpt,
}
