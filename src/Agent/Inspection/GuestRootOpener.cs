using Imprint.Agent.Errors;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Guest;
using Imprint.Agent.Partitions;
using Imprint.Agent.Results;

namespace Imprint.Agent.Inspection;

/// <summary>
/// Opens the guest root that a command (seal, customize, inspect) works on, through <see cref="GuestFileSystemOpener"/>:
/// the ext root <see cref="DiskInspector"/> found goes to the e2fsprogs engine without any new read; when there is none,
/// each filesystem only an appliance can read (xfs, btrfs, an LVM physical volume) is opened there, largest first, until
/// one looks like a Linux root, and the guest is inspected through that same handle (one appliance launch per command
/// when the first candidate is the root). Without an appliance engine the refusal is today's exit 5.
/// </summary>
public static class GuestRootOpener
{
    public static async Task<OpenedGuest> OpenAsync(DiskInspection inspection, GuestAccess access, GuestFileSystemOpener opener, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(opener);
        if (inspection.Root is { } extRoot)
        {
            DiskInspector.RequireRoot(inspection);
            var location = LocationOf(inspection, extRoot);
            var fileSystem = await opener.OpenAsync(location, access, cancellationToken).ConfigureAwait(false);
            return new OpenedGuest(inspection, location, fileSystem);
        }

        var candidates = ApplianceCandidates(inspection);
        if (candidates.Count == 0 || opener.ApplianceEngine is null)
        {
            // Names what was found instead (damage, LUKS, LVM, xfs/btrfs without an engine, nothing at all).
            DiskInspector.RequireRoot(inspection);
        }

        foreach (var candidate in candidates)
        {
            var location = LocationOf(inspection, candidate);
            var fileSystem = await opener.OpenAsync(location, access, cancellationToken).ConfigureAwait(false);
            try
            {
                if (await GuestInspector.LooksLikeRootAsync(fileSystem, cancellationToken).ConfigureAwait(false))
                {
                    var facts = await GuestInspector.InspectAsync(fileSystem, cancellationToken).ConfigureAwait(false);
                    var mounts = await MountsAsync(fileSystem, inspection, cancellationToken).ConfigureAwait(false);
                    var completed = inspection with
                    {
                        Root = candidate,
                        Guest = facts,
                        Mounts = mounts,
                        Warnings = inspection.Warnings.Where(w => !w.Contains("is not supported yet", StringComparison.Ordinal) && !w.Contains("is not inspected", StringComparison.Ordinal)).ToList(),
                    };
                    return new OpenedGuest(completed, location, fileSystem);
                }
            }
            catch
            {
                fileSystem.Dispose();
                throw;
            }

            fileSystem.Dispose();
        }

        var found = string.Join(", ", candidates.Select(c => $"{c.Partition.Number}: {c.FileSystem?.TypeName}"));
        throw ImprintException.Unsupported($"no Linux root filesystem found on '{inspection.Path}' (looked inside {found} with {opener.ApplianceEngine!.EngineName})");
    }

    /// <summary>True when no ext root was found, but an appliance engine is registered and there is something only it can look into.</summary>
    public static bool NeedsAppliance(DiskInspection inspection, GuestFileSystemOpener opener)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(opener);
        return inspection.Root is null && opener.ApplianceEngine is not null && ApplianceCandidates(inspection).Count > 0;
    }

    /// <summary>Where an inspected partition's filesystem is, as the engines need it.</summary>
    public static GuestRootLocation LocationOf(DiskInspection inspection, InspectedPartition partition)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(partition);
        var kind = partition.FileSystem?.Kind ?? throw ImprintException.Unsupported($"{partition.Name} of '{inspection.Path}' holds no filesystem Imprint recognises");
        if (partition.LogicalVolume is { } volume)
        {
            // A linear LV found by the native LVM reader: its own bytes, so ext inside it stays on the e2fsprogs engine.
            return new GuestRootLocation(inspection.Path, kind, GuestRootLayout.LogicalVolume, volume.Range, volume.PvPartition)
            {
                LogicalVolume = volume.FullName,
                Uuid = partition.FileSystem.Uuid,
            };
        }

        var bare = inspection.Table.Kind == PartitionTableKind.None;
        var layout = kind == FileSystemKind.LvmPhysicalVolume ? GuestRootLayout.LogicalVolume : bare ? GuestRootLayout.BareFileSystem : GuestRootLayout.Partition;
        return new GuestRootLocation(inspection.Path, kind, layout, layout == GuestRootLayout.LogicalVolume ? null : partition.Partition.Range, bare ? 0 : partition.Partition.Number)
        {
            Uuid = partition.FileSystem.Uuid,
        };
    }

    /// <summary>Filesystems only an appliance engine can look into, largest first (a root is usually bigger than /boot).</summary>
    private static List<InspectedPartition> ApplianceCandidates(DiskInspection inspection) =>
        inspection.Partitions
            .Where(p => p.Damage is null && p.FileSystem?.Kind is FileSystemKind.Xfs or FileSystemKind.Btrfs or FileSystemKind.LvmPhysicalVolume)
            // A PV with no LV in its metadata (read natively) holds no guest: refused by name, no appliance launched.
            .Where(p => !inspection.IsOrphanPhysicalVolume(p))
            .OrderByDescending(p => p.Range.Length)
            .ThenBy(p => p.Partition.Number)
            .ToList();

    private static async Task<IReadOnlyList<MountReport>> MountsAsync(IGuestFileSystem guest, DiskInspection inspection, CancellationToken cancellationToken)
    {
        var fstab = await guest.TryReadTextAsync("/etc/fstab", cancellationToken).ConfigureAwait(false);
        var identities = inspection.Partitions.Select(p => new PartitionIdentity(p.Partition.Number, p.FileSystem?.Uuid, p.FileSystem?.Label, p.Partition.UniqueId, p.Partition.Name)).ToList();
        return FstabEntry.Parse(fstab ?? string.Empty)
            .Select(e => new MountReport(e.MountPoint, e.Spec, e.FsType, FstabResolver.Resolve(e.Spec, identities)))
            .ToList();
    }
}
