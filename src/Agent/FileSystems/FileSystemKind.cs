namespace Imprint.Agent.FileSystems;

/// <summary>The filesystems and volume formats <see cref="FileSystemProbe"/> recognises.</summary>
public enum FileSystemKind
{
    Ext2,
    Ext3,
    Ext4,
    Xfs,
    Btrfs,
    Vfat,
    Ntfs,
    Swap,
    LvmPhysicalVolume,
    Luks,
}
