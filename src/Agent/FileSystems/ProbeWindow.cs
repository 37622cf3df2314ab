using Imprint.Agent.Disk;

namespace Imprint.Agent.FileSystems;

/// <summary>
/// Read-only, bounded view of the probed range: offsets are relative to the range start, and any read that would leave
/// the range or the disk yields null instead of throwing, so a truncated or tiny range is simply "not recognised".
/// </summary>
internal sealed class ProbeWindow(DiskImage disk, ByteRange range)
{
    /// <summary>The probed length, clipped to the end of the disk.</summary>
    public long Length { get; } = Math.Max(0, Math.Min(range.Length, disk.Length - range.Offset));

    public byte[]? Read(long offset, int length)
    {
        if (offset < 0 || length < 0 || offset > Length - length)
        {
            return null;
        }

        var buffer = new byte[length];
        disk.ReadExactly(range.Offset + offset, buffer);
        return buffer;
    }
}
