using System.Diagnostics;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;
using Imprint.Agent.Lvm;
using Imprint.Agent.Partitions;
using Imprint.Agent.Results;

namespace Imprint.Agent.Resizing;

/// <summary>
/// Grows a disk in place: the image file (sparse), then the partition (and the backup GPT), then — when the root is
/// a linear LVM LV — the PV and the LV (<see cref="LvmGrowth"/>), then the ext filesystem with e2fsck + resize2fs at
/// its offset. An unpartitioned disk holding a bare filesystem grows with the file. Everything is checked before the first write:
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

        var target = ChoosePartition(inspection, request.Partition);
        if (target.Damage is not null)
        {
            throw ImprintException.InvalidImage($"'{request.Path}' {target.Name}: {target.Damage}");
        }

        var fileSystem = target.FileSystem
            ?? throw ImprintException.Unsupported($"{target.Name} holds no filesystem Imprint recognises; growing it is not supported");
        var opener = GuestFileSystemOpener.Default;
        var orphanPv = inspection.IsOrphanPhysicalVolume(target);
        if (!target.IsExt && (opener.ApplianceEngine is null || orphanPv || fileSystem.Kind is not (FileSystemKind.Xfs or FileSystemKind.Btrfs or FileSystemKind.LvmPhysicalVolume)))
        {
            // LUKS, swap, NTFS…: refused before any write, whether or not an appliance could boot.
            var supported = opener.ApplianceEngine is null ? "ext2/3/4 only" : "ext2/3/4, xfs, btrfs and LVM only";
            throw ImprintException.Unsupported($"{target.Name} holds {FileSystemDescription.Describe(fileSystem)}; growing {fileSystem.TypeName} is not supported yet ({supported})");
        }

        DiskInspector.RequireWritableExt(target);

        // Chosen (and refused, exit 5) before any write.
        var grower = opener.GrowerFor(GuestRootOpener.LocationOf(inspection, target));
        string? engine = null;
        if (fileSystem is { ChecksumValid: false })
        {
            throw ImprintException.InvalidImage($"{target.Name}: the ext superblock checksum is wrong; run e2fsck first");
        }

        // Plan against the table as it will look once the file is longer, so a refusal happens before any write. An
        // unpartitioned disk is one "partition" that always reaches the disk end.
        var unpartitioned = inspection.Table.Kind == PartitionTableKind.None;
        var projected = inspection.Table with { DiskLength = newSize };
        var plan = unpartitioned ? null : GrowPartition.Plan(projected, target.Partition.Number);
        var oldRange = plan?.OldRange ?? target.Partition.Range;
        var newRange = plan?.NewRange ?? new ByteRange(0, newSize);

        // pvresize + lvextend natively only on the e2fsprogs path; an appliance engine grows the PV and LV itself, also
        // when the native path finds the layout unsafe (another LV after the root) and an appliance can run here.
        LvmGrowPlan? lvmPlan = null;
        var lvmByAppliance = false;
        if (target.LogicalVolume is { } volume && target.IsExt)
        {
            try
            {
                lvmPlan = PlanLvm(request.Path, target.Partition.Range, volume, newRange.Length);
            }
            catch (ImprintException ex) when (ex.Code == ExitCode.Unsupported && opener.ApplianceEngine is { } appliance && appliance.UnavailableReason() is null)
            {
                lvmByAppliance = true;
                grower = opener.GrowerFor(GuestRootOpener.LocationOf(inspection, target) with { Range = null });
            }
        }

        long? newFsSize = null;
        using (var disk = DiskImage.OpenWrite(request.Path))
        {
            if (disk.IsBlockDevice && disk.Length < newSize)
            {
                throw ImprintException.Conflict($"block device '{request.Path}' holds {disk.Length} bytes, less than the {newSize} asked for");
            }

            disk.GrowTo(disk.IsBlockDevice ? disk.Length : newSize);
            if (plan is not null)
            {
                GrowPartition.Apply(disk, plan with { Table = projected with { DiskLength = disk.Length } });
            }

            if (lvmPlan is not null)
            {
                LvmGrowth.Apply(disk, lvmPlan);
            }
        }

        var fsRange = lvmPlan?.NewVolumeRange ?? newRange;

        // clone + customize grows an appliance root inside the customization's own launch.
        var deferred = request.DeferApplianceGrow && opener.EngineFor(GuestRootOpener.LocationOf(inspection, target)) == GuestEngineName.Libguestfs;
        if (!deferred && (newRange.End > oldRange.End || fileSystem.SizeBytes < fsRange.Length - (fileSystem.BlockSize ?? 4096)))
        {
            var grownTarget = lvmPlan is not null
                ? target with { LogicalVolume = target.LogicalVolume! with { Range = fsRange, SizeBytes = fsRange.Length } }
                : target with { Partition = target.Partition with { Range = newRange } };
            var location = GuestRootOpener.LocationOf(inspection, grownTarget);
            var grown = await grower.GrowToFillAsync(lvmByAppliance ? location with { Range = null } : location, cancellationToken).ConfigureAwait(false);
            newFsSize = grown.NewSizeBytes;
            engine = grown.Engine;
        }

        return new ResizeReport(
            oldSize,
            newSize,
            target.Partition.Number,
            oldRange.Length,
            newRange.Length,
            fileSystem.TypeName,
            fileSystem.SizeBytes,
            newFsSize ?? fileSystem.SizeBytes,
            plan?.MovesBackupGpt ?? false,
            stopwatch.ElapsedMilliseconds,
            engine)
        {
            LogicalVolume = target.LogicalVolume?.FullName,
            OldLogicalVolumeSize = target.LogicalVolume?.SizeBytes,
            NewLogicalVolumeSize = lvmPlan?.NewVolumeRange.Length,
        };
    }

    /// <summary>pvresize + lvextend planned on the PV as it is now, for the partition length it will have.</summary>
    private static LvmGrowPlan PlanLvm(string path, ByteRange pvRange, LvmVolumeLocation volume, long newPvLength)
    {
        using var disk = DiskImage.OpenRead(path);
        var pv = LvmPhysicalVolumeMetadata.Read(disk, pvRange)
            ?? throw ImprintException.Conflict($"the LVM label of LV {volume.FullName}'s physical volume vanished since inspection");
        return LvmGrowth.Plan(pv, volume, newPvLength, DateTimeOffset.UtcNow);
    }

    private static InspectedPartition ChoosePartition(DiskInspection inspection, int? number)
    {
        if (number is { } n)
        {
            // Naming the partition that holds the root LV's PV means that LV.
            if (inspection.Root is { LogicalVolume: not null } lvRoot && lvRoot.Partition.Number == n)
            {
                return lvRoot;
            }

            return inspection.Partitions.FirstOrDefault(p => p.Partition.Number == n)
                ?? throw ImprintException.Usage($"partition {n} does not exist (partitions: {string.Join(", ", inspection.Partitions.Select(p => p.Partition.Number))})");
        }

        // auto: the root partition (fstab's "/" or the detected root); the plan refuses when no free space follows it.
        if (inspection.Root is { } root)
        {
            return root;
        }

        // A Windows disk is refused as such (exit 5), not grown as a data disk.
        if (inspection.Partitions.Any(p => p.FileSystem?.Kind is FileSystemKind.Ntfs))
        {
            return DiskInspector.RequireRoot(inspection);
        }

        // A root that may sit in an LV the native path cannot address: say so rather than grow the PV's partition.
        if (inspection.LogicalVolumes.Any(v => v.Range is null) && GuestFileSystemOpener.Default.ApplianceEngine is null)
        {
            return DiskInspector.RequireRoot(inspection);
        }

        return inspection.Partitions.Where(p => p.FileSystem?.Kind is not FileSystemKind.Swap).MaxBy(p => p.Partition.FirstSector)
            ?? throw ImprintException.Unsupported($"'{inspection.Path}' has no partition to grow");
    }
}
