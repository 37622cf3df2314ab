using Imprint.Agent.Disk;
using Imprint.Agent.Partitions;

namespace Imprint.Agent.Lvm;

/// <summary>
/// Reads the VG metadata of every LVM PV on a disk and locates the visible logical volumes. A VG whose PVs are not all
/// on this disk still has its LVs located (those on other PVs say so). Malformed metadata is exit 4.
/// </summary>
public static class LvmVolumeFinder
{
    public static IReadOnlyList<LvmVolumeLocation> Find(DiskImage disk, IEnumerable<Partition> physicalVolumes)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(physicalVolumes);
        var found = new List<LvmVolumeLocation>();
        foreach (var partition in physicalVolumes)
        {
            var pv = LvmPhysicalVolumeMetadata.Read(disk, partition.Range);
            if (pv is null)
            {
                continue;
            }

            // An LV of a VG spread over several PVs of this disk is seen from each of them: keep its one good location.
            foreach (var volume in LvmVolumeLocator.Locate(pv, partition.Number))
            {
                var index = found.FindIndex(v => v.FullName == volume.FullName);
                if (index < 0)
                {
                    found.Add(volume);
                }
                else if (found[index].Range is null && volume.Range is not null)
                {
                    found[index] = volume;
                }
            }
        }

        return found;
    }
}
