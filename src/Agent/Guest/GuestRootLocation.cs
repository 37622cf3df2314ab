using Imprint.Agent.Disk;
using Imprint.Agent.FileSystems;

namespace Imprint.Agent.Guest;

/// <summary>
/// Where the guest's root filesystem is, as inspection found it: what an engine needs to open it.
/// </summary>
/// <param name="DiskPath">The raw disk image (or block device) holding the guest.</param>
/// <param name="Kind">The filesystem found there (ext2/3/4, xfs, btrfs…).</param>
/// <param name="Layout">Partition, logical volume or bare filesystem.</param>
/// <param name="Range">
/// The filesystem's bytes on the disk when they are one contiguous range: the partition, the whole disk for a bare
/// filesystem, or a linear LV's single segment on its PV. Null when the filesystem is not contiguous on the disk
/// (a striped or multi-segment LV): only the appliance engine can open it then.
/// </param>
/// <param name="PartitionNumber">The partition number (1-based, MBR logicals from 5) holding the filesystem or its PV; 0 for a bare filesystem.</param>
public sealed record GuestRootLocation(string DiskPath, FileSystemKind Kind, GuestRootLayout Layout, ByteRange? Range, int PartitionNumber)
{
    /// <summary>
    /// "VG/LV" for <see cref="GuestRootLayout.LogicalVolume"/>; null otherwise. Null with that layout too when only the
    /// physical volume is known (no native LVM parsing): the appliance engine then finds the LV holding the root
    /// (the one with /etc/fstab and /usr) itself.
    /// </summary>
    public string? LogicalVolume { get; init; }

    /// <summary>
    /// The btrfs subvolume the guest's <c>/</c> is mounted from (e.g. <c>root</c> on Fedora, fstab's <c>subvol=</c>),
    /// when known. Null: the engine finds it (the top level when it holds /etc/fstab, else the subvolume that fstab
    /// mounts at <c>/</c>, or the default subvolume).
    /// </summary>
    public string? BtrfsSubvolume { get; init; }

    /// <summary>The filesystem UUID, when the probe read one.</summary>
    public string? Uuid { get; init; }

    public bool IsExt => Kind is FileSystemKind.Ext2 or FileSystemKind.Ext3 or FileSystemKind.Ext4;

    /// <summary>How messages name it: "partition 2", "logical volume rl/root in partition 2", "the bare filesystem".</summary>
    public string Describe() => Layout switch
    {
        GuestRootLayout.LogicalVolume => $"logical volume {LogicalVolume} in partition {PartitionNumber}",
        GuestRootLayout.BareFileSystem => "the bare filesystem",
        _ => $"partition {PartitionNumber}",
    };
}
