using Imprint.Agent.Disk;

namespace Imprint.Agent.Lvm;

/// <summary>
/// What growing a linear LV into its grown PV will do (pvresize + lvextend, as new metadata text with seqno + 1).
/// Made by <see cref="LvmGrowth.Plan"/> from reads only; <see cref="LvmGrowth.Apply"/> writes it.
/// </summary>
/// <param name="Pv">The PV as read before the partition grew.</param>
/// <param name="Volume">The LV being grown, located before.</param>
/// <param name="NewPvLength">The PV's length in bytes once its partition has grown.</param>
/// <param name="NewPeCount">pe_count after pvresize.</param>
/// <param name="AddedExtents">Extents appended to the LV's last segment (0 when only the PV grows).</param>
/// <param name="NewVolumeRange">The LV's bytes on the disk afterwards (same start, longer).</param>
/// <param name="NewText">The metadata text to commit, NUL-terminated.</param>
/// <param name="MovedTailArea">Index (among the label's metadata areas) of the area kept at the PV's end, which moves
/// to <paramref name="NewTailAreaOffset"/> (bytes from the PV start); null when the PV has no such area.</param>
/// <param name="NewTailAreaOffset">Where that area goes: the new end of the PV less its size, 4 KiB aligned.</param>
public sealed record LvmGrowPlan(
    LvmPhysicalVolumeMetadata Pv,
    LvmVolumeLocation Volume,
    long NewPvLength,
    long NewPeCount,
    long AddedExtents,
    ByteRange NewVolumeRange,
    byte[] NewText,
    int? MovedTailArea = null,
    long? NewTailAreaOffset = null)
{
    public bool HasWork => NewPeCount != Pv.Self!.PeCount || AddedExtents > 0 || NewPvLength / 512 != Pv.Self.DevSizeSectors;
}
