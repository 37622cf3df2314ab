namespace Imprint.Agent.Guest;

/// <summary>
/// Grows a guest's root filesystem (and for LVM its PV and LV first) to fill its container after our own code grew
/// the image file and the partition. Kept apart from <see cref="IGuestFileSystem"/> because the ext engine grows
/// with resize2fs on the unopened filesystem, while an appliance engine grows the mounted one (xfs_growfs,
/// <c>btrfs filesystem resize max</c>, pvresize + lvextend) — an appliance <see cref="IGuestFileSystem"/> may
/// implement this interface too, so a clone grows and customizes in one launch.
/// </summary>
public interface IGuestFileSystemGrower
{
    /// <summary>
    /// Grows the filesystem at <paramref name="root"/> (whose <see cref="GuestRootLocation.Range"/> or partition is the
    /// new, larger container) to fill it; refuses to shrink (exit 6, conflict). Returns the sizes before and after; equal when
    /// it already filled the container.
    /// </summary>
    Task<GuestGrowResult> GrowToFillAsync(GuestRootLocation root, CancellationToken cancellationToken);
}
