using System.Globalization;
using Imprint.Agent.Diagnostics;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Guest;
using Imprint.Agent.Lvm;
using Imprint.Agent.Partitions;
using Imprint.Agent.Results;

namespace Imprint.Agent.Inspection;

/// <summary>
/// Inspects a raw disk: partition table, a filesystem probe of every partition, then the Linux root among the ext
/// filesystems (the one with os-release/fstab and /usr) and its facts, with fstab entries mapped to partitions.
/// Reads only.
/// </summary>
public static class DiskInspector
{
    public static async Task<DiskInspection> InspectAsync(string path, CancellationToken cancellationToken)
    {
        var rootSpan = AgentTrace.Start("inspect.partitions+root");
        PartitionTable table;
        List<InspectedPartition> partitions;
        IReadOnlyList<LvmVolumeLocation> volumes;
        long size;
        using var readLock = ImageLock.Shared(path);
        using (var disk = DiskImage.OpenRead(path))
        {
            size = disk.Length;
            table = PartitionTableReader.Read(disk);
            var candidates = table.Kind == PartitionTableKind.None
                ? [new Partition(0, disk.WholeDisk, 0, (disk.Length / 512) - 1, "none", "whole disk", null, null, 0, false, false)]
                : table.Partitions.Where(p => !PartitionTable.IsExtendedContainer(p));
            partitions = candidates.Select(p => Probe(disk, p)).ToList();

            // Linear LVs are read in place like partitions (their bytes are one range of the disk); LVM is never activated.
            volumes = LvmVolumeFinder.Find(disk, partitions.Where(p => p.FileSystem?.Kind is FileSystemKind.LvmPhysicalVolume).Select(p => p.Partition));
            partitions.AddRange(volumes.Where(v => v.Range is not null).Select(v =>
                Probe(disk, partitions.First(p => p.Partition.Number == v.PvPartition).Partition, v)));
        }

        var warnings = new List<string>(table.Warnings);
        warnings.AddRange(partitions.Where(p => p.Damage is not null).Select(p => $"{p.Name}: {p.Damage}"));
        warnings.AddRange(partitions.Where(p => p.FileSystem?.Kind is FileSystemKind.Luks).Select(p =>
            $"partition {p.Partition.Number} holds {FileSystemDescription.Describe(p.FileSystem!)}; Imprint never unlocks LUKS, so what it holds is not inspected"));
        warnings.AddRange(partitions.Where(p => p.FileSystem?.Kind is FileSystemKind.LvmPhysicalVolume && volumes.All(v => v.PvPartition != p.Partition.Number)).Select(p =>
            $"partition {p.Partition.Number} holds {FileSystemDescription.Describe(p.FileSystem!)} with no logical volume on it"));
        warnings.AddRange(volumes.Where(v => v.Range is null).Select(v =>
            $"LVM LV {v.FullName} (PV on partition {v.PvPartition}) is not read natively: {v.NativeProblem}"));
        InspectedPartition? root = null;
        GuestFacts? facts = null;
        ExtFileSystem? rootFs = null;
        foreach (var candidate in partitions.Where(p => p.IsExt))
        {
            if (candidate.FileSystem is { ChecksumValid: false })
            {
                warnings.Add($"{candidate.Name}: the ext superblock checksum is wrong; skipped");
                continue;
            }

            if (ExtFeatureSupport.UnsupportedForReading(candidate.FileSystem!.Ext!) is { } features)
            {
                warnings.Add($"{candidate.Name}: {candidate.FileSystem.TypeName} uses features e2fsprogs does not support ({features}); skipped");
                continue;
            }

            var fs = new ExtFileSystem(path, candidate.Range);
            if (await GuestInspector.LooksLikeRootAsync(new ExtGuestReader(fs), cancellationToken).ConfigureAwait(false))
            {
                root = candidate;
                rootFs = fs;
                break;
            }

            fs.Dispose();
        }

        rootSpan.Dispose();
        using var factsSpan = AgentTrace.Start("inspect.facts");
        var mounts = new List<MountReport>();
        if (root is not null && rootFs is not null)
        {
            var reader = new ExtGuestReader(rootFs);
            facts = await GuestInspector.InspectAsync(reader, cancellationToken).ConfigureAwait(false);
            var fstab = await reader.TryReadTextAsync("/etc/fstab", cancellationToken).ConfigureAwait(false);
            var identities = partitions.Select(p => new PartitionIdentity(p.Partition.Number, p.FileSystem?.Uuid, p.FileSystem?.Label, p.Partition.UniqueId, p.Partition.Name)).ToList();
            foreach (var entry in FstabEntry.Parse(fstab ?? string.Empty))
            {
                mounts.Add(new MountReport(entry.MountPoint, entry.Spec, entry.FsType, FstabResolver.Resolve(entry.Spec, identities)));
            }
        }
        else if (partitions.FirstOrDefault(p => p.FileSystem?.Kind is FileSystemKind.Xfs or FileSystemKind.Btrfs) is { } other)
        {
            warnings.Add($"{other.Name} holds {other.FileSystem!.TypeName}: guest inspection of {other.FileSystem.TypeName} is not supported yet");
        }

        // What inspection read stays cached for the seal or customize that usually follows on the same partition.
        rootFs?.HandOver();
        return new DiskInspection(path, size, table, partitions, root, facts, mounts, warnings) { LogicalVolumes = volumes };
    }

    /// <summary>The guest root, writable by e2fsprogs, or a clear error naming what was found instead.</summary>
    public static InspectedPartition RequireRoot(DiskInspection inspection)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        if (inspection.Root is { } root)
        {
            RequireWritableExt(root);
            return root;
        }

        if (inspection.Partitions.FirstOrDefault(p => p.Damage is not null) is { } damaged)
        {
            throw ImprintException.InvalidImage($"'{inspection.Path}' {damaged.Name}: {damaged.Damage}");
        }

        if (inspection.Partitions.FirstOrDefault(p => p.IsExt && ExtFeatureSupport.UnsupportedForReading(p.FileSystem!.Ext!) is not null) is { } featured)
        {
            RequireWritableExt(featured);
        }

        if (inspection.Partitions.FirstOrDefault(p => p.FileSystem?.Kind is FileSystemKind.Luks) is { } luks)
        {
            throw ImprintException.Unsupported($"partition {luks.Partition.Number} of '{inspection.Path}' holds {FileSystemDescription.Describe(luks.FileSystem!)}; encrypted guests are not supported yet (Imprint does not unlock LUKS and takes no keys)");
        }

        if (inspection.LogicalVolumes.FirstOrDefault(v => v.Range is null) is { } layered)
        {
            throw ImprintException.Unsupported($"'{inspection.Path}': LVM LV {layered.FullName} (PV on partition {layered.PvPartition}) {layered.NativeProblem}; the native engine reads only linear LVs lying in one contiguous range (the libguestfs engine handles other LVM layouts)");
        }

        if (inspection.Partitions.FirstOrDefault(p => p.FileSystem?.Kind is FileSystemKind.Ntfs) is { } ntfs)
        {
            throw ImprintException.Unsupported($"Windows guest, not supported yet: {ntfs.Name} of '{inspection.Path}' holds ntfs");
        }

        if (inspection.Partitions.FirstOrDefault(inspection.IsOrphanPhysicalVolume) is { } orphan)
        {
            throw ImprintException.Unsupported($"partition {orphan.Partition.Number} of '{inspection.Path}' holds {FileSystemDescription.Describe(orphan.FileSystem!)} with no logical volume on it; there is no guest to work on");
        }

        var unsupported = inspection.Partitions.FirstOrDefault(p => p.FileSystem?.Kind is FileSystemKind.Xfs or FileSystemKind.Btrfs);
        if (unsupported is not null)
        {
            throw ImprintException.Unsupported($"{unsupported.Name} holds {unsupported.FileSystem!.TypeName}; editing {unsupported.FileSystem.TypeName} guests is not supported yet (ext2/3/4 only)");
        }

        var found = string.Join(", ", inspection.Partitions.Select(p => $"{p.LogicalVolume?.FullName ?? p.Partition.Number.ToString(CultureInfo.InvariantCulture)}: {p.FileSystem?.TypeName ?? "unknown"}"));
        throw ImprintException.Unsupported($"no Linux root filesystem found on '{inspection.Path}' (partitions: {(found.Length > 0 ? found : "none")})");
    }

    /// <summary>Exit 5 when e2fsprogs could not safely write this ext filesystem (unknown incompat or ro_compat features).</summary>
    public static void RequireWritableExt(InspectedPartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        if (partition.FileSystem?.Ext is { } ext && ExtFeatureSupport.UnsupportedForWriting(ext) is { } features)
        {
            throw ImprintException.Unsupported($"{partition.Name} holds {partition.FileSystem.TypeName} with features e2fsprogs does not support ({features}); Imprint will not write it");
        }
    }

    private static InspectedPartition Probe(DiskImage disk, Partition partition, LvmVolumeLocation? volume = null)
    {
        var range = volume?.Range ?? partition.Range;
        var found = FileSystemProbe.Probe(disk, range);
        string? damage = null;
        if (found is null && ExtBackupSuperblock.Find(disk, range) is { } backup)
        {
            damage = $"the primary ext superblock is damaged or zeroed, but a backup superblock is at block {backup.Block} ({backup.BlockSize}-byte blocks); repair with 'e2fsck -b {backup.Block} -B {backup.BlockSize}'";
        }

        return new InspectedPartition(partition, found) { Damage = damage, LogicalVolume = volume };
    }
}
