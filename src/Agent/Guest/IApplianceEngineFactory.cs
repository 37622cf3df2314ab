namespace Imprint.Agent.Guest;

/// <summary>
/// Opens guest filesystems the e2fsprogs engine cannot (xfs, btrfs, non-linear LVM…) in an appliance VM
/// (libguestfs). Registered in <see cref="ApplianceEngines.Installed"/>; <see cref="GuestFileSystemOpener"/> asks it
/// for every root that is not ext2/3/4 at a known byte range. One open = one appliance launch, so a command opens
/// once and does all its reads and edits (and grows, see <see cref="IGuestFileSystemGrower"/>) through that handle.
/// </summary>
public interface IApplianceEngineFactory
{
    /// <summary>The name reported for filesystems it opens (<see cref="GuestEngineName.Libguestfs"/>).</summary>
    string EngineName { get; }

    /// <summary>
    /// Null when this machine can run the engine; otherwise why not (e.g. "libguestfs.so.0 is not installed"), which
    /// the opener turns into exit 5 naming the root and the reason.
    /// </summary>
    string? UnavailableReason();

    /// <summary>Grows roots this engine opens (xfs_growfs, btrfs resize, pvresize + lvextend then the filesystem).</summary>
    IGuestFileSystemGrower Grower { get; }

    /// <summary>
    /// Opens <paramref name="root"/>: launches the appliance with the disk attached (read-only for
    /// <see cref="GuestAccess.ReadOnly"/>), mounts the root filesystem (the btrfs subvolume when named) at the guest's
    /// <c>/</c> and returns it. Throws <see cref="Errors.ImprintException"/> exit 5 for what it cannot handle
    /// (naming it), exit 4 for a damaged filesystem.
    /// </summary>
    Task<IGuestFileSystem> OpenAsync(GuestRootLocation root, GuestAccess access, CancellationToken cancellationToken);
}
