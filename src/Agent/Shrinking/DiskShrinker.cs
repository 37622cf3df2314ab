using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Inspection;
using Imprint.Agent.Partitions;
using Imprint.Agent.Results;

namespace Imprint.Agent.Shrinking;

/// <summary>
/// Shrinks a disk image to near its minimum so small clones are possible: e2fsck, resize2fs to its minimum plus
/// <see cref="MarginFor"/>, the root partition cut to the filesystem's end (1 MiB aligned), the backup GPT moved to
/// the new end, the file truncated. Only ext filesystems on the last partition (or a bare ext image) — everything else is
/// refused before any write: xfs cannot shrink at all, btrfs and LVM would need a guest kernel (appliance) path
/// Imprint does not have. Block devices cannot be truncated and are refused too.
/// </summary>
public static class DiskShrinker
{
    public const long MinimumMarginBytes = 8L * 1024 * 1024;

    public const long MaximumMarginBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Free space left in the shrunk filesystem: 10% of resize2fs's minimum, at least 8 MiB, at most 64 MiB. resize2fs
    /// -M leaves next to none, yet a clone that keeps the golden's size (or is customized before it grows) still writes
    /// host keys, machine-id, network files, cloud-init state and its first boot's journal — a few MiB, more on larger
    /// guests — and ext4 behaves badly near full (delayed allocation, reserved blocks). The cap keeps a large golden
    /// "near its minimum"; clones that ask for more grow anyway.
    /// </summary>
    public static long MarginFor(long minimumFilesystemBytes) => Math.Clamp(minimumFilesystemBytes / 10, MinimumMarginBytes, MaximumMarginBytes);

    public static async Task<ShrinkReport> ShrinkAsync(ShrinkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var diskLock = request.DryRun ? ImageLock.Shared(request.Path) : ImageLock.Exclusive(request.Path);
        if (BlockDevice.IsBlockDevice(request.Path))
        {
            throw ImprintException.Unsupported($"'{request.Path}' is a block device; shrink works on image files (a device cannot be truncated)");
        }

        if (!request.DryRun)
        {
            using var probe = DiskImage.OpenWrite(request.Path);
            await ExtUndoJournal.RecoverAsync(request.Path, cancellationToken).ConfigureAwait(false);
        }

        var inspection = await DiskInspector.InspectAsync(request.Path, cancellationToken).ConfigureAwait(false);
        var target = Choose(inspection, request.Partition);
        RequireShrinkable(target);
        var unpartitioned = inspection.Table.Kind == PartitionTableKind.None;
        if (!unpartitioned)
        {
            // Refuses a partition that is not last, hybrid MBRs, damaged GPTs — before any write.
            _ = ShrinkPartition.Plan(inspection.Table, target.Partition.Number, target.Partition.Range.End);
        }

        using var ext = new ExtFileSystem(request.Path, target.Partition.Range);
        var superblock = await ext.ReadSuperblockAsync(cancellationToken).ConfigureAwait(false);
        ExtShrinkResult shrunk;
        if (request.DryRun)
        {
            var minimum = await ExtFileSystemShrinker.MinimumBlocksAsync(ext, cancellationToken).ConfigureAwait(false);
            shrunk = new ExtShrinkResult(superblock.BlockSize, superblock.BlockCount, minimum, Math.Min(superblock.BlockCount, minimum + (MarginFor(minimum * superblock.BlockSize) / superblock.BlockSize)));
        }
        else
        {
            shrunk = await ExtFileSystemShrinker.ShrinkAsync(ext, MarginFor, cancellationToken).ConfigureAwait(false);
        }

        var offset = target.Partition.Range.Offset;
        long newDiskLength;
        long minimumDiskLength;
        if (unpartitioned)
        {
            newDiskLength = shrunk.NewSizeBytes;
            minimumDiskLength = shrunk.MinimumSizeBytes;
            if (!request.DryRun && newDiskLength < inspection.Size)
            {
                using var disk = DiskImage.OpenWrite(request.Path);
                disk.TruncateTo(newDiskLength);
                disk.Flush();
            }
        }
        else
        {
            var plan = ShrinkPartition.Plan(inspection.Table, target.Partition.Number, offset + shrunk.NewSizeBytes);
            minimumDiskLength = ShrinkPartition.Plan(inspection.Table, target.Partition.Number, offset + shrunk.MinimumSizeBytes).NewDiskLength;
            newDiskLength = plan.NewDiskLength;
            if (!request.DryRun && newDiskLength < inspection.Size)
            {
                using var disk = DiskImage.OpenWrite(request.Path);
                ShrinkPartition.Apply(disk, plan);
            }
        }

        return new ShrinkReport(
            inspection.Size,
            Math.Min(newDiskLength, inspection.Size),
            Math.Min(minimumDiskLength, inspection.Size),
            unpartitioned ? null : target.Partition.Number,
            target.FileSystem!.TypeName,
            shrunk.OldSizeBytes,
            shrunk.NewSizeBytes,
            shrunk.MinimumSizeBytes,
            MarginFor(shrunk.MinimumSizeBytes),
            request.DryRun);
    }

    private static InspectedPartition Choose(DiskInspection inspection, int? number)
    {
        if (number is { } n)
        {
            return inspection.Partitions.FirstOrDefault(p => p.Partition.Number == n && p.LogicalVolume is null)
                ?? throw ImprintException.Usage($"partition {n} does not exist (partitions: {string.Join(", ", inspection.Partitions.Select(p => p.Partition.Number).Distinct())})");
        }

        if (inspection.Root is { } root)
        {
            return root;
        }

        if (inspection.Partitions.FirstOrDefault(p => p.Damage is not null) is { } damaged)
        {
            throw ImprintException.InvalidImage($"'{inspection.Path}' {damaged.Name}: {damaged.Damage}");
        }

        // No recognisable guest: a bare filesystem image, or a data disk with one partition.
        var withFileSystem = inspection.Partitions.Where(p => p.FileSystem is not null && p.FileSystem.Kind is not FileSystemKind.Swap).ToList();
        return withFileSystem.Count == 1
            ? withFileSystem[0]
            : throw ImprintException.Unsupported($"'{inspection.Path}' has no guest root and {withFileSystem.Count} filesystems; name the partition to shrink with --partition");
    }

    private static void RequireShrinkable(InspectedPartition target)
    {
        if (target.Damage is not null)
        {
            throw ImprintException.InvalidImage($"{target.Name}: {target.Damage}");
        }

        if (target.LogicalVolume is not null)
        {
            throw ImprintException.Unsupported($"shrink unsupported for LVM: the root is {target.Name}; shrinking an LV, its PV and the partition is not supported");
        }

        var fileSystem = target.FileSystem
            ?? throw ImprintException.Unsupported($"shrink unsupported: {target.Name} holds no filesystem Imprint recognises");
        if (fileSystem.Kind is FileSystemKind.LvmPhysicalVolume)
        {
            throw ImprintException.Unsupported($"shrink unsupported for LVM: {target.Name} is an LVM physical volume");
        }

        if (!target.IsExt)
        {
            var why = fileSystem.Kind == FileSystemKind.Xfs ? " (xfs cannot shrink)" : string.Empty;
            throw ImprintException.Unsupported($"shrink unsupported for {fileSystem.TypeName}{why}: {target.Name}; only ext2/3/4 can be shrunk");
        }

        DiskInspector.RequireWritableExt(target);
        if (fileSystem is { ChecksumValid: false })
        {
            throw ImprintException.InvalidImage($"{target.Name}: the ext superblock checksum is wrong; run e2fsck first");
        }
    }
}
