namespace Imprint.Agent.Lvm;

/// <summary>A <c>raw_locn</c>: where the current metadata text lies in its area (offset from the area start), its size
/// including the trailing NUL, its checksum, and flags (1 = this area is ignored).</summary>
public readonly record struct RawLocation(long Offset, long Size, uint Checksum, uint Flags)
{
    public const uint IgnoredFlag = 1;

    public bool IsIgnored => (Flags & IgnoredFlag) != 0;
}
