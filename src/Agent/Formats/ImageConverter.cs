using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Tools;

namespace Imprint.Agent.Formats;

/// <summary>
/// Turns any supported source (qcow2, vmdk, vhdx, vdi, vpc, raw; optionally gzip- or xz-compressed) into a sparse
/// raw image. Compressed input is streamed; qemu-img does container formats. The target is created new and removed
/// again if the conversion fails.
/// </summary>
public static partial class ImageConverter
{
    private const int ZeroScanBlock = 64 * 1024;

    public static async Task<ConversionResult> ConvertToRawAsync(string sourcePath, string targetPath, IProgress<CopyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        SourcePath.RequireFile(sourcePath, "source");

        // The target is new, or the empty work file a PartialTarget created and holds locked: it is written in place
        // (never replaced by a rename), so the caller's lock stays on the file that becomes the disk.
        if (!WorkFile.IsAbsentOrEmpty(targetPath))
        {
            throw ImprintException.Conflict($"target '{targetPath}' already exists; refusing to overwrite it");
        }

        var createdTarget = !File.Exists(targetPath);
        var stopwatch = Stopwatch.StartNew();
        var formats = new List<ImageFormat>();
        var current = sourcePath;
        var temporaries = new List<string>();
        try
        {
            while (true)
            {
                var format = ImageFormatDetector.Detect(current);
                formats.Add(format);
                if (formats.Count > 3)
                {
                    throw ImprintException.Unsupported($"'{sourcePath}' nests more than three container formats");
                }

                if (format != ImageFormat.Raw && current == targetPath)
                {
                    // Decompressed into the target but still a container: move the bytes aside, then fill the target.
                    current = await SetAsideAsync(targetPath, formats.Count, temporaries, cancellationToken).ConfigureAwait(false);
                }

                switch (format)
                {
                    case ImageFormat.Gzip or ImageFormat.Xz:
                        // Decompress straight into the target: for the common .raw.gz/.raw.xz that is the whole job.
                        await DecompressAsync(current, format, targetPath, progress, cancellationToken).ConfigureAwait(false);
                        current = targetPath;
                        continue;
                    case ImageFormat.Raw:
                        if (current != targetPath)
                        {
                            await SparseCopier.CopyAsync(current, targetPath, new SparseCopyOptions { Progress = progress }, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    default:
                        await QemuConvertAsync(current, format, targetPath, progress, cancellationToken).ConfigureAwait(false);
                        break;
                }

                break;
            }

            return new ConversionResult(formats, new FileInfo(targetPath).Length, stopwatch.Elapsed);
        }
        catch
        {
            // A work file the caller brought stays: the caller holds it locked and removes it itself.
            if (createdTarget)
            {
                File.Delete(targetPath);
            }

            throw;
        }
        finally
        {
            foreach (var temporary in temporaries)
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Copies the (decompressed) target's bytes to a scratch file beside it and empties the target.</summary>
    private static async Task<string> SetAsideAsync(string targetPath, int stage, List<string> temporaries, CancellationToken cancellationToken)
    {
        var aside = targetPath + $".{stage}.partial";
        temporaries.Add(aside);
        File.Delete(aside);
        await SparseCopier.CopyAsync(targetPath, aside, new SparseCopyOptions { SourceIsRawDisk = false }, cancellationToken).ConfigureAwait(false);
        using var handle = File.OpenHandle(targetPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        RandomAccess.SetLength(handle, 0);
        return aside;
    }

    /// <summary>
    /// Virtual (raw) size of a container image, from <c>qemu-img info</c>, after <see cref="ContainerImageCheck"/> made
    /// sure the image names no other file and claims no absurd size (exit 4 otherwise).
    /// </summary>
    public static Task<long> VirtualSizeAsync(string path, ImageFormat format, CancellationToken cancellationToken = default) =>
        ContainerImageCheck.InspectAsync(path, format, cancellationToken);

    private static async Task QemuConvertAsync(string source, ImageFormat format, string target, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        // The check comes first: qemu-img check and convert open what an image names; a checked image names nothing.
        var size = await VirtualSizeAsync(source, format, cancellationToken).ConfigureAwait(false);
        await CheckContainerAsync(source, format, cancellationToken).ConfigureAwait(false);
        try
        {
            // qemu-img does not create the target: it exists (new and empty, or the caller's locked work file) and is
            // sized here, so qemu-img writes into that very file. -n --target-is-zero: it is all holes, nothing to
            // zero. file.locking=off: we hold the target's exclusive image lock ourselves, and qemu-img's own lock
            // would conflict with it. -p prints "(12.34/100%)" updates separated by '\r'; -S keeps zero runs sparse.
            using (var handle = WorkFile.Open(target, isBlockDevice: false, out _))
            {
                RandomAccess.SetLength(handle, size);
            }

            await ToolRunner.RunAsync(
                "qemu-img",
                ["convert", "-p", "-f", ImageFormatDetector.QemuName(format), "-S", "64k", "-n", "--target-is-zero", "--target-image-opts", ContainerImageCheck.QemuImageName(source, format), UnlockedRawTarget(target)],
                onStandardOutputLine: line =>
                {
                    if (progress is not null && ParseQemuProgress(line) is { } percent)
                    {
                        progress.Report(new CopyProgress((long)(size * percent / 100), size, stopwatch.Elapsed));
                    }
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ToolFailedException ex)
        {
            throw QemuImgFailure.Classify(source, format, target, ex);
        }
    }

    /// <summary>
    /// Runs <c>qemu-img check</c> first: qemu-img convert reads a truncated qcow2 as zeros and succeeds, which would
    /// silently produce a corrupt disk. Exit 0 is clean, 3 only leaked clusters, 63 "format cannot be checked".
    /// </summary>
    private static async Task CheckContainerAsync(string source, ImageFormat format, CancellationToken cancellationToken)
    {
        var check = await ToolRunner.RunAsync(
            "qemu-img",
            ["check", "-f", ImageFormatDetector.QemuName(format), ContainerImageCheck.QemuImageName(source, format)],
            acceptedExitStatuses: [0, 1, 2, 3, 63],
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (check.ExitStatus is 1 or 2)
        {
            var detail = (check.StandardError + "\n" + check.StandardOutput).Trim();
            throw ImprintException.InvalidImage($"'{source}' is a damaged {format} image (qemu-img check exit {check.ExitStatus}): {detail}");
        }
    }

    /// <summary>qemu's option syntax for a raw file target it must not lock (a comma in the path is written twice).</summary>
    public static string UnlockedRawTarget(string path) =>
        $"driver=raw,file.driver=file,file.filename={path.Replace(",", ",,", StringComparison.Ordinal)},file.locking=off";

    /// <summary>Parses one qemu-img progress update such as "    (45.03/100%)"; null for other lines.</summary>
    public static double? ParseQemuProgress(string line)
    {
        var match = QemuProgressPattern().Match(line);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static async Task DecompressAsync(string source, ImageFormat format, string target, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        var compressedLength = new FileInfo(source).Length;
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var stopwatch = Stopwatch.StartNew();
        Process? xz = null;
        Stream decompressed;
        if (format == ImageFormat.Gzip)
        {
            decompressed = new GZipStream(input, CompressionMode.Decompress);
        }
        else
        {
            var start = new ProcessStartInfo(ToolRunner.Resolve("xz")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "--decompress", "--stdout", "--threads=0", source })
            {
                start.ArgumentList.Add(arg);
            }

            try
            {
                xz = Process.Start(start) ?? throw new ImprintException(ExitCode.ToolFailed, "cannot start xz");
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new ImprintException(ExitCode.ToolFailed, $"cannot run 'xz': {ex.Message}. Install xz-utils (make deps).", ex);
            }

            decompressed = xz.StandardOutput.BaseStream;
        }

        try
        {
            await using (decompressed.ConfigureAwait(false))
            {
                await WriteSparseAsync(decompressed, target, () => progress?.Report(new CopyProgress(input.Position, compressedLength, stopwatch.Elapsed)), cancellationToken).ConfigureAwait(false);
            }

            if (xz is not null)
            {
                var stderr = await xz.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                await xz.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                if (xz.ExitCode != 0)
                {
                    throw new ImprintException(ExitCode.InvalidImage, $"'{source}' is not valid xz data: {stderr.Trim()}");
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ImprintException(ExitCode.InvalidImage, $"'{source}' is not valid {format} data: {ex.Message}", ex);
        }
        finally
        {
            xz?.Dispose();
        }
    }

    /// <summary>Writes a stream to a new file, leaving all-zero 64 KiB blocks as holes.</summary>
    private static async Task WriteSparseAsync(Stream input, string target, Action onProgress, CancellationToken cancellationToken)
    {
        using var handle = WorkFile.Open(target, isBlockDevice: false, out _);
        var buffer = new byte[4 * 1024 * 1024];
        long position = 0;
        var lastReport = Environment.TickCount64;
        while (true)
        {
            var filled = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled == 0)
            {
                break;
            }

            for (var offset = 0; offset < filled; offset += ZeroScanBlock)
            {
                var block = buffer.AsMemory(offset, Math.Min(ZeroScanBlock, filled - offset));
                if (block.Span.ContainsAnyExcept((byte)0))
                {
                    await RandomAccess.WriteAsync(handle, block, position + offset, cancellationToken).ConfigureAwait(false);
                }
            }

            position += filled;
            if (Environment.TickCount64 - lastReport > 500)
            {
                lastReport = Environment.TickCount64;
                onProgress();
            }
        }

        RandomAccess.SetLength(handle, position);
        onProgress();
    }

    [GeneratedRegex(@"\((\d+(?:\.\d+)?)/100%\)")]
    private static partial Regex QemuProgressPattern();
}
