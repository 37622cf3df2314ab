namespace Imprint.Agent.Lvm;

/// <summary>A PV as the VG metadata lists it; sizes in 512-byte sectors as LVM writes them.</summary>
/// <param name="Key">Its name inside the VG ("pv0"), which segments refer to.</param>
/// <param name="Id">The PV UUID with dashes.</param>
/// <param name="DevSizeSectors">dev_size: the device size when the metadata was written.</param>
/// <param name="PeStartSectors">pe_start: where extent 0 begins, from the PV start.</param>
/// <param name="PeCount">pe_count: how many extents the PV holds.</param>
public sealed record LvmPhysicalVolume(string Key, string Id, long DevSizeSectors, long PeStartSectors, long PeCount);
