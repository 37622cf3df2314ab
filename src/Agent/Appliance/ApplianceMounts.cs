namespace Imprint.Agent.Appliance;

/// <summary>
/// How a guest was mounted in the appliance: the root's mountable (<c>/dev/sda2</c>, <c>/dev/rl/root</c>,
/// <c>btrfsvol:/dev/sda2/root</c>), its device and filesystem type, the LVM physical and logical volume holding it
/// (both null outside LVM), every mount made (mount point, mountable; root first) and the fstab entries left out.
/// </summary>
public sealed record ApplianceMounts(
    string RootMountable,
    string RootDevice,
    string RootFileSystemType,
    string? PhysicalVolume,
    string? LogicalVolume,
    string? BtrfsSubvolume,
    IReadOnlyList<KeyValuePair<string, string>> Mounted,
    IReadOnlyList<string> Warnings);
