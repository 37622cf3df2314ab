namespace Imprint.Agent.Lvm;

/// <summary>
/// A volume group as its text metadata describes it, checked for the facts mapping needs (extent size, PV extents,
/// segment ranges); <see cref="Config"/> keeps the whole parsed text so it can be written back with changes.
/// </summary>
public sealed record LvmVolumeGroup(
    string Name,
    string Id,
    long Seqno,
    long ExtentSizeSectors,
    IReadOnlyList<LvmPhysicalVolume> PhysicalVolumes,
    IReadOnlyList<LvmLogicalVolume> LogicalVolumes,
    LvmConfigSection Config)
{
    public long ExtentBytes => ExtentSizeSectors * 512;

    public LvmPhysicalVolume? FindPv(string key) => PhysicalVolumes.FirstOrDefault(p => p.Key == key);
}
