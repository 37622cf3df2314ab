using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using Imprint.Agent.Cloning;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Formats;
using Imprint.Agent.Results;
using Imprint.Agent.Tools;
using Imprint.Agent.Transfer;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Importing;

/// <summary>
/// <c>imprint import</c>: downloads an image and lands it as sparse raw. Raw, gzip and xz stream straight into the
/// target while being hashed; container formats (qcow2, vmdk…) need qemu-img and a file, so they are downloaded to a
/// scratch file first, verified, converted and removed. A file target only appears under its name once the
/// checksum matched and the conversion finished; a checksum mismatch leaves nothing behind.
/// </summary>
public static class ImageImporter
{
    private const int ZeroScanBlock = 64 * 1024;
    private const int SniffLength = 512;

    public static async Task<CopyReport> ImportAsync(ImportRequest request, CancellationToken cancellationToken)
    {
        if (request.Url.Scheme != Uri.UriSchemeHttp && request.Url.Scheme != Uri.UriSchemeHttps)
        {
            throw ImprintException.Usage($"--url must be http:// or https://, not {request.Url.Scheme}://");
        }

        var headers = request.HeaderFile is null ? [] : HttpHeaderFile.Read(request.HeaderFile);
        var trust = request.CaFile is null ? null : TlsTrust.FromPemFile(request.CaFile);
        var algorithm = request.Checksum?.Algorithm ?? HashAlgorithmName.SHA256;
        var prefix = request.Checksum?.Prefix ?? "sha256";
        var stopwatch = Stopwatch.StartNew();
        using var target = PartialTarget.Prepare(request.Target, request.Overwrite, request.HeaderFile, request.CaFile);
        var scratchFolder = request.ScratchDirectory
            ?? (target.IsBlockDevice ? Path.GetTempPath() : Path.GetDirectoryName(target.WorkPath)!);
        var scratch = new List<string>();
        using var client = CreateClient(trust);
        await using var download = new ResumableDownload(client, request.Url, headers, request.Retry, algorithm, request.Progress);
        try
        {
            await download.OpenAsync(cancellationToken).ConfigureAwait(false);
            var (head, outer) = await SniffAsync(download, cancellationToken).ConfigureAwait(false);
            var formats = new List<ImageFormat> { outer };
            Stream payload = new PrefixedStream(head, download);
            Process? xz = null;
            Task pump = Task.CompletedTask;
            Task<string> xzErrors = Task.FromResult(string.Empty);
            try
            {
                var inner = outer;
                if (outer == ImageFormat.Gzip)
                {
                    payload = new GZipStream(payload, CompressionMode.Decompress);
                }
                else if (outer == ImageFormat.Xz)
                {
                    (xz, pump) = StartXz(payload, cancellationToken);
                    xzErrors = xz.StandardError.ReadToEndAsync(cancellationToken);
                    payload = xz.StandardOutput.BaseStream;
                }

                if (outer is ImageFormat.Gzip or ImageFormat.Xz)
                {
                    var (innerHead, innerFormat) = await SniffAsync(payload, cancellationToken).ConfigureAwait(false);
                    payload = new PrefixedStream(innerHead, payload);
                    inner = innerFormat;
                    formats.Add(inner);
                }

                long virtualSize;
                if (inner == ImageFormat.Raw)
                {
                    virtualSize = await StreamRawAsync(payload, target, outer, cancellationToken).ConfigureAwait(false);
                    await FinishAsync(download, outer, payload, xz, pump, xzErrors, cancellationToken).ConfigureAwait(false);
                    Verify(request, download, prefix);
                    if (!target.IsBlockDevice && ImageFormatDetector.Detect(target.WorkPath) == ImageFormat.Vpc)
                    {
                        // A fixed VHD is raw data plus a 512-byte footer that only its end reveals: convert it after all.
                        // Copied aside, not moved: the work file we hold locked must stay the file that becomes the disk.
                        var vhd = ScratchPath(scratchFolder, target, scratch, "vhd");
                        await SparseCopier.CopyAsync(target.WorkPath, vhd, cancellationToken: cancellationToken).ConfigureAwait(false);
                        using (var emptied = File.OpenHandle(target.WorkPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                        {
                            RandomAccess.SetLength(emptied, 0);
                        }

                        var converted = await ImageConverter.ConvertToRawAsync(vhd, target.WorkPath, request.ConvertProgress, cancellationToken).ConfigureAwait(false);
                        formats[^1] = ImageFormat.Vpc;
                        virtualSize = converted.VirtualSize;
                    }
                }
                else
                {
                    var spool = ScratchPath(scratchFolder, target, scratch, "download");
                    await using (var file = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
                    {
                        await payload.CopyToAsync(file, 1 << 20, cancellationToken).ConfigureAwait(false);
                    }

                    await FinishAsync(download, outer, payload, xz, pump, xzErrors, cancellationToken).ConfigureAwait(false);
                    Verify(request, download, prefix);
                    download.ReportDone();
                    try
                    {
                        virtualSize = await ConvertSpoolAsync(spool, target, scratchFolder, scratch, formats, request.ConvertProgress, cancellationToken).ConfigureAwait(false);
                    }
                    catch (ImprintException ex) when (ex.Code == ExitCode.InvalidImage)
                    {
                        // Conversion errors name the scratch file; say which download it holds.
                        throw new ImprintException(ex.Code, $"the image at {download.SafeUrl} is refused: {ex.Message}", ex);
                    }
                }

                download.ReportDone();
                var allocated = target.IsBlockDevice ? virtualSize : DiskCloner.AllocatedBytes(target.WorkPath);
                target.Commit();
                return new CopyReport("download", formats.Select(f => f.ToString().ToLowerInvariant()).ToList(), virtualSize, download.BytesReceived, allocated, stopwatch.ElapsedMilliseconds, null)
                {
                    Checksum = $"{prefix}:{download.Digest()}",
                };
            }
            finally
            {
                if (xz is not null)
                {
                    if (!xz.HasExited)
                    {
                        xz.Kill();
                    }

                    await pump.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                    xz.Dispose();
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ImprintException(ExitCode.InvalidImage, $"{download.SafeUrl} is not valid compressed data: {ex.Message}", ex);
        }
        finally
        {
            foreach (var file in scratch)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>The client: no automatic decompression (the checksum is of the bytes as served), the CA pinned when given.</summary>
    public static HttpClient CreateClient(TlsTrust? trust)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            MaxAutomaticRedirections = 10,
        };
        if (trust is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = trust.Validate;
        }

        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("imprint-agent/1");
        return client;
    }

    private static void Verify(ImportRequest request, ResumableDownload download, string prefix)
    {
        if (download.TotalLength is { } total && download.Position != total)
        {
            throw ImprintException.InvalidImage($"{download.SafeUrl} ended at byte {download.Position} of {total}");
        }

        var actual = download.Digest();
        if (request.Checksum is { } expected && !string.Equals(expected.Hex, actual, StringComparison.Ordinal))
        {
            throw ImprintException.InvalidImage($"checksum mismatch: expected {expected} got {prefix}:{actual}");
        }
    }

    private static async Task<(byte[] Head, ImageFormat Format)> SniffAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[SniffLength];
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        Array.Resize(ref head, read);
        return (head, ImageFormatDetector.Detect(head));
    }

    private static string ScratchPath(string folder, PartialTarget target, List<string> scratch, string kind)
    {
        var path = Path.Combine(folder, $"{Path.GetFileName(target.Target)}.{kind}-{Guid.NewGuid():N}.partial");
        scratch.Add(path);
        return path;
    }

    /// <summary>Converts a downloaded container (possibly itself compressed) to raw at the target.</summary>
    private static async Task<long> ConvertSpoolAsync(string spool, PartialTarget target, string scratchFolder, List<string> scratch, List<ImageFormat> formats, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        formats.RemoveAt(formats.Count - 1);
        if (!target.IsBlockDevice)
        {
            var converted = await ImageConverter.ConvertToRawAsync(spool, target.WorkPath, progress, cancellationToken).ConfigureAwait(false);
            formats.AddRange(converted.Formats);
            return converted.VirtualSize;
        }

        var raw = ScratchPath(scratchFolder, target, scratch, "raw");
        var result = await ImageConverter.ConvertToRawAsync(spool, raw, progress, cancellationToken).ConfigureAwait(false);
        formats.AddRange(result.Formats);
        File.Delete(spool);
        await SparseCopier.CopyAsync(raw, target.WorkPath, new SparseCopyOptions { Progress = progress }, cancellationToken).ConfigureAwait(false);
        return result.VirtualSize;
    }

    /// <summary>Writes a raw stream to the target: holes for zero blocks on a new file, every byte on a device.</summary>
    private static async Task<long> StreamRawAsync(Stream payload, PartialTarget target, ImageFormat outer, CancellationToken cancellationToken)
    {
        using var handle = OpenTarget(target);
        var deviceSize = target.IsBlockDevice ? BlockDevice.GetSize(handle) : long.MaxValue;
        var buffer = new byte[4 * 1024 * 1024];
        long position = 0;
        while (true)
        {
            var filled = await payload.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled == 0)
            {
                break;
            }

            if (position + filled > deviceSize)
            {
                throw ImprintException.Conflict($"the {(outer == ImageFormat.Raw ? "image" : "decompressed image")} is larger than block device '{target.Target}' ({deviceSize} bytes)");
            }

            for (var offset = 0; offset < filled; offset += ZeroScanBlock)
            {
                var block = buffer.AsMemory(offset, Math.Min(ZeroScanBlock, filled - offset));
                if (target.IsBlockDevice || block.Span.ContainsAnyExcept((byte)0))
                {
                    await RandomAccess.WriteAsync(handle, block, position + offset, cancellationToken).ConfigureAwait(false);
                }
            }

            position += filled;
        }

        if (!target.IsBlockDevice)
        {
            RandomAccess.SetLength(handle, position);
        }

        RandomAccess.FlushToDisk(handle);
        return position;
    }

    private static SafeFileHandle OpenTarget(PartialTarget target)
    {
        try
        {
            return WorkFile.Open(target.WorkPath, target.IsBlockDevice, out _);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new ImprintException(ExitCode.NotWritable, $"cannot create target '{target.Target}': {ex.Message}", ex);
        }
    }

    /// <summary>Pipes the download into <c>xz -dc</c>; xz is multi-threaded and the agent image ships it.</summary>
    private static (Process Xz, Task Pump) StartXz(Stream compressed, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ToolRunner.Resolve("xz"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--decompress", "--stdout", "--threads=0" })
        {
            start.ArgumentList.Add(arg);
        }

        Process xz;
        try
        {
            xz = Process.Start(start) ?? throw new ImprintException(ExitCode.ToolFailed, "cannot start xz");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ImprintException(ExitCode.ToolFailed, $"cannot run 'xz': {ex.Message}. Install xz-utils (make deps).", ex);
        }

        var pump = Task.Run(
            async () =>
            {
                var stdin = xz.StandardInput.BaseStream;
                try
                {
                    await compressed.CopyToAsync(stdin, 1 << 20, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // xz stopped reading (bad data): its exit status and stderr tell why.
                }
                finally
                {
                    try
                    {
                        stdin.Dispose();
                    }
                    catch (IOException)
                    {
                    }
                }
            },
            cancellationToken);
        return (xz, pump);
    }

    /// <summary>Ends decompression, reads any bytes the decoder left (the checksum covers the whole file) and checks xz.</summary>
    private static async Task FinishAsync(ResumableDownload download, ImageFormat outer, Stream payload, Process? xz, Task pump, Task<string> xzErrors, CancellationToken cancellationToken)
    {
        // The payload was read to its end; whatever the decoder did not need still belongs to the checksum.
        await pump.ConfigureAwait(false);
        if (xz is not null)
        {
            await xz.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var errors = await xzErrors.ConfigureAwait(false);
            if (xz.ExitCode != 0)
            {
                throw ImprintException.InvalidImage($"{download.SafeUrl} is not valid xz data: {errors.Trim()}");
            }
        }

        if (outer == ImageFormat.Gzip)
        {
            await payload.DisposeAsync().ConfigureAwait(false);
        }

        await download.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
    }
}
