namespace Imprint.Agent.Lvm;

/// <summary>A <c>disk_locn</c> of the PV header: a data or metadata area, in bytes from the PV start (size 0 = to the end).</summary>
public readonly record struct LvmDiskArea(long Offset, long Size);
