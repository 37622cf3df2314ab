using Imprint.Agent.Errors;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Formats;

/// <summary>
/// Inspect, seal, resize and customize work on raw disks only. Handed a qcow2 (or vmdk, vhdx, vdi, dynamic vhd, or a
/// compressed image) they would read its header as a disk without a partition table, or worse write into it; they
/// say what it is and how to convert it instead (exit 5). Only the leading magic counts: a fixed VHD is raw data
/// with a trailing footer, and reading it as raw is right.
/// </summary>
public static class RawDiskRequirement
{
    public static void Ensure(string path, SafeFileHandle handle)
    {
        Span<byte> head = stackalloc byte[512];
        var read = 0;
        while (read < head.Length)
        {
            var count = RandomAccess.Read(handle, head[read..], read);
            if (count == 0)
            {
                break;
            }

            read += count;
        }

        var format = ImageFormatDetector.Detect(head[..read]);
        if (format == ImageFormat.Raw)
        {
            return;
        }

        var what = format is ImageFormat.Gzip or ImageFormat.Xz
            ? $"{format.ToString().ToLowerInvariant()}-compressed image"
            : $"{ImageFormatDetector.QemuName(format)} image";
        throw ImprintException.Unsupported($"'{path}' is a {what}, not a raw disk; convert it to raw first (imprint convert '{path}' DISK.raw)");
    }
}
