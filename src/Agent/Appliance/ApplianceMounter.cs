using Imprint.Agent.Diagnostics;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;
using Imprint.Agent.Partitions;

namespace Imprint.Agent.Appliance;

/// <summary>
/// Mounts a guest root inside a launched appliance, then the guest's other filesystems from its own /etc/fstab
/// (/boot, /var, /home… below it, as virt-sysprep does), so seal and customize see the guest as it boots. libguestfs'
/// <c>inspect_os</c> would find the same, but it mounts and probes every filesystem and costs ~30 s under TCG; the
/// location inspection gave us and the fstab are enough:
/// <list type="bullet">
/// <item>a partition or bare filesystem is mounted as is; a btrfs without a named subvolume is mounted at its default
/// subvolume, and when that has no /etc/fstab (Fedora: the top level) the subvolume whose /etc/fstab exists is used
/// (Fedora's <c>root</c>);</item>
/// <item>an LVM PV without a named LV: its volume group's LVs are tried largest first (swap skipped) until one has
/// /etc/fstab.</item>
/// </list>
/// fstab specs are resolved to appliance devices by UUID, LABEL or path; <c>subvol=</c> options are kept.
/// </summary>
internal static class ApplianceMounter
{
    private const string Disk = "/dev/sda";

    public static ApplianceMounts Mount(ApplianceSession session, GuestRootLocation root, bool readOnly)
    {
        using var span = AgentTrace.Start("appliance.mount");
        var device = root.Layout == GuestRootLayout.BareFileSystem ? Disk : $"{Disk}{root.PartitionNumber}";
        // lvm calls cost seconds under TCG: only asked when the root is (or may be) a logical volume.
        var volumeGroups = root.Layout == GuestRootLayout.LogicalVolume ? session.VolumeGroups() : [];
        var rootMountable = root.Layout == GuestRootLayout.LogicalVolume
            ? MountLogicalVolumeRoot(session, root, device, volumeGroups, readOnly)
            : MountFileSystemRoot(session, root, device, readOnly);

        var rootDevice = DeviceOf(rootMountable);
        var mounted = new List<KeyValuePair<string, string>> { new("/", rootMountable) };
        var warnings = new List<string>();
        MountFstab(session, root.DiskPath, rootDevice, readOnly, mounted, warnings);

        string? pv = null;
        string? lv = null;
        if (root.Layout == GuestRootLayout.LogicalVolume && IsLogicalVolume(rootDevice, volumeGroups))
        {
            lv = rootDevice;
            pv = root.Layout == GuestRootLayout.LogicalVolume && root.PartitionNumber > 0 ? device : PhysicalVolumeOf(session, rootDevice.Split('/')[2]);
        }

        var subvolume = rootMountable.StartsWith("btrfsvol:", StringComparison.Ordinal) ? rootMountable[(rootDevice.Length + "btrfsvol:".Length + 1)..] : null;

        // The host probe already named a partition's filesystem; an LV's is asked of the appliance.
        var type = root.Layout == GuestRootLayout.LogicalVolume ? session.VfsType(rootDevice) : root.Kind.ToString().ToLowerInvariant();
        return new ApplianceMounts(rootMountable, rootDevice, type, pv, lv, subvolume, mounted, warnings);
    }

    private static string MountFileSystemRoot(ApplianceSession session, GuestRootLocation root, string device, bool readOnly)
    {
        if (root.BtrfsSubvolume is { } named)
        {
            var mountable = Subvolume(device, named);
            session.Mount(mountable, "/", string.Empty, readOnly);
            return mountable;
        }

        session.Mount(device, "/", string.Empty, readOnly);
        if (root.Kind != FileSystemKind.Btrfs || session.Exists("/etc/fstab"))
        {
            return device;
        }

        // A btrfs whose default subvolume is not the root (Fedora: top level holding "root" and "home"): the subvolume
        // with an /etc/fstab is.
        var fstabs = session.GlobExpand("/*/etc/fstab").Concat(session.GlobExpand("/*/*/etc/fstab")).ToList();
        if (fstabs.Count == 0)
        {
            return device; // not a root; the caller's check says so
        }

        var subvolume = fstabs[0][1..^"/etc/fstab".Length];
        session.UmountAll();
        var found = Subvolume(device, subvolume);
        session.Mount(found, "/", string.Empty, readOnly);
        return found;
    }

    private static string MountLogicalVolumeRoot(ApplianceSession session, GuestRootLocation root, string device, IReadOnlyList<string> volumeGroups, bool readOnly)
    {
        if (root.LogicalVolume is { } named)
        {
            session.Mount($"/dev/{named}", "/", string.Empty, readOnly);
            return $"/dev/{named}";
        }

        var candidates = session.ListFilesystems()
            .Where(f => IsLogicalVolume(f.Key, volumeGroups) && f.Value is not ("swap" or "unknown") && PhysicalVolumeOf(session, f.Key.Split('/')[2]) == device)
            .Select(f => f.Key)
            .OrderByDescending(session.BlockDeviceSize)
            .ToList();
        foreach (var candidate in candidates)
        {
            try
            {
                session.Mount(candidate, "/", string.Empty, readOnly);
            }
            catch (ApplianceException)
            {
                continue;
            }

            if (session.Exists("/etc/fstab") || candidate == candidates[^1])
            {
                return candidate;
            }

            session.UmountAll();
        }

        throw ImprintException.Unsupported($"{root.Describe()} of '{root.DiskPath}' holds no logical volume with a filesystem");
    }

    /// <summary>Mounts the fstab's other local filesystems below the root; one that cannot be mounted becomes a warning.</summary>
    private static void MountFstab(ApplianceSession session, string diskPath, string rootDevice, bool readOnly, List<KeyValuePair<string, string>> mounted, List<string> warnings)
    {
        if (!session.Exists("/etc/fstab"))
        {
            return;
        }

        var entries = FstabEntry.Parse(System.Text.Encoding.UTF8.GetString(session.ReadFile("/etc/fstab")))
            .Where(e => e.MountPoint.StartsWith('/') && e.MountPoint != "/" && !e.MountPoint.StartsWith("/proc", StringComparison.Ordinal) && !e.MountPoint.StartsWith("/sys", StringComparison.Ordinal) && !e.MountPoint.StartsWith("/dev", StringComparison.Ordinal)
                && e.FsType is not ("swap" or "tmpfs" or "proc" or "sysfs" or "devpts" or "nfs" or "nfs4" or "cifs" or "none" or "bind")
                && !e.Options.Split(',').Contains("bind"))
            .OrderBy(e => e.MountPoint.Count(c => c == '/'))
            .ThenBy(e => e.MountPoint, StringComparer.Ordinal)
            .ToList();
        if (entries.Count == 0)
        {
            return;
        }

        var devices = new FstabDevices(session, HostPartitions(diskPath));
        foreach (var entry in entries)
        {
            var device = devices.Resolve(entry.Spec);
            if (device is null)
            {
                warnings.Add($"{entry.MountPoint} ({entry.Spec}) is not on this disk and is left out");
                continue;
            }

            var subvolume = entry.Options.Split(',').FirstOrDefault(o => o.StartsWith("subvol=", StringComparison.Ordinal))?["subvol=".Length..];
            var mountable = subvolume is not null && session.VfsType(device) == "btrfs" ? Subvolume(device, subvolume) : device;
            if (mountable == rootDevice)
            {
                continue;
            }

            try
            {
                if (!readOnly && !session.IsDirectory(entry.MountPoint, followSymlinks: false))
                {
                    session.MkdirP(entry.MountPoint);
                }

                session.Mount(mountable, entry.MountPoint, string.Empty, readOnly);
                mounted.Add(new(entry.MountPoint, mountable));
            }
            catch (ApplianceException ex)
            {
                warnings.Add($"{entry.MountPoint} ({mountable}) could not be mounted and is left out: {ex.Error}");
            }
        }
    }

    /// <summary>Partitions' UUIDs and labels read by our own probe on the host (no appliance call), as appliance devices.</summary>
    private static List<(string Device, string Uuid, string Label)> HostPartitions(string diskPath)
    {
        using var disk = DiskImage.OpenRead(diskPath);
        var table = PartitionTableReader.Read(disk);
        var list = new List<(string Device, string Uuid, string Label)>();
        foreach (var partition in table.Partitions)
        {
            if (FileSystemProbe.Probe(disk, partition.Range) is { } found)
            {
                list.Add(($"{Disk}{partition.Number}", found.Uuid ?? string.Empty, found.Label ?? string.Empty));
            }
        }

        return list;
    }

    private static string Subvolume(string device, string subvolume) => $"btrfsvol:{device}/{subvolume.Trim('/')}";

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
        var uuids = session.VolumeGroupPvUuids(volumeGroup).Select(Plain).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return session.PhysicalVolumes().FirstOrDefault(pv => uuids.Contains(Plain(session.PhysicalVolumeUuid(pv))));
    }

    private static string Plain(string uuid) => uuid.Replace("-", string.Empty, StringComparison.Ordinal);

    /// <summary>Resolves fstab specs (UUID=, LABEL=, device paths) to appliance devices, asking each filesystem once.</summary>
    private sealed class FstabDevices(ApplianceSession session, IReadOnlyList<(string Device, string Uuid, string Label)> partitions)
    {
        private List<(string Device, string Uuid, string Label)>? _logicalVolumes;

        public string? Resolve(string spec)
        {
            if (spec.StartsWith("UUID=", StringComparison.Ordinal))
            {
                var uuid = spec["UUID=".Length..].Trim('"');
                return partitions.Concat(LogicalVolumesWhenNeeded(partitions, p => string.Equals(p.Uuid, uuid, StringComparison.OrdinalIgnoreCase)))
                    .FirstOrDefault(f => string.Equals(f.Uuid, uuid, StringComparison.OrdinalIgnoreCase)).Device;
            }

            if (spec.StartsWith("LABEL=", StringComparison.Ordinal))
            {
                var label = spec["LABEL=".Length..].Trim('"');
                return partitions.Concat(LogicalVolumesWhenNeeded(partitions, p => p.Label == label)).FirstOrDefault(f => f.Label == label).Device;
            }

            if (spec.StartsWith("/dev/", StringComparison.Ordinal))
            {
                // The guest's /dev/vdX or /dev/xvdX is the appliance's /dev/sdX; /dev/mapper/VG-LV is /dev/VG/LV.
                var path = spec.StartsWith("/dev/vd", StringComparison.Ordinal) ? "/dev/sd" + spec["/dev/vd".Length..]
                    : spec.StartsWith("/dev/xvd", StringComparison.Ordinal) ? "/dev/sd" + spec["/dev/xvd".Length..]
                    : spec.StartsWith("/dev/mapper/", StringComparison.Ordinal) ? MapperToLv(spec["/dev/mapper/".Length..])
                    : spec;
                return partitions.Any(f => f.Device == path) || session.LogicalVolumes().Contains(path) ? path : null;
            }

            return null;
        }

        /// <summary>device-mapper doubles dashes inside VG and LV names and joins them with one dash.</summary>
        private static string MapperToLv(string name)
        {
            for (var i = 0; i < name.Length; i++)
            {
                if (name[i] == '-' && (i + 1 >= name.Length || name[i + 1] != '-') && (i == 0 || name[i - 1] != '-'))
                {
                    return $"/dev/{name[..i].Replace("--", "-", StringComparison.Ordinal)}/{name[(i + 1)..].Replace("--", "-", StringComparison.Ordinal)}";
                }
            }

            return "/dev/mapper/" + name;
        }

        /// <summary>The LVs' identities, asked of the appliance only when no partition matched.</summary>
        private IEnumerable<(string Device, string Uuid, string Label)> LogicalVolumesWhenNeeded(
            IReadOnlyList<(string Device, string Uuid, string Label)> known, Func<(string Device, string Uuid, string Label), bool> matches) =>
            known.Any(matches) ? [] : _logicalVolumes ??= session.LogicalVolumes()
                .Select(lv => (lv, Safe(() => session.VfsUuid(lv)), Safe(() => session.VfsLabel(lv))))
                .ToList();

        private static string Safe(Func<string> read)
        {
            try
            {
                return read();
            }
            catch (ApplianceException)
            {
                return string.Empty;
            }
        }
    }
}
