using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Formats;
using Imprint.Agent.Integrity;
using Imprint.Agent.Resizing;
using Imprint.Agent.Results;

namespace Imprint.Agent.Cloning;

/// <summary>
/// Copies a golden disk (or a remote stream) to a new target and grows it. The source is only ever opened for
/// reading. Sizes are checked before the first byte is copied; a file target is built as TARGET.partial and renamed
/// only when every step succeeded, so a retry always starts again from the golden and never builds on a half-done disk.
/// </summary>
public static class DiskCloner
{
    public static async Task<CloneResult> CloneAsync(CloneRequest request, Func<string, CancellationToken, Task>? afterCopy, CancellationToken cancellationToken)
    {
        string? sourceFull = null;
        var format = ImageFormat.Raw;
        if (request.Fetch is null)
        {
            SourcePath.RequireFile(request.Source, "source");

            sourceFull = Path.GetFullPath(request.Source);
            var targetFull = Path.GetFullPath(request.Target);
            if (sourceFull == targetFull || (FileIdentity.Of(sourceFull) is { } a && a == FileIdentity.Of(targetFull)))
            {
                throw ImprintException.Usage($"target '{request.Target}' is the source itself; a clone never writes the golden disk");
            }
        }

        // The golden is read under a shared lock for the whole run: no writer (imprint or a VM) may change it meanwhile.
        using var sourceLock = sourceFull is null ? null : ImageLock.Shared(sourceFull);
        using var target = PartialTarget.Prepare(request.Target, request.Overwrite, sourceFull);
        if (sourceFull is not null)
        {
            format = request.SourceIsRaw ? ImageFormat.Raw : ImageFormatDetector.Detect(sourceFull);
            if (request.Size is { } size && format is not (ImageFormat.Gzip or ImageFormat.Xz))
            {
                var virtualSize = format == ImageFormat.Raw
                    ? new FileInfo(sourceFull).Length
                    : await ImageConverter.VirtualSizeAsync(sourceFull, format, cancellationToken).ConfigureAwait(false);
                if (size < virtualSize)
                {
                    throw ImprintException.Conflict($"target size {size} bytes is smaller than the source's {virtualSize} bytes");
                }
            }
        }

        // Everything below works on the partial file (or the device); the target name only appears on success.
        using var ownDigester = request.ExpectDigest is not null && sourceFull is not null && format == ImageFormat.Raw ? new DiskDigester() : null;
        var digester = sourceFull is null ? request.FetchDigest : ownDigester;
        var copy = sourceFull is null
            ? await request.Fetch!(target.WorkPath, target.IsBlockDevice, cancellationToken).ConfigureAwait(false)
            : await CopyAsync(request, sourceFull, target.WorkPath, format, target.IsBlockDevice, digester, cancellationToken).ConfigureAwait(false);
        DigestReport? digest = null;
        if (request.ExpectDigest is { } expected)
        {
            digest = CheckDigest(expected, digester, copy, target, cancellationToken);
        }
        ResizeReport? resize = null;
        if (request.Size is not null || target.IsBlockDevice)
        {
            resize = await DiskResizer.ResizeAsync(new ResizeRequest(target.WorkPath, request.Size, request.Partition) { DeferApplianceGrow = afterCopy is not null }, cancellationToken).ConfigureAwait(false);
        }

        if (afterCopy is not null)
        {
            await afterCopy(target.WorkPath, cancellationToken).ConfigureAwait(false);
        }

        target.Commit();
        return new CloneResult(copy, resize) { Digest = digest };
    }

    /// <summary>
    /// Compares the copied source's digest with the one recorded at seal. A raw file source and a fetched stream were
    /// hashed while they were copied; a converted one is hashed from the raw copy (its first SourceSize bytes). On a mismatch the
    /// partial file is removed by the caller's dispose; a block device gets its first and last MiB zeroed so no tool
    /// takes the half-trusted copy for a disk.
    /// </summary>
    private static DigestReport CheckDigest(string expected, DiskDigester? digester, CopyReport copy, PartialTarget target, CancellationToken cancellationToken)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var actual = digester?.Finish(copy.SourceSize) ?? DiskDigest.Compute(target.WorkPath, cancellationToken, copy.SourceSize).Digest;
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            if (target.IsBlockDevice)
            {
                WipeEnds(target.WorkPath, copy.SourceSize);
            }

            throw ImprintException.InvalidImage(
                $"digest mismatch: the source disk is {actual}, but {expected} was recorded when it was sealed — the golden changed since it was sealed; the copy was discarded");
        }

        return new DigestReport(actual, copy.SourceSize, copy.BytesRead, stopwatch.ElapsedMilliseconds) { Expected = expected };
    }

    private static void WipeEnds(string device, long length)
    {
        using var disk = DiskImage.OpenWrite(device);
        var edge = (int)Math.Min(1024 * 1024, Math.Min(length, disk.Length));
        var zeros = new byte[edge];
        disk.Write(0, zeros);
        disk.Write(Math.Min(length, disk.Length) - edge, zeros);
        disk.Flush();
    }

    private static async Task<CopyReport> CopyAsync(CloneRequest request, string source, string target, ImageFormat format, bool targetIsDevice, DiskDigester? digester, CancellationToken cancellationToken)
    {
        if (format == ImageFormat.Raw)
        {
            var copy = await SparseCopier.CopyAsync(source, target, new SparseCopyOptions { Verify = request.Verify, Progress = request.Progress, SourceIsRawDisk = !request.SourceIsRaw, Digest = digester }, cancellationToken).ConfigureAwait(false);
            return new CopyReport("sparse-copy", ["raw"], copy.SourceLength, copy.DataBytesRead, copy.BytesWritten, (long)copy.Elapsed.TotalMilliseconds, copy.Sha256);
        }

        if (targetIsDevice)
        {
            throw ImprintException.Unsupported($"converting {format} straight onto a block device is not supported; convert to a raw file first");
        }

        var converted = await ImageConverter.ConvertToRawAsync(source, target, request.Progress, cancellationToken).ConfigureAwait(false);
        return new CopyReport("convert", converted.Formats.Select(f => f.ToString().ToLowerInvariant()).ToList(), converted.VirtualSize, new FileInfo(source).Length, AllocatedBytes(target), (long)converted.Elapsed.TotalMilliseconds, null);
    }

    /// <summary>Bytes actually allocated in a sparse file (its data extents).</summary>
    public static long AllocatedBytes(string path)
    {
        using var handle = File.OpenHandle(path);
        return FileExtents.TotalLength(FileExtents.DataExtents(handle, new ByteRange(0, RandomAccess.GetLength(handle))));
    }
}
