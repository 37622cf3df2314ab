using Imprint.Agent.Disk;

namespace Imprint.Agent.Lvm;

/// <summary>
/// Where a logical volume's bytes are on the disk. <see cref="Range"/> is set when the LV is linear, on this one PV and
/// contiguous there, so e2fsprogs can address it at an offset; otherwise <see cref="NativeProblem"/> says why the
/// native path cannot take it (the libguestfs engine can).
/// </summary>
/// <param name="VolumeGroup">VG name.</param>
/// <param name="Name">LV name.</param>
/// <param name="PvPartition">Number of the partition holding the PV (0 on an unpartitioned disk).</param>
/// <param name="Range">The LV's bytes on the disk, when contiguous.</param>
/// <param name="SizeBytes">The LV's size.</param>
/// <param name="NativeProblem">Why there is no single range (striped, mirrored, thin, spread over PVs, fragmented).</param>
public sealed record LvmVolumeLocation(string VolumeGroup, string Name, int PvPartition, ByteRange? Range, long SizeBytes, string? NativeProblem)
{
    /// <summary>"vg/lv", the name LVM tools take.</summary>
    public string FullName => $"{VolumeGroup}/{Name}";

    /// <summary>How the location was found, for reports: "LVM linear LV vg0/root at bytes [a, b) of partition 2".</summary>
    public string Description => Range is { } range
        ? $"LVM linear LV {FullName} at bytes {range} of the disk (PV on partition {PvPartition})"
        : $"LVM LV {FullName}: {NativeProblem}";
}
