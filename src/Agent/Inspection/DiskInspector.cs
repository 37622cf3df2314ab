using Imprint.Agent.Diagnostics;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Guest;
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
        long size;
        using var readLock = ImageLock.Shared(path);
        using (var disk = DiskImage.OpenRead(path))
        {
            size = disk.Length;
            table = PartitionTableReader.Read(disk);
            var candidates = table.Kind == PartitionTableKind.None
                ? [new Partition(0, disk.WholeDisk, 0, (disk.Length / 512) - 1, "none", "whole disk", null, null, 0, false, false)]
                : table.Partitions.Where(p => !PartitionTable.IsExtendedContainer(p));
            partitions = candidates.Select(p => new InspectedPartition(p, FileSystemProbe.Probe(disk, p.Range))).ToList();
        }

        var warnings = new List<string>(table.Warnings);
        InspectedPartition? root = null;
        GuestFacts? facts = null;
        ExtFileSystem? rootFs = null;
        foreach (var candidate in partitions.Where(p => p.IsExt))
        {
            if (candidate.FileSystem is { ChecksumValid: false })
            {
                warnings.Add($"partition {candidate.Partition.Number}: the ext superblock checksum is wrong; skipped");
                continue;
            }

            var fs = new ExtFileSystem(path, candidate.Partition.Range);
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
            warnings.Add($"partition {other.Partition.Number} holds {other.FileSystem!.TypeName}: guest inspection of {other.FileSystem.TypeName} is not supported yet");
        }

        // What inspection read stays cached for the seal or customize that usually follows on the same partition.
        rootFs?.HandOver();
        return new DiskInspection(path, size, table, partitions, root, facts, mounts, warnings);
    }

    /// <summary>The guest root or a clear error naming what was found instead.</summary>
    public static InspectedPartition RequireRoot(DiskInspection inspection)
    {
        if (inspection.Root is { } root)
        {
            return root;
        }

        var unsupported = inspection.Partitions.FirstOrDefault(p => p.FileSystem?.Kind is FileSystemKind.Xfs or FileSystemKind.Btrfs);
        if (unsupported is not null)
        {
            throw ImprintException.Unsupported($"partition {unsupported.Partition.Number} holds {unsupported.FileSystem!.TypeName}; editing {unsupported.FileSystem.TypeName} guests is not supported yet (ext2/3/4 only)");
        }

        var found = string.Join(", ", inspection.Partitions.Select(p => $"{p.Partition.Number}: {p.FileSystem?.TypeName ?? "unknown"}"));
        throw ImprintException.Unsupported($"no Linux root filesystem found on '{inspection.Path}' (partitions: {(found.Length > 0 ? found : "none")})");
    }
}
