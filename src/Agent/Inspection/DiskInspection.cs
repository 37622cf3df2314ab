using Imprint.Agent.FileSystems;
using Imprint.Agent.Guest;
using Imprint.Agent.Lvm;
using Imprint.Agent.Partitions;
using Imprint.Agent.Results;

namespace Imprint.Agent.Inspection;

/// <summary>Everything inspection learned about a disk: its table, partitions, filesystems and the Linux guest on it.</summary>
public sealed record DiskInspection(
    string Path,
    long Size,
    PartitionTable Table,
    IReadOnlyList<InspectedPartition> Partitions,
    InspectedPartition? Root,
    GuestFacts? Guest,
    IReadOnlyList<MountReport> Mounts,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Every visible LVM logical volume found, located (linear ones with their byte range).</summary>
    public IReadOnlyList<LvmVolumeLocation> LogicalVolumes { get; init; } = [];

    /// <summary>True for an LVM physical volume whose metadata (read natively) puts no logical volume on it: no guest there.</summary>
    public bool IsOrphanPhysicalVolume(InspectedPartition partition) =>
        partition.FileSystem?.Kind == FileSystemKind.LvmPhysicalVolume
        && LogicalVolumes.All(v => v.PvPartition != partition.Partition.Number);

    public DiskReport ToDiskReport() => new(
        Path,
        Size,
        Table.Kind.ToString().ToLowerInvariant(),
        Partitions.Select(p => new PartitionReport(
            p.Partition.Number,
            p.Range.Offset,
            p.Range.Length,
            p.Partition.TypeName,
            p.Partition.Name,
            p.FileSystem?.TypeName,
            p.FileSystem?.Uuid,
            p.FileSystem?.Label,
            p.FileSystem?.SizeBytes,
            p.LogicalVolume?.FullName)).ToList());

    public GuestReport? ToGuestReport() => Guest is null
        ? null
        : new GuestReport
        {
            Os = "linux",
            Distro = Guest.Distro,
            Version = Guest.Version,
            Family = Guest.Family.ToString().ToLowerInvariant(),
            ProductName = Guest.ProductName,
            Arch = Guest.Arch,
            Hostname = Guest.Hostname,
            RootPartition = Root?.Partition.Number,
            RootLogicalVolume = Root?.LogicalVolume?.FullName,
            InitSystem = Guest.InitSystem,
            PackageFormat = Guest.PackageFormat,
            NetworkStyle = Guest.NetworkStyle,
            CloudInit = Guest.CloudInit,
            Mounts = Mounts,
        };
}
