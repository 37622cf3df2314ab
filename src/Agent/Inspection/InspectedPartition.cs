using Imprint.Agent.Disk;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Lvm;
using Imprint.Agent.Partitions;

namespace Imprint.Agent.Inspection;

/// <summary>
/// A partition (or, on an unpartitioned disk, the whole disk as number 0) and what was found in it; or a linear LVM
/// logical volume inside that partition (<see cref="LogicalVolume"/> set), whose filesystem lies at <see cref="Range"/>.
/// </summary>
public sealed record InspectedPartition(Partition Partition, DetectedFileSystem? FileSystem)
{
    /// <summary>Malformed metadata found instead of a filesystem (e.g. a damaged primary ext superblock); null when none.</summary>
    public string? Damage { get; init; }

    /// <summary>Set when this entry is an LVM logical volume on the partition's PV, not the partition itself.</summary>
    public LvmVolumeLocation? LogicalVolume { get; init; }

    /// <summary>Where the filesystem lies: the LV's bytes for a logical volume, else the partition's.</summary>
    public ByteRange Range => LogicalVolume?.Range ?? Partition.Range;

    /// <summary>"partition 2" or "LV vg0/root (partition 2)", for messages.</summary>
    public string Name => LogicalVolume is { } lv ? $"LV {lv.FullName} (partition {Partition.Number})" : $"partition {Partition.Number}";

    public bool IsExt => FileSystem?.Kind is FileSystemKind.Ext2 or FileSystemKind.Ext3 or FileSystemKind.Ext4;
}
