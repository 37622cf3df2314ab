using Imprint.Agent.Disk;

namespace Imprint.Agent.FileSystems;

/// <summary>
/// Identifies the filesystem (or swap, LVM PV, LUKS container) in a byte range of a disk, like <c>blkid -p</c> on that
/// range, in our own code. Reads a few KiB of metadata at fixed places, only inside the range, never writes.
/// </summary>
public static class FileSystemProbe
{
    // Strong, checksummed or fixed-offset signatures first; FAT, whose boot-sector checks are the weakest, last.
    private static readonly Func<ProbeWindow, DetectedFileSystem?>[] Probes =
    [
        LuksProbe.Probe,
        LvmProbe.Probe,
        XfsProbe.Probe,
        ExtProbe.Probe,
        BtrfsProbe.Probe,
        NtfsProbe.Probe,
        SwapProbe.Probe,
        VfatProbe.Probe,
    ];

    /// <summary>
    /// Returns what the range holds, or null when nothing is recognised (including a range too small to hold the
    /// metadata). The reported size comes from the metadata and may exceed the range.
    /// </summary>
    public static DetectedFileSystem? Probe(DiskImage disk, ByteRange range)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var window = new ProbeWindow(disk, range);
        foreach (var probe in Probes)
        {
            if (probe(window) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
