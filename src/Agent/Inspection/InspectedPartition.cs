using Imprint.Agent.FileSystems;
using Imprint.Agent.Partitions;

namespace Imprint.Agent.Inspection;

/// <summary>A partition (or, on an unpartitioned disk, the whole disk as number 0) and what was found in it.</summary>
public sealed record InspectedPartition(Partition Partition, DetectedFileSystem? FileSystem)
{
    /// <summary>Malformed metadata found instead of a filesystem (e.g. a damaged primary ext superblock); null when none.</summary>
    public string? Damage { get; init; }

    public bool IsExt => FileSystem?.Kind is FileSystemKind.Ext2 or FileSystemKind.Ext3 or FileSystemKind.Ext4;
}
