using System.Security.Cryptography;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Formats;
using Imprint.Agent.Results;

namespace Imprint.Agent.Inspection;

/// <summary>
/// Fingerprints a disk without writing it: the operator records the golden disk's fingerprint and compares a CSI-cloned
/// or snapshot-restored claim against it before customizing, so a claim the storage left empty or stale is never
/// taken for the golden. It also tells the virtual size of a source image, to size a claim before converting into it.
/// </summary>
public static class DiskFingerprinter
{
    /// <summary>Bytes hashed at each end: the protective MBR, primary GPT and boot code at the head, the backup GPT at the tail.</summary>
    public const int EdgeBytes = 1024 * 1024;

    /// <param name="path">A raw image, a block device, or a container image (qcow2, vmdk…: only its virtual size is reported).</param>
    /// <param name="length">Hash the ends of the first <paramref name="length"/> bytes (a clone on a larger device); default the whole disk.</param>
    public static async Task<FingerprintReport> ComputeAsync(string path, long? length, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            throw ImprintException.NotFound($"disk '{path}' is a directory");
        }

        if (!File.Exists(path))
        {
            throw ImprintException.NotFound($"disk '{path}' does not exist");
        }

        if (length is <= 0)
        {
            throw ImprintException.Usage($"--length must be positive, got {length}");
        }

        var format = BlockDevice.IsBlockDevice(path) ? ImageFormat.Raw : ImageFormatDetector.Detect(path);
        var name = format.ToString().ToLowerInvariant();
        if (format is ImageFormat.Gzip or ImageFormat.Xz)
        {
            throw ImprintException.Unsupported($"'{path}' is {name}-compressed: its size is known only after decompressing it");
        }

        if (format != ImageFormat.Raw)
        {
            var virtualSize = await ImageConverter.VirtualSizeAsync(path, format, cancellationToken).ConfigureAwait(false);
            return new FingerprintReport(name, virtualSize, null, null, null);
        }

        using var disk = DiskImage.OpenRead(path);
        var span = Math.Min(length ?? disk.Length, disk.Length);
        var edge = (int)Math.Min(EdgeBytes, span);
        var buffer = new byte[edge];
        disk.ReadExactly(0, buffer);
        var head = Convert.ToHexStringLower(SHA256.HashData(buffer));
        disk.ReadExactly(span - edge, buffer);
        var tail = Convert.ToHexStringLower(SHA256.HashData(buffer));
        return new FingerprintReport(name, disk.Length, span, head, tail);
    }
}
