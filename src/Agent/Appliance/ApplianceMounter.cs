using Imprint.Agent.Diagnostics;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Appliance;

/// <summary>
/// Mounts a guest root inside a launched appliance. libguestfs' inspection (<c>inspect_os</c>) runs first: when one of
/// the roots it finds is at the requested location, the guest's own fstab mount points are mounted (root first; /boot,
/// /var… below it, as virt-sysprep does), which also finds the LV of an LVM root and the btrfs subvolume mounted at
/// <c>/</c> (Fedora's <c>root</c>). Otherwise the location itself is mounted at <c>/</c> and the caller decides whether
/// it is a root.
/// </summary>
internal static class ApplianceMounter
{
    private const string Disk = "/dev/sda";

    public static ApplianceMounts Mount(ApplianceSession session, GuestRootLocation root, bool readOnly)
    {
        using var span = AgentTrace.Start("appliance.mount");
        var device = root.Layout == GuestRootLayout.BareFileSystem ? Disk : $"{Disk}{root.PartitionNumber}";
        var roots = session.InspectOs();
        var match = roots.FirstOrDefault(r => IsAt(session, r, root, device));
        var warnings = new List<string>();
        var mounted = new List<KeyValuePair<string, string>>();
        ApplianceOsInspection? os = null;
        string rootMountable;
        if (match is not null)
        {
            rootMountable = match;
            os = ApplianceOsInspection.Read(session, match);
            var points = session.InspectMountpoints(match);
            if (!points.Any(p => p.Key == "/"))
            {
                points = [new("/", match), .. points];
            }

            foreach (var (mountPoint, mountable) in points)
            {
                try
                {
                    MountOne(session, mountable, mountPoint, readOnly);
                    mounted.Add(new(mountPoint, mountable));
                }
                catch (ApplianceException ex) when (mountPoint != "/")
                {
                    warnings.Add($"{mountPoint} ({mountable}) could not be mounted and is left out: {ex.Error}");
                }
            }
        }
        else
        {
            rootMountable = DirectMountable(session, root, device);
            MountOne(session, rootMountable, "/", readOnly);
            mounted.Add(new("/", rootMountable));
        }

        var rootDevice = DeviceOf(rootMountable);
        var volumeGroups = session.VolumeGroups();
        string? pv = null;
        string? lv = null;
        if (IsLogicalVolume(rootDevice, volumeGroups))
        {
            lv = rootDevice;
            pv = root.Layout == GuestRootLayout.LogicalVolume && root.PartitionNumber > 0
                ? device
                : PhysicalVolumeOf(session, rootDevice.Split('/')[2]);
        }

        var subvolume = rootMountable.StartsWith("btrfsvol:", StringComparison.Ordinal) ? rootMountable[(rootMountable.IndexOf('/', "btrfsvol:/dev/".Length) + 1)..] : null;
        return new ApplianceMounts(rootMountable, rootDevice, session.VfsType(rootDevice), pv, lv, subvolume, mounted, os, warnings);
    }

    private static void MountOne(ApplianceSession session, string mountable, string mountPoint, bool readOnly)
    {
        if (mountPoint != "/")
        {
            // The directory exists in any sane guest; on a read-only mount it cannot be created anyway.
            if (!readOnly && !session.IsDirectory(mountPoint, followSymlinks: false))
            {
                session.MkdirP(mountPoint);
            }
        }

        session.Mount(mountable, mountPoint, string.Empty, readOnly);
    }

    /// <summary>Is inspection's root <paramref name="candidate"/> the filesystem the caller located?</summary>
    private static bool IsAt(ApplianceSession session, string candidate, GuestRootLocation root, string device)
    {
        if (root.Layout == GuestRootLayout.LogicalVolume)
        {
            if (root.LogicalVolume is { } named)
            {
                return candidate == $"/dev/{named}";
            }

            var volumeGroups = session.VolumeGroups();
            return IsLogicalVolume(candidate, volumeGroups) && PhysicalVolumeOf(session, candidate.Split('/')[2]) == device;
        }

        if (candidate == device)
        {
            return root.BtrfsSubvolume is null;
        }

        return candidate.StartsWith($"btrfsvol:{device}/", StringComparison.Ordinal)
            && (root.BtrfsSubvolume is null || candidate == $"btrfsvol:{device}/{root.BtrfsSubvolume.TrimStart('/')}");
    }

    private static string DirectMountable(ApplianceSession session, GuestRootLocation root, string device)
    {
        if (root.Layout == GuestRootLayout.LogicalVolume)
        {
            if (root.LogicalVolume is { } named)
            {
                return $"/dev/{named}";
            }

            // The largest non-swap filesystem on an LV of this PV's volume group.
            var volumeGroups = session.VolumeGroups();
            var filesystems = session.ListFilesystems();
            return filesystems
                .Where(f => IsLogicalVolume(f.Key, volumeGroups) && f.Value is not ("swap" or "unknown") && PhysicalVolumeOf(session, f.Key.Split('/')[2]) == device)
                .OrderByDescending(f => session.BlockDeviceSize(f.Key))
                .Select(f => f.Key)
                .FirstOrDefault()
                ?? throw ImprintException.Unsupported($"{root.Describe()} of '{root.DiskPath}' holds no logical volume with a filesystem");
        }

        return root.BtrfsSubvolume is { } subvolume ? $"btrfsvol:{device}/{subvolume.TrimStart('/')}" : device;
    }

    private static string DeviceOf(string mountable)
    {
        if (!mountable.StartsWith("btrfsvol:", StringComparison.Ordinal))
        {
            return mountable;
        }

        var path = mountable["btrfsvol:".Length..];
        var slash = path.IndexOf('/', "/dev/".Length);
        return slash < 0 ? path : path[..slash];
    }

    private static bool IsLogicalVolume(string device, IReadOnlyList<string> volumeGroups)
    {
        var parts = device.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 3 && parts[0] == "dev" && volumeGroups.Contains(parts[1]);
    }

    /// <summary>The PV device of a volume group on this disk (the first, for a VG spanning several).</summary>
    private static string? PhysicalVolumeOf(ApplianceSession session, string volumeGroup)
    {
        var uuids = session.VolumeGroupPvUuids(volumeGroup).Select(u => u.Replace("-", string.Empty, StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return session.PhysicalVolumes().FirstOrDefault(pv => uuids.Contains(session.PhysicalVolumeUuid(pv).Replace("-", string.Empty, StringComparison.Ordinal)));
    }
}
