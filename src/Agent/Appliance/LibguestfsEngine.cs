using System.Runtime.InteropServices;
using Imprint.Agent.Disk;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Appliance;

/// <summary>
/// The libguestfs engine: opens xfs, btrfs (subvolumes included) and LVM roots inside a libguestfs appliance VM,
/// driven in process through libguestfs.so.0. One <see cref="OpenAsync"/> is one appliance launch; the filesystem it
/// returns also grows the root (<see cref="IGuestFileSystemGrower"/>), so a command does everything in that launch.
/// </summary>
public sealed class LibguestfsEngine : IApplianceEngineFactory
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    public static LibguestfsEngine Instance { get; } = new();

    public string EngineName => GuestEngineName.Libguestfs;

    public IGuestFileSystemGrower Grower { get; } = new ApplianceGrower();

    public string? UnavailableReason() => Unavailable.Value;

    public Task<IGuestFileSystem> OpenAsync(GuestRootLocation root, GuestAccess access, CancellationToken cancellationToken) =>
        Task.FromResult<IGuestFileSystem>(Open(root, access, cancellationToken));

    /// <summary><see cref="OpenAsync"/> with the concrete type: its session and mounts.</summary>
    public static ApplianceGuestFileSystem Open(GuestRootLocation root, GuestAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        cancellationToken.ThrowIfCancellationRequested();
        var readOnly = access == GuestAccess.ReadOnly;
        var session = ApplianceSession.Create();

        // Our writer's lock would make QEMU's own locking refuse the drive: QEMU takes over, we keep byte 100.
        var handover = readOnly ? null : ImageLock.HandOverToChildWriter(root.DiskPath);
        try
        {
            // A read-only drive is opened through a throw-away overlay: nothing, not even a journal replay, reaches the image.
            session.AddDrive(root.DiskPath, readOnly);
            session.Launch();
            cancellationToken.ThrowIfCancellationRequested();
            var mounts = ApplianceMounter.Mount(session, root, readOnly);
            return new ApplianceGuestFileSystem(session, !readOnly, mounts, handover);
        }
        catch
        {
            session.Dispose();
            handover?.Dispose();
            throw;
        }
    }

    private static string? Probe()
    {
        if (!NativeLibrary.TryLoad("libguestfs.so.0", out _))
        {
            return "libguestfs.so.0 cannot be loaded (Debian: apt-get install libguestfs0 libguestfs-xfs)";
        }

        return null;
    }

    /// <summary>Grows a root on its own: opens it read-write, grows, commits (one launch).</summary>
    private sealed class ApplianceGrower : IGuestFileSystemGrower
    {
        public async Task<GuestGrowResult> GrowToFillAsync(GuestRootLocation root, CancellationToken cancellationToken)
        {
            using var fs = Open(root, GuestAccess.ReadWrite, cancellationToken);
            var result = await fs.GrowToFillAsync(root, cancellationToken).ConfigureAwait(false);
            await fs.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
    }
}
