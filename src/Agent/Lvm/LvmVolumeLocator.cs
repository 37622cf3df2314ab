using Imprint.Agent.Disk;

namespace Imprint.Agent.Lvm;

/// <summary>
/// Maps logical volumes to byte ranges of the disk. A linear LV (segments of type "striped" with one stripe) whose
/// segments all lie on this PV, each following the previous one there, is one contiguous range; anything else
/// (striped over several areas, mirror, raid, thin, snapshot, cache, spread over PVs, fragmented) is located with the
/// reason the native ext path cannot take it.
/// </summary>
public static class LvmVolumeLocator
{
    /// <summary>Every visible LV of the PV's VG, located.</summary>
    public static IReadOnlyList<LvmVolumeLocation> Locate(LvmPhysicalVolumeMetadata pv, int pvPartition)
    {
        ArgumentNullException.ThrowIfNull(pv);
        if (pv.VolumeGroup is not { } vg || pv.Self is not { } self)
        {
            return [];
        }

        return vg.LogicalVolumes.Where(lv => lv.IsVisible).Select(lv => Locate(pv.Range, vg, self, lv, pvPartition)).ToList();
    }

    private static LvmVolumeLocation Locate(ByteRange pvRange, LvmVolumeGroup vg, LvmPhysicalVolume self, LvmLogicalVolume lv, int pvPartition)
    {
        var size = lv.ExtentCount * vg.ExtentBytes;
        LvmVolumeLocation Problem(string why) => new(vg.Name, lv.Name, pvPartition, null, size, why);

        if (lv.Segments.Count == 0)
        {
            return Problem("it has no segments");
        }

        if (lv.Segments.FirstOrDefault(s => !s.IsLinear) is { } layered)
        {
            return Problem(layered.Type == "striped"
                ? $"it is striped over {layered.Stripes.Count} areas"
                : $"it is a {layered.Type} volume (not linear)");
        }

        var pvs = lv.Segments.Select(s => s.Stripes[0].PvKey).Distinct().ToList();
        if (pvs.Count > 1 || pvs[0] != self.Key)
        {
            return Problem(pvs.Count > 1
                ? $"it spans {pvs.Count} physical volumes ({string.Join(", ", pvs)})"
                : $"it lies on physical volume {pvs[0]}, not on the one on partition {pvPartition}");
        }

        long expectedLogical = 0;
        var nextPhysical = lv.Segments[0].Stripes[0].StartExtent;
        foreach (var segment in lv.Segments)
        {
            if (segment.StartExtent != expectedLogical)
            {
                return Problem($"its segments leave a gap or overlap at logical extent {expectedLogical}");
            }

            if (segment.Stripes[0].StartExtent != nextPhysical)
            {
                return Problem($"its {lv.Segments.Count} segments are not contiguous on the physical volume (segment {segment.Key} starts at extent {segment.Stripes[0].StartExtent}, not {nextPhysical})");
            }

            expectedLogical += segment.ExtentCount;
            nextPhysical += segment.ExtentCount;
        }

        // Bounded by the reader: extents lie inside pe_count and pe_start + pe_count extents inside the partition.
        var offset = (self.PeStartSectors * 512) + (lv.Segments[0].Stripes[0].StartExtent * vg.ExtentBytes);
        return new LvmVolumeLocation(vg.Name, lv.Name, pvPartition, pvRange.Slice(offset, size), size, null);
    }
}
