namespace Imprint.Agent.Lvm;

/// <summary>One area of a striped segment: the PV (by its key in the VG, "pv0") and the first physical extent used there.</summary>
public readonly record struct LvmStripe(string PvKey, long StartExtent);
