using System.Diagnostics;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;
using Imprint.Agent.Partitions;
using Imprint.Agent.Results;

namespace Imprint.Agent.Resizing;

/// <summary>
/// Grows a disk in place: the image file (sparse), then the partition (and the backup GPT), then the ext
/// filesystem with e2fsck + resize2fs at the partition's offset. Everything is checked before the first write:
/// shrinking, a partition with no room after it, a filesystem we cannot grow — all refused with nothing changed.
/// </summary>
public static class DiskResizer
{
    public static async Task<ResizeReport> ResizeAsync(ResizeRequest request, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        using var writeLock = ImageLock.Exclusive(request.Path);

        // A run killed inside resize2fs left a half-grown filesystem: roll it back first, then grow it again below.
        await ExtUndoJournal.RecoverAsync(request.Path, cancellationToken).ConfigureAwait(false);
        var inspection = await DiskInspector.InspectAsync(request.Path, cancellationToken).ConfigureAwait(false);
        var oldSize = inspection.Size;
        var newSize = request.NewSize ?? oldSize;
        if (newSize < oldSize)
        {
            throw ImprintException.Conflict($"'{request.Path}' is {oldSize} bytes; shrinking to {newSize} is not supported");
        }

        if (inspection.Table.Kind == PartitionTableKind.None)
        {
            throw ImprintException.Unsupported($"'{request.Path}' has no partition table; growing unpartitioned disks is not supported");
        }

        var target = ChoosePartition(inspection, request.Partition);
        if (target.Damage is not null)
        {
            throw ImprintException.InvalidImage($"'{request.Path}' partition {target.Partition.Number}: {target.Damage}");
        }

        var fileSystem = target.FileSystem
            ?? throw ImprintException.Unsupported($"partition {target.Partition.Number} holds no filesystem Imprint recognises; growing it is not supported");
        var opener = GuestFileSystemOpener.Default;
        if (!target.IsExt && opener.ApplianceEngine is null)
        {
            throw ImprintException.Unsupported($"partition {target.Partition.Number} holds {FileSystemDescription.Describe(fileSystem)}; growing {fileSystem.TypeName} is not supported yet (ext2/3/4 only)");
        }

        DiskInspector.RequireWritableExt(target);

        // Chosen (and refused, exit 5) before any write.
        var grower = opener.GrowerFor(GuestRootOpener.LocationOf(inspection, target));
        string? engine = null;
        if (fileSystem is { ChecksumValid: false })
        {
            throw ImprintException.InvalidImage($"partition {target.Partition.Number}: the ext superblock checksum is wrong; run e2fsck first");
        }

        // Plan against the table as it will look once the file is longer, so a refusal happens before any write.
        var projected = inspection.Table with { DiskLength = newSize };
        var plan = GrowPartition.Plan(projected, target.Partition.Number);
        long? newFsSize = null;
        using (var disk = DiskImage.OpenWrite(request.Path))
        {
            if (disk.IsBlockDevice && disk.Length < newSize)
            {
                throw ImprintException.Conflict($"block device '{request.Path}' holds {disk.Length} bytes, less than the {newSize} asked for");
            }

            disk.GrowTo(disk.IsBlockDevice ? disk.Length : newSize);
            GrowPartition.Apply(disk, plan with { Table = projected with { DiskLength = disk.Length } });
        }

        var deferred = request.DeferApplianceGrow && opener.EngineFor(GuestRootOpener.LocationOf(inspection, target)) == GuestEngineName.Libguestfs;
        if (!deferred && (plan.ChangesPartition || fileSystem.SizeBytes < plan.NewRange.Length - (fileSystem.BlockSize ?? 4096)))
        {
            var grown = await grower.GrowToFillAsync(GuestRootOpener.LocationOf(inspection, target with { Partition = target.Partition with { Range = plan.NewRange } }), cancellationToken).ConfigureAwait(false);
            newFsSize = grown.NewSizeBytes;
            engine = grown.Engine;
        }

        return new ResizeReport(
            oldSize,
            newSize,
            target.Partition.Number,
            plan.OldRange.Length,
            plan.NewRange.Length,
            fileSystem.TypeName,
            fileSystem.SizeBytes,
            newFsSize ?? fileSystem.SizeBytes,
            plan.MovesBackupGpt,
            stopwatch.ElapsedMilliseconds,
            engine);
    }

    private static InspectedPartition ChoosePartition(DiskInspection inspection, int? number)
    {
        if (number is { } n)
        {
            return inspection.Partitions.FirstOrDefault(p => p.Partition.Number == n)
                ?? throw ImprintException.Usage($"partition {n} does not exist (partitions: {string.Join(", ", inspection.Partitions.Select(p => p.Partition.Number))})");
        }

        // auto: the root partition (fstab's "/" or the detected root); the plan refuses when no free space follows it.
        if (inspection.Root is { } root)
        {
            return root;
        }

        return inspection.Partitions.Where(p => p.FileSystem?.Kind is not FileSystemKind.Swap).MaxBy(p => p.Partition.FirstSector)
            ?? throw ImprintException.Unsupported($"'{inspection.Path}' has no partition to grow");
    }
}
